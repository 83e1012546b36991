// Literal text → values: string escapes, datetime(...) and timespan forms. Shared by the lexer and by the
// conversion functions (todatetime, totimespan), so both read a literal the same way.
import { KDateTime, KTimespan, parseDateTime } from './values.js';

const TICKS_PER_DAY = 864_000_000_000;
const TICKS_PER_HOUR = 36_000_000_000;
const TICKS_PER_MINUTE = 600_000_000;
const TICKS_PER_SECOND = 10_000_000;

export const TIMESPAN_UNITS: ReadonlyMap<string, number> = new Map([
  ...['d', 'day', 'days'].map((u) => [u, TICKS_PER_DAY] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((u) => [u, TICKS_PER_HOUR] as const),
  ...['m', 'min', 'minute', 'minutes'].map((u) => [u, TICKS_PER_MINUTE] as const),
  ...['s', 'sec', 'second', 'seconds'].map((u) => [u, TICKS_PER_SECOND] as const),
  ...['ms', 'milli', 'millis', 'millisecond', 'milliseconds'].map((u) => [u, 10_000] as const),
  ...['microsecond', 'microseconds'].map((u) => [u, 10] as const),
  ...['tick', 'ticks'].map((u) => [u, 1] as const),
]);

export interface DecodedString {
  value: string;
  /** Offset just past the closing quote (or the end of the line when unterminated). */
  end: number;
  error?: string;
  errorStart?: number;
  errorEnd?: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', '"': '"', "'": "'", '/': '/', '?': '?', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** Decodes the string literal whose opening quote is at `q` (escapes, or verbatim with doubled quotes). */
export function decodeString(text: string, q: number, verbatim: boolean): DecodedString {
  const quote = text[q]!;
  let out = '';
  let i = q + 1;
  let error: string | undefined;
  let errorStart: number | undefined;
  let errorEnd: number | undefined;
  const fail = (msg: string, s: number, e: number) => {
    if (error === undefined) {
      error = msg;
      errorStart = s;
      errorEnd = e;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') break;
    if (ch === quote) {
      if (verbatim && text[i + 1] === quote) {
        out += quote;
        i += 2;
        continue;
      }
      const r: DecodedString = { value: out, end: i + 1 };
      if (error !== undefined) Object.assign(r, { error, errorStart, errorEnd });
      return r;
    }
    if (ch === '\\' && !verbatim) {
      const e = text[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
        continue;
      }
      const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLen) {
        const hex = text.slice(i + 2, i + 2 + hexLen);
        if (hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
          const cp = Number.parseInt(hex, 16);
          if (cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            i += 2 + hexLen;
            continue;
          }
        }
        fail(`invalid escape sequence '\\${e}${hex}'`, i, i + 2 + hex.length);
        i += 2;
        continue;
      }
      if (e >= '0' && e <= '7') {
        let k = i + 1;
        while (k < i + 4 && text[k]! >= '0' && text[k]! <= '7') k++;
        out += String.fromCharCode(Number.parseInt(text.slice(i + 1, k), 8));
        i = k;
        continue;
      }
      fail(`invalid escape sequence '\\${e}'`, i, i + 2);
      i += e ? 2 : 1;
      continue;
    }
    out += ch;
    i++;
  }
  fail('unterminated string literal', q, i);
  return { value: out, end: i, error: error!, errorStart: errorStart!, errorEnd: errorEnd! };
}

/** The inside of `datetime(...)`: ISO-8601 (or `null`). undefined when it is not a datetime. */
export function parseDatetimeLiteral(inner: string): KDateTime | null | undefined {
  let s = inner.trim();
  if (s === 'null') return null;
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1);
  return parseDateTime(s) ?? undefined;
}

const CLOCK_RE = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const UNIT_RE = /^(-)?(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/;

/** `5d`, `1.5h`, `100ms`, `1.02:03:04`, `02:03`, `2` (days), or `null`. undefined when it is not a timespan. */
export function parseTimespanLiteral(inner: string): KTimespan | null | undefined {
  const s = inner.trim();
  if (s === 'null') return null;
  const clock = CLOCK_RE.exec(s);
  if (clock) {
    const [, neg, d = '0', h, m, sec = '0', frac = ''] = clock;
    if (Number(m) > 59 || Number(sec) > 59 || Number(h) > 23) return undefined;
    const ticks =
      Number(d) * TICKS_PER_DAY + Number(h) * TICKS_PER_HOUR + Number(m) * TICKS_PER_MINUTE +
      Number(sec) * TICKS_PER_SECOND + Number(frac.padEnd(7, '0'));
    return new KTimespan(neg ? -ticks : ticks);
  }
  const unit = UNIT_RE.exec(s);
  if (unit) {
    const [, neg, num, u] = unit;
    const per = u ? TIMESPAN_UNITS.get(u.toLowerCase()) : TICKS_PER_DAY;
    if (per === undefined) return undefined;
    const ticks = Math.round(Number(num) * per);
    return new KTimespan(neg ? -ticks : ticks);
  }
  return undefined;
}
