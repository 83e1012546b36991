// Scalar functions: name → arity and a compiler from compiled arguments to a compiled call. Calls whose
// arguments are all constant fold at compile time (now() included: it is fixed for the whole query).
import type { CallExpr } from '../ast.js';
import { KDateTime, type KqlType, KTimespan, type Value } from '../values.js';
import { asString, toBool, toDatetime, toDynamicValue, toLong, toReal, toStringValue, toTimespan } from './convert.js';
import { TIME_AND_IP_FUNCTIONS } from './functions2.js';
import { type Compiled, isNumeric, type RowFn, type Scope, semanticError } from './types.js';
import { keyOf, looseEquals, toDynamic } from './valueops.js';

export type FnCompiler = (args: Compiled[], call: CallExpr, scope: Scope) => { type: KqlType; fn: RowFn };

export interface FnDef {
  min: number;
  max: number;
  compile: FnCompiler;
}

/** One-argument function of the argument's value. */
export function map1(type: KqlType, f: (v: Value) => Value): FnCompiler {
  return ([a]) => {
    const fa = a!.fn;
    return { type, fn: (r) => f(fa(r)) };
  };
}

function stringFn(f: (s: string) => Value, type: KqlType = 'string'): FnCompiler {
  return map1(type, (v) => f(asString(v)));
}

/** The common result type of branches (iff, case, coalesce): numeric widening, else the first type. */
export function commonType(types: KqlType[], call: CallExpr): KqlType {
  const first = types[0]!;
  if (types.every((t) => t === first)) return first;
  if (types.every(isNumeric)) return types.includes('real') ? 'real' : 'long';
  if (types.includes('dynamic')) return 'dynamic';
  return semanticError(`${call.name}(): branches have different types (${[...new Set(types)].join(', ')})`, call);
}

const isTrue = (v: Value) => v === true;

const GENERAL: Record<string, FnDef> = {
  not: { min: 1, max: 1, compile: map1('bool', (v) => (v === null ? null : !toBool(v))) },
  isempty: { min: 1, max: 1, compile: map1('bool', (v) => v === null || v === '') },
  isnotempty: { min: 1, max: 1, compile: map1('bool', (v) => !(v === null || v === '')) },
  isnull: { min: 1, max: 1, compile: map1('bool', (v) => v === null) },
  isnotnull: { min: 1, max: 1, compile: map1('bool', (v) => v !== null) },
  tolower: { min: 1, max: 1, compile: stringFn((s) => s.toLowerCase()) },
  toupper: { min: 1, max: 1, compile: stringFn((s) => s.toUpperCase()) },
  strlen: { min: 1, max: 1, compile: stringFn((s) => s.length, 'long') },
  strcat: {
    min: 1,
    max: 64,
    compile: (args) => {
      const fs = args.map((a) => a.fn);
      return { type: 'string', fn: (r) => fs.map((f) => toStringValue(f(r))).join('') };
    },
  },
  substring: {
    min: 2,
    max: 3,
    compile: (args) => {
      const fs = args[0]!.fn;
      const fst = args[1]!.fn;
      const fl = args.length > 2 ? args[2]!.fn : null;
      return {
        type: 'string',
        fn: (r) => {
          const str = asString(fs(r));
          const b = toLong(fst(r));
          if (b === null) return '';
          const from = Math.max(0, b);
          const l = fl ? toLong(fl(r)) : null;
          return l !== null ? str.slice(from, from + Math.max(0, l)) : str.slice(from);
        },
      };
    },
  },
  indexof: {
    min: 2,
    max: 2,
    compile: ([s, n]) => {
      const fs = s!.fn;
      const fn = n!.fn;
      return { type: 'long', fn: (r) => asString(fs(r)).indexOf(asString(fn(r))) };
    },
  },
  replace_string: {
    min: 3,
    max: 3,
    compile: ([s, a, b]) => {
      const [fs, fa, fb] = [s!.fn, a!.fn, b!.fn];
      return { type: 'string', fn: (r) => asString(fs(r)).split(asString(fa(r))).join(asString(fb(r))) };
    },
  },
  split: {
    min: 2,
    max: 2,
    compile: ([s, d]) => {
      const [fs, fd] = [s!.fn, d!.fn];
      return { type: 'dynamic', fn: (r) => asString(fs(r)).split(asString(fd(r))) };
    },
  },
  tostring: { min: 1, max: 1, compile: map1('string', toStringValue) },
  toint: { min: 1, max: 1, compile: map1('int', toLong) },
  tolong: { min: 1, max: 1, compile: map1('long', toLong) },
  toreal: { min: 1, max: 1, compile: map1('real', toReal) },
  todouble: { min: 1, max: 1, compile: map1('real', toReal) },
  tobool: { min: 1, max: 1, compile: map1('bool', toBool) },
  toboolean: { min: 1, max: 1, compile: map1('bool', toBool) },
  todatetime: { min: 1, max: 1, compile: map1('datetime', toDatetime) },
  totimespan: { min: 1, max: 1, compile: map1('timespan', toTimespan) },
  todynamic: { min: 1, max: 1, compile: map1('dynamic', toDynamicValue) },
  parse_json: { min: 1, max: 1, compile: map1('dynamic', toDynamicValue) },
  iff: { min: 3, max: 3, compile: compileIff },
  iif: { min: 3, max: 3, compile: compileIff },
  case: {
    min: 3,
    max: 1000,
    compile: (args, call) => {
      if (args.length % 2 === 0) semanticError('case(): expects condition/value pairs and a final else value', call);
      const conds = args.filter((_, i) => i % 2 === 0 && i < args.length - 1).map((a) => a.fn);
      const vals = args.filter((_, i) => i % 2 === 1).map((a) => a.fn);
      const other = args[args.length - 1]!.fn;
      const type = commonType(args.filter((_, i) => i % 2 === 1 || i === args.length - 1).map((a) => a.type), call);
      return {
        type,
        fn: (r) => {
          for (let i = 0; i < conds.length; i++) if (isTrue(conds[i]!(r))) return vals[i]!(r);
          return other(r);
        },
      };
    },
  },
  coalesce: {
    min: 1,
    max: 64,
    compile: (args, call) => {
      const fs = args.map((a) => a.fn);
      return {
        type: commonType(args.map((a) => a.type), call),
        fn: (r) => {
          let v: Value = null;
          for (const f of fs) {
            v = f(r);
            if (v !== null && v !== '') return v;
          }
          return v;
        },
      };
    },
  },
  array_length: { min: 1, max: 1, compile: map1('long', (v) => (Array.isArray(v) ? v.length : null)) },
  set_has_element: {
    min: 2,
    max: 2,
    compile: ([a, x]) => {
      const [fa, fx] = [a!.fn, x!.fn];
      return {
        type: 'bool',
        fn: (r) => {
          const arr = fa(r);
          if (!Array.isArray(arr)) return null;
          const k = keyOf(toDynamic(fx(r)));
          return arr.some((e) => keyOf(e) === k);
        },
      };
    },
  },
  pack_array: {
    min: 0,
    max: 1000,
    compile: (args) => {
      const fs = args.map((a) => a.fn);
      return { type: 'dynamic', fn: (r) => fs.map((f) => toDynamic(f(r))) };
    },
  },
  abs: { min: 1, max: 1, compile: ([a]) => ({ type: a!.type === 'int' ? 'long' : a!.type, fn: absFn(a!) }) },
  min_of: { min: 1, max: 64, compile: (args, call) => extremeOf(args, call, -1) },
  max_of: { min: 1, max: 64, compile: (args, call) => extremeOf(args, call, 1) },
  equals: { min: 2, max: 2, compile: ([a, b]) => ({ type: 'bool', fn: (r) => looseEquals(a!.fn(r), b!.fn(r)) }) },
};

function compileIff(args: Compiled[], call: CallExpr): { type: KqlType; fn: RowFn } {
  const [c, a, b] = args.map((x) => x.fn) as [RowFn, RowFn, RowFn];
  return { type: commonType([args[1]!.type, args[2]!.type], call), fn: (r) => (c(r) === true ? a(r) : b(r)) };
}

function absFn(a: Compiled): RowFn {
  const f = a.fn;
  return (r) => {
    const v = f(r);
    if (typeof v === 'number') return Math.abs(v);
    if (v instanceof KTimespan) return new KTimespan(Math.abs(v.ticks));
    return null;
  };
}

function extremeOf(args: Compiled[], call: CallExpr, sign: number): { type: KqlType; fn: RowFn } {
  const fs = args.map((a) => a.fn);
  return {
    type: commonType(args.map((a) => a.type), call),
    fn: (r) => {
      let best: Value = null;
      for (const f of fs) {
        const v = f(r);
        if (v === null) continue;
        if (best === null || cmpLoose(v, best) * sign > 0) best = v;
      }
      return best;
    },
  };
}

function cmpLoose(a: Value, b: Value): number {
  if (a instanceof KDateTime && b instanceof KDateTime) return a.ms !== b.ms ? a.ms - b.ms : a.sub - b.sub;
  if (a instanceof KTimespan && b instanceof KTimespan) return a.ticks - b.ticks;
  return (a as number) - (b as number);
}

export const FUNCTIONS: ReadonlyMap<string, FnDef> = new Map(Object.entries({ ...GENERAL, ...TIME_AND_IP_FUNCTIONS }));
