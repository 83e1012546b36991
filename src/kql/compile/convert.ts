// The to*() conversions. Each returns null when the value cannot be converted, as Kusto does.
import { parseDatetimeLiteral, parseTimespanLiteral } from '../literals.js';
import { type DynamicValue, KDateTime, KTimespan, type Value } from '../values.js';
import { toDynamic, toStringValue } from './valueops.js';

export { toStringValue };

const INT_RE = /^\s*[+-]?\d+\s*$/;
const REAL_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export function toLong(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string') return INT_RE.test(v) ? Number(v) : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof KTimespan) return v.ticks;
  return null;
}

export function toReal(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'nan') return Number.NaN;
    if (s === 'inf' || s === '+inf' || s === 'infinity') return Infinity;
    if (s === '-inf' || s === '-infinity') return -Infinity;
    return REAL_RE.test(v) ? Number(v) : null;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

export function toBool(v: Value): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : null;
  }
  return null;
}

export function toDatetime(v: Value): KDateTime | null {
  if (v instanceof KDateTime) return v;
  if (typeof v === 'string') return parseDatetimeLiteral(v) ?? null;
  return null;
}

export function toTimespan(v: Value): KTimespan | null {
  if (v instanceof KTimespan) return v;
  if (typeof v === 'string') return parseTimespanLiteral(v) ?? null;
  if (typeof v === 'number' && Number.isFinite(v)) return new KTimespan(Math.trunc(v));
  return null;
}

/** parse_json / todynamic: JSON text becomes its value; anything else is kept as a dynamic scalar. */
export function toDynamicValue(v: Value): DynamicValue {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as DynamicValue;
    } catch {
      return v;
    }
  }
  return toDynamic(v);
}

/** A dynamic scalar seen as a string (what string operators compare against). */
export function asString(v: Value): string {
  return typeof v === 'string' ? v : toStringValue(v);
}
