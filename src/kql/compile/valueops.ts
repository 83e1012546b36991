// Runtime operations on engine values that do not depend on static types: printing (tostring), loose
// equality, sort order, grouping keys and conversion into dynamic (JSON) form.
import { type DynamicValue, KDateTime, KTimespan, type Value } from '../values.js';

/** Kusto's tostring() form of a datetime: seconds, then the fraction trimmed of trailing zeros. */
export function formatDatetime(d: KDateTime): string {
  const base = new Date(d.ms).toISOString().slice(0, 19);
  const frac = `${String(((d.ms % 1000) + 1000) % 1000).padStart(3, '0')}${String(d.sub).padStart(4, '0')}`.replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

export function toStringValue(v: Value): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof KDateTime) return formatDatetime(v);
      if (v instanceof KTimespan) return v.toString();
      return JSON.stringify(v);
  }
}

/** A value as it sits inside a dynamic array or bag. */
export function toDynamic(v: Value): DynamicValue {
  if (v instanceof KDateTime) return formatDatetime(v);
  if (v instanceof KTimespan) return v.toString();
  return v === undefined ? null : (v as DynamicValue);
}

/** Equality across any two values: null-propagating, never equal across kinds (a number is not a string). */
export function looseEquals(a: Value, b: Value): boolean | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  const ta = typeof a;
  if (ta !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof KDateTime) return b instanceof KDateTime && a.ms === b.ms && a.sub === b.sub;
  if (a instanceof KTimespan) return b instanceof KTimespan && a.ticks === b.ticks;
  if (b instanceof KDateTime || b instanceof KTimespan) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function kindRank(v: Value): number {
  switch (typeof v) {
    case 'boolean': return 0;
    case 'number': return 1;
    case 'string': return 4;
    default:
      if (v instanceof KDateTime) return 2;
      if (v instanceof KTimespan) return 3;
      return 5;
  }
}

/** Total order for sorting non-null values (ordinal for strings); values of different kinds order by kind. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof KDateTime && b instanceof KDateTime) return a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.sub - b.sub;
  if (a instanceof KTimespan && b instanceof KTimespan) return a.ticks < b.ticks ? -1 : a.ticks > b.ticks ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra - rb;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

export type Key = string | number | boolean | null;

/**
 * A Map key for grouping, distinct, sets and joins: equal exactly when the values are equal. Primitives key
 * as themselves (a Map keeps 1 and "1" apart); datetimes, timespans and dynamic get tagged strings.
 */
export function keyOf(v: Value): Key {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  if (v instanceof KDateTime) return `\u0000d${v.ms}.${v.sub}`;
  if (v instanceof KTimespan) return `\u0000t${v.ticks}`;
  return `\u0000j${JSON.stringify(v)}`;
}

/**
 * keyOf specialized for a column of one static type (summarize by-columns): datetimes key as numbers when
 * whole milliseconds, which is injective within that one column and avoids a string per row.
 */
export function keyFnFor(type: string): (v: Value) => Key {
  switch (type) {
    case 'string':
    case 'long':
    case 'int':
    case 'real':
    case 'bool':
    case 'guid':
      return (v) => (v === undefined ? null : (v as Key));
    case 'datetime':
      return (v) => (v instanceof KDateTime ? (v.sub === 0 ? v.ms : `${v.ms}.${v.sub}`) : null);
    default:
      return keyOf;
  }
}
