// Arithmetic with Kusto's typing: int/long arithmetic is long (integer division truncates), anything with a
// real is real, and datetime/timespan combine as instants and durations.
import type { BinaryExpr, UnaryExpr } from '../ast.js';
import { addTimespan, diffDateTime, KDateTime, type KqlType, KTimespan, type Value } from '../values.js';
import { type Compiled, isNumeric, semanticError } from './types.js';

type Op = '+' | '-' | '*' | '/' | '%';
type Impl = (a: Value, b: Value) => Value;

const num = (f: (a: number, b: number) => Value): Impl => (a, b) =>
  typeof a === 'number' && typeof b === 'number' ? f(a, b) : null;

function numeric(op: Op, integer: boolean): Impl {
  switch (op) {
    case '+': return num((a, b) => a + b);
    case '-': return num((a, b) => a - b);
    case '*': return num((a, b) => a * b);
    case '/': return integer ? num((a, b) => (b === 0 ? null : Math.trunc(a / b))) : num((a, b) => a / b);
    case '%': return integer ? num((a, b) => (b === 0 ? null : a % b)) : num((a, b) => a % b);
  }
}

const dt = (f: (a: KDateTime, b: KTimespan) => Value): Impl => (a, b) =>
  a instanceof KDateTime && b instanceof KTimespan ? f(a, b) : null;
const ts = (f: (a: KTimespan, b: KTimespan) => Value): Impl => (a, b) =>
  a instanceof KTimespan && b instanceof KTimespan ? f(a, b) : null;
const tsNum = (f: (a: KTimespan, b: number) => Value): Impl => (a, b) =>
  a instanceof KTimespan && typeof b === 'number' ? f(a, b) : null;

/** The result type and implementation of `l op r`, or null when the operator is not defined for them. */
function resolve(op: Op, lt: KqlType, rt: KqlType): { type: KqlType; impl: Impl } | null {
  if (isNumeric(lt) && isNumeric(rt)) {
    const real = lt === 'real' || rt === 'real';
    return { type: real ? 'real' : 'long', impl: numeric(op, !real) };
  }
  const pair = `${lt} ${op} ${rt}`;
  switch (pair) {
    case 'datetime - datetime':
      return { type: 'timespan', impl: (a, b) => (a instanceof KDateTime && b instanceof KDateTime ? diffDateTime(a, b) : null) };
    case 'datetime + timespan':
      return { type: 'datetime', impl: dt((a, b) => addTimespan(a, b)) };
    case 'timespan + datetime':
      return { type: 'datetime', impl: (a, b) => dt((x, y) => addTimespan(x, y))(b, a) };
    case 'datetime - timespan':
      return { type: 'datetime', impl: dt((a, b) => addTimespan(a, new KTimespan(-b.ticks))) };
    case 'timespan + timespan':
      return { type: 'timespan', impl: ts((a, b) => new KTimespan(a.ticks + b.ticks)) };
    case 'timespan - timespan':
      return { type: 'timespan', impl: ts((a, b) => new KTimespan(a.ticks - b.ticks)) };
    case 'timespan / timespan':
      return { type: 'real', impl: ts((a, b) => a.ticks / b.ticks) };
    case 'timespan % timespan':
      return { type: 'timespan', impl: ts((a, b) => (b.ticks === 0 ? null : new KTimespan(a.ticks % b.ticks))) };
  }
  if (lt === 'timespan' && isNumeric(rt) && (op === '*' || op === '/')) {
    return { type: 'timespan', impl: tsNum((a, b) => (op === '*' ? new KTimespan(Math.round(a.ticks * b)) : b === 0 ? null : new KTimespan(Math.round(a.ticks / b)))) };
  }
  if (isNumeric(lt) && rt === 'timespan' && op === '*') {
    return { type: 'timespan', impl: (a, b) => tsNum((x, y) => new KTimespan(Math.round(x.ticks * y)))(b, a) };
  }
  return null;
}

function kindOf(v: Value): KqlType | null {
  if (typeof v === 'number') return 'real';
  if (v instanceof KDateTime) return 'datetime';
  if (v instanceof KTimespan) return 'timespan';
  return null;
}

export function compileArith(e: BinaryExpr, l: Compiled, r: Compiled): Compiled {
  const op = e.op as Op;
  const fl = l.fn;
  const fr = r.fn;
  const isConst = l.isConst && r.isConst;
  if (l.type === 'dynamic' || r.type === 'dynamic') {
    // Decided per row from the values themselves.
    return {
      type: 'dynamic',
      fn: (x) => {
        const a = fl(x);
        const b = fr(x);
        const ka = kindOf(a);
        const kb = kindOf(b);
        const res = ka && kb ? resolve(op, ka, kb) : null;
        return res ? res.impl(a, b) : null;
      },
      isConst,
    };
  }
  const res = resolve(op, l.type, r.type);
  if (!res) semanticError(`the operator '${op}' is not defined for ${l.type} and ${r.type}`, e);
  const impl = res.impl;
  return { type: res.type, fn: (x) => impl(fl(x), fr(x)), isConst };
}

export function compileUnary(e: UnaryExpr, v: Compiled): Compiled {
  if (e.op === '+') return v;
  const f = v.fn;
  if (isNumeric(v.type)) return { type: v.type, fn: (r) => { const x = f(r); return typeof x === 'number' ? -x : null; }, isConst: v.isConst };
  if (v.type === 'timespan') return { type: 'timespan', fn: (r) => { const x = f(r); return x instanceof KTimespan ? new KTimespan(-x.ticks) : null; }, isConst: v.isConst };
  if (v.type === 'dynamic') return { type: 'dynamic', fn: (r) => { const x = f(r); return typeof x === 'number' ? -x : null; }, isConst: v.isConst };
  return semanticError(`unary '-' is not defined for ${v.type}`, e);
}
