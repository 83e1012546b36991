// Time, binning and IPv4 functions. now()/ago() read the query's pinned clock, so a replay is exact.
import type { CallExpr } from '../ast.js';
import { addTimespan, KDateTime, type KqlType, KTimespan, type Value } from '../values.js';
import { asString, toLong } from './convert.js';
import type { FnDef } from './functions.js';
import { inRange, type IPv4Range, parseIPv4, parseIPv4Arg, parseIPv4Range, PRIVATE_RANGES } from './ip.js';
import { type Compiled, constValue, isNumeric, type RowFn, semanticError } from './types.js';

// Milliseconds from 0001-01-01 (Kusto's tick epoch) to 1970-01-01: bins align to that epoch.
const EPOCH_0001_MS = 62_135_596_800_000;
const TICKS_PER_DAY = 864_000_000_000;

const floorMod = (a: number, m: number) => ((a % m) + m) % m;

export function binDatetime(d: KDateTime, sizeTicks: number): KDateTime {
  if (sizeTicks % 10000 === 0) {
    const sMs = sizeTicks / 10000;
    return new KDateTime(d.ms - floorMod(d.ms + (EPOCH_0001_MS % sMs), sMs), 0);
  }
  const s = BigInt(sizeTicks);
  const t = d.ticks() + BigInt(EPOCH_0001_MS) * 10000n;
  let m = t % s;
  if (m < 0n) m += s;
  return KDateTime.fromTicks(d.ticks() - m);
}

function compileBin(args: Compiled[], call: CallExpr): { type: KqlType; fn: RowFn } {
  const [v, size] = args as [Compiled, Compiled];
  const fv = v.fn;
  const fs = size.fn;
  if (v.type === 'datetime' || v.type === 'timespan') {
    if (size.type !== 'timespan' && size.type !== 'dynamic') semanticError(`${call.name}(): a ${v.type} bins by a timespan`, call);
    const dt = v.type === 'datetime';
    return {
      type: v.type,
      fn: (r) => {
        const x = fv(r);
        const s = fs(r);
        if (!(s instanceof KTimespan) || s.ticks <= 0) return null;
        if (dt) return x instanceof KDateTime ? binDatetime(x, s.ticks) : null;
        return x instanceof KTimespan ? new KTimespan(Math.floor(x.ticks / s.ticks) * s.ticks) : null;
      },
    };
  }
  if (!isNumeric(v.type) && v.type !== 'dynamic') semanticError(`${call.name}(): cannot bin a ${v.type}`, call);
  const real = v.type === 'real' || size.type === 'real';
  return {
    type: real ? 'real' : v.type === 'dynamic' ? 'dynamic' : 'long',
    fn: (r) => {
      const x = fv(r);
      const s = fs(r);
      if (typeof x !== 'number' || typeof s !== 'number' || !(s > 0)) return null;
      return Math.floor(x / s) * s;
    },
  };
}

function rangesFrom(values: Value[]): IPv4Range[] | null {
  const out: IPv4Range[] = [];
  for (const v of values) {
    const list = Array.isArray(v) ? v : [v];
    for (const item of list) {
      const r = typeof item === 'string' ? parseIPv4Range(item) : null;
      if (!r) return null;
      out.push(r);
    }
  }
  return out;
}

function compileInAnyRange(args: Compiled[], call: CallExpr): { type: KqlType; fn: RowFn } {
  const [ip, ...rest] = args as [Compiled, ...Compiled[]];
  const fip = ip.fn;
  if (rest.every((a) => a.isConst)) {
    const ranges = rangesFrom(rest.map(constValue));
    if (!ranges) semanticError(`${call.name}(): not an IPv4 range in ${JSON.stringify(rest.map(constValue))}`, call);
    return {
      type: 'bool',
      fn: (r) => {
        const a = parseIPv4Arg(asString(fip(r)));
        if (a === null) return null;
        for (const range of ranges) if (inRange(a, range)) return true;
        return false;
      },
    };
  }
  const fr = rest.map((a) => a.fn);
  return {
    type: 'bool',
    fn: (r) => {
      const a = parseIPv4Arg(asString(fip(r)));
      const ranges = rangesFrom(fr.map((f) => f(r)));
      if (a === null || !ranges) return null;
      return ranges.some((range) => inRange(a, range));
    },
  };
}

export const TIME_AND_IP_FUNCTIONS: Record<string, FnDef> = {
  now: {
    min: 0,
    max: 1,
    compile: (args, call, scope) => {
      const now = scope.env.now;
      const offset = args[0];
      if (!offset) return { type: 'datetime', fn: () => now };
      if (offset.type !== 'timespan') semanticError('now(): the offset must be a timespan', call);
      const fo = offset.fn;
      return { type: 'datetime', fn: (r) => { const o = fo(r); return o instanceof KTimespan ? addTimespan(now, o) : null; } };
    },
  },
  ago: {
    min: 1,
    max: 1,
    compile: ([span], call, scope) => {
      const now = scope.env.now;
      if (span!.type !== 'timespan') semanticError('ago(): the argument must be a timespan', call);
      const fs = span!.fn;
      return { type: 'datetime', fn: (r) => { const o = fs(r); return o instanceof KTimespan ? addTimespan(now, new KTimespan(-o.ticks)) : null; } };
    },
  },
  bin: { min: 2, max: 2, compile: compileBin },
  floor: { min: 2, max: 2, compile: compileBin },
  startofday: {
    min: 1,
    max: 1,
    compile: ([d]) => {
      const fd = d!.fn;
      return { type: 'datetime', fn: (r) => { const x = fd(r); return x instanceof KDateTime ? binDatetime(x, TICKS_PER_DAY) : null; } };
    },
  },
  round: {
    min: 1,
    max: 2,
    compile: (args) => {
      const v = args[0]!;
      const fv = v.fn;
      const fp = args.length > 1 ? args[1]!.fn : null;
      return {
        type: v.type === 'real' ? 'real' : 'long',
        fn: (r) => {
          const x = fv(r);
          const digits = fp ? toLong(fp(r)) ?? 0 : 0;
          if (typeof x !== 'number') return null;
          const f = 10 ** digits;
          return Math.round(x * f) / f;
        },
      };
    },
  },
  ipv4_is_in_range: { min: 2, max: 2, compile: compileInAnyRange },
  ipv4_is_in_any_range: { min: 2, max: 1000, compile: compileInAnyRange },
  ipv4_is_private: {
    min: 1,
    max: 1,
    compile: ([ip]) => {
      const f = ip!.fn;
      return {
        type: 'bool',
        fn: (r) => {
          const a = parseIPv4Arg(asString(f(r)));
          return a === null ? null : PRIVATE_RANGES.some((range) => inRange(a, range));
        },
      };
    },
  },
  parse_ipv4: { min: 1, max: 1, compile: ([ip]) => { const f = ip!.fn; return { type: 'long', fn: (r) => parseIPv4(asString(f(r))) }; } },
};
