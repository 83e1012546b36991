// Runtime values of the local KQL engine and the helpers that create, compare and print them.
//
// Kusto's datetime has 100 ns ticks. A JS number of ticks since 1970 passes 2^53, so a datetime is kept as
// whole epoch milliseconds plus the 0..9999 ticks inside that millisecond: exact, and cheap to compare.

export type KqlType = 'string' | 'long' | 'int' | 'real' | 'bool' | 'datetime' | 'timespan' | 'dynamic' | 'guid';

export class KDateTime {
  constructor(
    /** Whole milliseconds since 1970-01-01T00:00:00Z. */
    readonly ms: number,
    /** 100 ns ticks within the millisecond, 0..9999. */
    readonly sub: number = 0,
  ) {}

  static fromDate(d: Date): KDateTime {
    return new KDateTime(d.getTime(), 0);
  }

  /** Ticks since the epoch, as a bigint (exact). */
  ticks(): bigint {
    return BigInt(this.ms) * 10000n + BigInt(this.sub);
  }

  static fromTicks(t: bigint): KDateTime {
    let ms = t / 10000n;
    let sub = t % 10000n;
    if (sub < 0n) {
      sub += 10000n;
      ms -= 1n;
    }
    return new KDateTime(Number(ms), Number(sub));
  }

  /** ISO-8601 UTC; seven fractional digits when the value has sub-millisecond ticks, else three. */
  toISOString(): string {
    const base = new Date(this.ms).toISOString();
    if (this.sub === 0) return base;
    return `${base.slice(0, -1)}${String(this.sub).padStart(4, '0')}Z`;
  }

  toJSON(): string {
    return this.toISOString();
  }
}

export class KTimespan {
  constructor(
    /** 100 ns ticks; a double is exact up to ~28 years of ticks, far beyond any hunt window. */
    readonly ticks: number,
  ) {}

  static fromMs(ms: number): KTimespan {
    return new KTimespan(Math.round(ms * 10000));
  }

  toMs(): number {
    return this.ticks / 10000;
  }

  /** Kusto's own print form: [-][d.]hh:mm:ss[.fffffff]. */
  toString(): string {
    let t = this.ticks;
    const neg = t < 0;
    if (neg) t = -t;
    const TICKS_PER_SECOND = 10_000_000;
    const frac = t % TICKS_PER_SECOND;
    let secs = Math.floor(t / TICKS_PER_SECOND);
    const days = Math.floor(secs / 86400);
    secs -= days * 86400;
    const hh = Math.floor(secs / 3600);
    const mm = Math.floor((secs % 3600) / 60);
    const ss = secs % 60;
    const p2 = (n: number) => String(n).padStart(2, '0');
    return `${neg ? '-' : ''}${days ? `${days}.` : ''}${p2(hh)}:${p2(mm)}:${p2(ss)}${frac ? `.${String(frac).padStart(7, '0')}` : ''}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A dynamic value: what JSON can hold. */
export type DynamicValue = null | boolean | number | string | DynamicValue[] | { [k: string]: DynamicValue };

export type Value = null | string | number | boolean | KDateTime | KTimespan | DynamicValue[] | { [k: string]: DynamicValue };

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses the datetime forms Kusto accepts in `datetime(...)` and that Defender exports: ISO-8601 with up to
 * seven (or more, truncated) fractional digits, optional 'Z' or offset. Returns null when it is not a date.
 */
export function parseDateTime(text: string): KDateTime | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const probe = new Date(ms);
  if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) return null;
  const digits = (frac + '0000000').slice(0, 7);
  ms += Number(digits.slice(0, 3));
  const sub = Number(digits.slice(3, 7));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const z = zone.slice(1).replace(':', '');
    ms -= sign * (Number(z.slice(0, 2)) * 60 + Number(z.slice(2, 4))) * 60_000;
  }
  return new KDateTime(ms, sub);
}

export function compareDateTime(a: KDateTime, b: KDateTime): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.sub - b.sub;
}

export function addTimespan(d: KDateTime, t: KTimespan): KDateTime {
  // Split ticks so the millisecond part stays an exact integer.
  const whole = Math.trunc(t.ticks / 10000);
  let ms = d.ms + whole;
  let sub = d.sub + (t.ticks - whole * 10000);
  if (sub >= 10000) {
    ms += 1;
    sub -= 10000;
  } else if (sub < 0) {
    ms -= 1;
    sub += 10000;
  }
  return new KDateTime(ms, sub);
}

export function diffDateTime(a: KDateTime, b: KDateTime): KTimespan {
  return new KTimespan((a.ms - b.ms) * 10000 + (a.sub - b.sub));
}
