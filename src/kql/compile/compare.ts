// Comparison, equality, between and boolean logic. Comparisons with null are null (so `where` drops the
// row); `and`/`or` use three-valued logic. Typed fast paths avoid generic dispatch in the common cases.
import type { BetweenExpr, BinaryExpr } from '../ast.js';
import { addTimespan, KDateTime, type KqlType, KTimespan, type Value } from '../values.js';
import { asString } from './convert.js';
import { equalsMatcher, foldString } from './strings.js';
import { type Compiled, constValue, isNumeric, type RowFn, semanticError } from './types.js';
import { compareValues, looseEquals } from './valueops.js';

type Cmp = (a: Value, b: Value) => number | null;

const stringish = (t: KqlType) => t === 'string' || t === 'dynamic' || t === 'guid';

function cmpFor(lt: KqlType, rt: KqlType, op: string, at: BinaryExpr | BetweenExpr): Cmp {
  const ok =
    (isNumeric(lt) && isNumeric(rt)) || (lt === rt && (lt === 'datetime' || lt === 'timespan')) ||
    lt === 'dynamic' || rt === 'dynamic';
  if (!ok) semanticError(`the operator '${op}' is not defined for ${lt} and ${rt}`, at);
  if (isNumeric(lt) && isNumeric(rt)) {
    return (a, b) => (typeof a !== 'number' || typeof b !== 'number' ? null : a < b ? -1 : a > b ? 1 : a === b ? 0 : null);
  }
  if (lt === 'datetime') {
    return (a, b) => (a instanceof KDateTime && b instanceof KDateTime ? (a.ms !== b.ms ? a.ms - b.ms : a.sub - b.sub) : null);
  }
  return (a, b) => (a === null || b === null || typeof a !== typeof b ? null : compareValues(a, b));
}

export function compileComparison(e: BinaryExpr, l: Compiled, r: Compiled): Compiled {
  const fl = l.fn;
  const fr = r.fn;
  const isConst = l.isConst && r.isConst;
  switch (e.op) {
    case '==':
    case '!=': {
      const neg = e.op === '!=';
      if (l.type === 'string' && r.type === 'string') {
        if (r.isConst) {
          const k = constValue(r);
          return { type: 'bool', fn: neg ? (x) => fl(x) !== k : (x) => fl(x) === k, isConst };
        }
        return { type: 'bool', fn: neg ? (x) => fl(x) !== fr(x) : (x) => fl(x) === fr(x), isConst };
      }
      return {
        type: 'bool',
        fn: (x) => {
          const eq = looseEquals(fl(x), fr(x));
          return eq === null ? null : neg ? !eq : eq;
        },
        isConst,
      };
    }
    case '=~':
    case '!~': {
      if (!stringish(l.type) || !stringish(r.type)) semanticError(`the operator '${e.op}' is not defined for ${l.type} and ${r.type}`, e);
      const neg = e.op === '!~';
      if (r.isConst) {
        const m = equalsMatcher(asString(constValue(r)), false);
        return { type: 'bool', fn: (x) => m(asString(fl(x))) !== neg, isConst };
      }
      return { type: 'bool', fn: (x) => (foldString(asString(fl(x))) === foldString(asString(fr(x)))) !== neg, isConst };
    }
    default: {
      const cmp = cmpFor(l.type, r.type, e.op, e);
      const test: (c: number) => boolean =
        e.op === '<' ? (c) => c < 0 : e.op === '<=' ? (c) => c <= 0 : e.op === '>' ? (c) => c > 0 : (c) => c >= 0;
      return {
        type: 'bool',
        fn: (x) => {
          const c = cmp(fl(x), fr(x));
          return c === null ? null : test(c);
        },
        isConst,
      };
    }
  }
}

/** `x between (lo .. hi)`, inclusive at both ends; for a datetime x, `hi` may be a timespan after `lo`. */
export function compileBetween(e: BetweenExpr, x: Compiled, lo: Compiled, hi: Compiled): Compiled {
  const spanHigh = x.type === 'datetime' && hi.type === 'timespan';
  const hiType = spanHigh ? 'datetime' : hi.type;
  const cmp = cmpFor(x.type, lo.type, e.negated ? '!between' : 'between', e);
  cmpFor(x.type, hiType, e.negated ? '!between' : 'between', e);
  const fx = x.fn;
  const flo = lo.fn;
  const fhi: RowFn = spanHigh
    ? (r) => {
        const a = flo(r);
        const s = hi.fn(r);
        return a instanceof KDateTime && s instanceof KTimespan ? addTimespan(a, s) : null;
      }
    : hi.fn;
  const neg = e.negated;
  const isConst = x.isConst && lo.isConst && hi.isConst;
  if (x.type === 'datetime' && lo.isConst && hi.isConst) {
    const a = constValue(lo);
    const b = fhi([]);
    if (!(a instanceof KDateTime) || !(b instanceof KDateTime)) return { type: 'bool', fn: () => null, isConst };
    const { ms: ams, sub: asub } = a;
    const { ms: bms, sub: bsub } = b;
    return {
      type: 'bool',
      fn: (r) => {
        const v = fx(r);
        if (!(v instanceof KDateTime)) return null;
        const inside =
          (v.ms > ams || (v.ms === ams && v.sub >= asub)) && (v.ms < bms || (v.ms === bms && v.sub <= bsub));
        return inside !== neg;
      },
      isConst,
    };
  }
  return {
    type: 'bool',
    fn: (r) => {
      const v = fx(r);
      const c1 = cmp(v, flo(r));
      const c2 = cmp(v, fhi(r));
      if (c1 === null || c2 === null) return null;
      return (c1 >= 0 && c2 <= 0) !== neg;
    },
    isConst,
  };
}

export function compileLogic(e: BinaryExpr, l: Compiled, r: Compiled): Compiled {
  for (const side of [l, r]) {
    if (side.type !== 'bool' && side.type !== 'dynamic') semanticError(`the operator '${e.op}' expects bool operands, not ${side.type}`, e);
  }
  const fl = l.fn;
  const fr = r.fn;
  const isConst = l.isConst && r.isConst;
  if (e.op === 'and') {
    return {
      type: 'bool',
      fn: (x) => {
        const a = fl(x);
        if (a === false) return false;
        const b = fr(x);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      },
      isConst,
    };
  }
  return {
    type: 'bool',
    fn: (x) => {
      const a = fl(x);
      if (a === true) return true;
      const b = fr(x);
      if (b === true) return true;
      return a === false && b === false ? false : null;
    },
    isConst,
  };
}
