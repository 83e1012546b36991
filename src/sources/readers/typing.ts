// Types raw file values (JSON values, or CSV field text) into engine values per the table's schema, the way
// Kusto would hold them: strings are never null, numbers and datetimes are null when empty, a datetime keeps
// all seven fractional digits. A value that cannot have the column's type makes its line malformed.
import type { ColumnDef } from '../../kql/table.js';
import { KDateTime, parseDateTime, type DynamicValue, type KqlType, type Value } from '../../kql/values.js';

/** Why one value could not be typed; the reader prefixes the line number. */
export class TypingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypingError';
  }
}

export type Converter = (raw: unknown) => Value;

const INT_RE = /^[+-]?\d+$/;
const REAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function shown(raw: unknown): string {
  const text = typeof raw === 'string' ? JSON.stringify(raw) : JSON.stringify(raw) ?? String(raw);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(column: string, raw: unknown, what: string): never {
  throw new TypingError(`${column}: ${shown(raw)} is not ${what}`);
}

function toStringValue(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'object') return JSON.stringify(raw);
  return String(raw);
}

function integerConverter(column: string, type: 'int' | 'long'): Converter {
  const what = type === 'int' ? 'an int' : 'a long';
  return (raw) => {
    let n: number;
    if (raw === null || raw === undefined || raw === '') return null;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string' && INT_RE.test(raw.trim())) n = Number(raw.trim());
    else fail(column, raw, what);
    if (!Number.isInteger(n)) fail(column, raw, what);
    if (type === 'int' && (n < INT32_MIN || n > INT32_MAX)) fail(column, raw, what);
    return n;
  };
}

function realConverter(column: string): Converter {
  return (raw) => {
    if (raw === null || raw === undefined || raw === '') return null;
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string') {
      const t = raw.trim();
      if (REAL_RE.test(t)) return Number(t);
      if (t === 'NaN') return Number.NaN;
      if (t === 'Infinity' || t === '+Infinity') return Number.POSITIVE_INFINITY;
      if (t === '-Infinity') return Number.NEGATIVE_INFINITY;
    }
    fail(column, raw, 'a real');
  };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The form Defender writes, `YYYY-MM-DDTHH:MM:SS[.f{1,7}]Z`, read without a regex: it is most of a file's
 * typing cost. Anything else (or anything out of range) returns undefined and goes to parseDateTime, so both
 * paths agree by construction.
 */
export function parseCanonicalDateTime(s: string): KDateTime | undefined {
  const len = s.length;
  if (len < 20 || len > 28 || len === 21 || s.charCodeAt(len - 1) !== 0x5a /* Z */) return undefined;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54 /* T */ ||
      s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined;
  if (len > 20 && s.charCodeAt(19) !== 0x2e /* . */) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  let frac = len > 20 ? digits(s, 20, len - 1) : 0;
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || frac < 0) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return undefined;
  for (let n = len - 21; n < 7; n++) frac *= 10;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(frac / 10_000);
  return new KDateTime(ms, frac % 10_000);
}

function datetimeConverter(column: string): Converter {
  return (raw) => {
    if (raw === null || raw === undefined || raw === '') return null;
    if (typeof raw === 'string') {
      const d = parseCanonicalDateTime(raw) ?? parseDateTime(raw);
      if (d) return d;
    }
    fail(column, raw, 'an ISO-8601 datetime');
  };
}

function boolConverter(column: string): Converter {
  return (raw) => {
    if (raw === null || raw === undefined || raw === '') return null;
    if (typeof raw === 'boolean') return raw;
    if (raw === 1 || raw === 0) return raw === 1;
    if (typeof raw === 'string') {
      const t = raw.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
    }
    fail(column, raw, 'a bool');
  };
}

// Defender and Log Analytics write dynamic columns either as JSON or as JSON text inside a string (always so
// in CSV). Text that is not JSON stays a string, as Kusto's todynamic() would keep it.
function dynamicConverter(): Converter {
  return (raw) => {
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'string') return raw as DynamicValue;
    const t = raw.trim();
    const c = t.charCodeAt(0);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      try {
        return JSON.parse(t) as DynamicValue;
      } catch {
        return raw;
      }
    }
    return raw;
  };
}

function converterFor(column: string, type: KqlType): Converter {
  switch (type) {
    case 'string':
    case 'guid':
      return toStringValue;
    case 'int':
    case 'long':
      return integerConverter(column, type);
    case 'real':
      return realConverter(column);
    case 'datetime':
      return datetimeConverter(column);
    case 'bool':
      return boolConverter(column);
    case 'dynamic':
      return dynamicConverter();
    case 'timespan':
      throw new Error(`typing: column ${column} has type timespan, which event files do not carry`);
  }
}

/** One converter per column, aligned with `columns`. */
export function convertersFor(columns: readonly ColumnDef[]): Converter[] {
  return columns.map((c) => converterFor(c.name, c.type));
}
