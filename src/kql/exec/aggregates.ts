// Aggregation functions for summarize. Each keeps a small per-group state: init, step(row), finish.
// Names follow Kusto's defaults (count_, min_X, set_X, ...); nulls are ignored as Kusto ignores them.
import type { CallExpr, Expr } from '../ast.js';
import { exprName } from '../compile/names.js';
import { compileScalar } from '../compile/scalar.js';
import { type Compiled, constValue, isNumeric, type RowFn, type Scope, semanticError } from '../compile/types.js';
import { compareValues, keyOf, toDynamic, type Key } from '../compile/valueops.js';
import type { Row } from '../table.js';
import { type DynamicValue, KDateTime, type KqlType, KTimespan, type Value } from '../values.js';

export interface AggOutput {
  /** Default column name (before de-duplication). */
  base: string;
  type: KqlType;
}

export interface Aggregate {
  outputs: AggOutput[];
  init(): unknown;
  step(state: unknown, row: Row): unknown;
  finish(state: unknown): Value[];
  /** countif(X): the state is the count, and X and its compiled form, for summarize's predicate index. */
  readonly countIf?: { readonly condition: Expr; readonly pred: RowFn };
}

interface Ctx {
  call: CallExpr;
  scope: Scope;
  /** Input columns that already appear in the output (by-columns), left out of a `*` expansion. */
  exclude: ReadonlySet<string>;
}

const NONE = Symbol('none');
const MAX_SET = 1_048_576;

function arg(ctx: Ctx, i: number): Compiled {
  const e = ctx.call.args[i];
  if (!e) return semanticError(`${ctx.call.name}(): missing argument ${i + 1}`, ctx.call);
  return compileScalar(e, ctx.scope);
}

const argName = (ctx: Ctx, i: number): string => {
  const e = ctx.call.args[i];
  return (e && exprName(e)) ?? '';
};

function predicate(ctx: Ctx, i: number): RowFn {
  const p = arg(ctx, i);
  if (p.type !== 'bool' && p.type !== 'dynamic') semanticError(`${ctx.call.name}(): the condition must be bool, not ${p.type}`, ctx.call.args[i]!);
  return p.fn;
}

const ALWAYS: RowFn = () => true;

function maxSizeArg(ctx: Ctx, i: number): number {
  if (ctx.call.args.length <= i) return MAX_SET;
  const c = arg(ctx, i);
  const v = c.isConst ? constValue(c) : null;
  if (typeof v !== 'number' || v < 1) return semanticError(`${ctx.call.name}(): the size limit must be a positive constant`, ctx.call.args[i]!);
  return Math.min(MAX_SET, Math.floor(v));
}

function count(pred: RowFn, base: string): Aggregate {
  return {
    outputs: [{ base, type: 'long' }],
    init: () => 0,
    step: (s, r) => (pred(r) === true ? (s as number) + 1 : s),
    finish: (s) => [s as number],
  };
}

function countIf(ctx: Ctx): Aggregate {
  const pred = predicate(ctx, 0);
  return { ...count(pred, 'countif_'), countIf: { condition: ctx.call.args[0]!, pred } };
}

function dcount(ctx: Ctx, pred: RowFn, prefix: string): Aggregate {
  const f = arg(ctx, 0).fn;
  return {
    outputs: [{ base: `${prefix}_${argName(ctx, 0)}`, type: 'long' }],
    init: () => new Set<Key>(),
    step: (s, r) => {
      if (pred(r) === true) {
        const v = f(r);
        if (v !== null) (s as Set<Key>).add(keyOf(v));
      }
      return s;
    },
    finish: (s) => [(s as Set<Key>).size],
  };
}

function extreme(ctx: Ctx, pred: RowFn, prefix: string, sign: 1 | -1): Aggregate {
  const x = arg(ctx, 0);
  const f = x.fn;
  const better: (a: Value, b: Value) => boolean =
    x.type === 'datetime'
      ? (a, b) => {
          const d = (a as KDateTime).ms - (b as KDateTime).ms || (a as KDateTime).sub - (b as KDateTime).sub;
          return d * sign > 0;
        }
      : isNumeric(x.type)
        ? (a, b) => ((a as number) - (b as number)) * sign > 0
        : (a, b) => compareValues(a, b) * sign > 0;
  const empty: Value = x.type === 'string' ? '' : null;
  return {
    outputs: [{ base: `${prefix}_${argName(ctx, 0)}`, type: x.type }],
    init: () => NONE,
    step: (s, r) => {
      if (pred(r) !== true) return s;
      const v = f(r);
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) return s;
      return s === NONE || better(v, s as Value) ? v : s;
    },
    finish: (s) => [s === NONE ? empty : (s as Value)],
  };
}

function sum(ctx: Ctx, pred: RowFn, prefix: string, average: boolean): Aggregate {
  const x = arg(ctx, 0);
  const f = x.fn;
  const t = x.type;
  if (!isNumeric(t) && t !== 'timespan' && t !== 'dynamic' && !(average && t === 'datetime')) {
    semanticError(`${ctx.call.name}(): cannot add up ${t} values`, ctx.call);
  }
  const type: KqlType = t === 'timespan' || t === 'datetime' ? t : average || t === 'real' || t === 'dynamic' ? 'real' : 'long';
  const num = (v: Value): number | null =>
    typeof v === 'number' ? v : v instanceof KTimespan ? v.ticks : v instanceof KDateTime ? v.ms : null;
  return {
    outputs: [{ base: `${prefix}_${argName(ctx, 0)}`, type }],
    init: () => ({ total: 0, n: 0 }),
    step: (s, r) => {
      if (pred(r) !== true) return s;
      const v = num(f(r));
      if (v !== null) {
        const st = s as { total: number; n: number };
        st.total += v;
        st.n++;
      }
      return s;
    },
    finish: (s) => {
      const { total, n } = s as { total: number; n: number };
      if (n === 0) return [null];
      const v = average ? total / n : total;
      if (type === 'timespan') return [new KTimespan(Math.round(v))];
      if (type === 'datetime') return [new KDateTime(Math.round(v), 0)];
      return [v];
    },
  };
}

function collect(ctx: Ctx, pred: RowFn, maxAt: number, base: string, distinct: boolean): Aggregate {
  const f = arg(ctx, 0).fn;
  const max = maxSizeArg(ctx, maxAt);
  const add = (st: { seen: Set<Key>; out: DynamicValue[] }, v: DynamicValue) => {
    if (st.out.length >= max) return;
    if (distinct) {
      const k = keyOf(v);
      if (st.seen.has(k)) return;
      st.seen.add(k);
    }
    st.out.push(v);
  };
  return {
    outputs: [{ base: `${base}_${argName(ctx, 0)}`, type: 'dynamic' }],
    init: () => ({ seen: new Set<Key>(), out: [] as DynamicValue[] }),
    step: (s, r) => {
      if (pred(r) !== true) return s;
      const v = f(r);
      if (v === null) return s;
      const st = s as { seen: Set<Key>; out: DynamicValue[] };
      // make_set flattens arrays into their elements; make_list keeps them whole.
      if (distinct && Array.isArray(v)) for (const e of v) add(st, e);
      else add(st, toDynamic(v));
      return s;
    },
    finish: (s) => [(s as { out: DynamicValue[] }).out],
  };
}

/** The argument list of take_any/arg_max after the first: expressions, or `*` for every remaining column. */
function rowArgs(ctx: Ctx, from: number, skipName: string | null): { fns: RowFn[]; outputs: AggOutput[] } {
  const fns: RowFn[] = [];
  const outputs: AggOutput[] = [];
  ctx.call.args.slice(from).forEach((e: Expr, i) => {
    if (e.kind === 'star') {
      ctx.scope.row!.columns.forEach((col, j) => {
        if (ctx.exclude.has(col.name) || col.name === skipName) return;
        fns.push((r) => r[j] ?? (col.type === 'string' ? '' : null));
        outputs.push({ base: col.name, type: col.type });
      });
      return;
    }
    const c = compileScalar(e, ctx.scope);
    fns.push(c.fn);
    outputs.push({ base: exprName(e) ?? `any_arg${from + i}`, type: c.type });
  });
  return { fns, outputs };
}

function takeAny(ctx: Ctx, prefixed: boolean): Aggregate {
  const { fns, outputs } = rowArgs(ctx, 0, null);
  if (prefixed) outputs.forEach((o, i) => (o.base = `any_${exprName(ctx.call.args[i]!) ?? ''}`));
  const single = fns.length === 1 ? fns[0]! : null;
  return {
    outputs,
    init: () => NONE,
    step: (s, r) => {
      // One column: prefer a non-empty value. Several: one whole record.
      if (single) return s === NONE || s === null || s === '' ? single(r) : s;
      return s === NONE ? fns.map((f) => f(r)) : s;
    },
    finish: (s) => (s === NONE ? outputs.map((o) => (o.type === 'string' ? '' : null)) : single ? [s as Value] : (s as Value[])),
  };
}

function argExtreme(ctx: Ctx, sign: 1 | -1): Aggregate {
  const x = arg(ctx, 0);
  const f = x.fn;
  const name = exprName(ctx.call.args[0]!);
  const rest = rowArgs(ctx, 1, name);
  const outputs = [{ base: name ?? (sign > 0 ? 'max_' : 'min_'), type: x.type }, ...rest.outputs];
  return {
    outputs,
    init: () => NONE,
    step: (s, r) => {
      const v = f(r);
      if (v === null) return s;
      if (s !== NONE && compareValues(v, (s as Value[])[0]!) * sign <= 0) return s;
      return [v, ...rest.fns.map((g) => g(r))];
    },
    finish: (s) => (s === NONE ? outputs.map((o) => (o.type === 'string' ? '' : null)) : (s as Value[])),
  };
}

type Builder = (ctx: Ctx) => Aggregate;

const AGGREGATES: Record<string, { min: number; max: number; build: Builder }> = {
  count: { min: 0, max: 1, build: (c) => (c.call.args.length ? count(notEmpty(arg(c, 0).fn), `count_${argName(c, 0)}`) : count(ALWAYS, 'count_')) },
  countif: { min: 1, max: 1, build: countIf },
  dcount: { min: 1, max: 2, build: (c) => dcount(c, ALWAYS, 'dcount') },
  dcountif: { min: 2, max: 3, build: (c) => dcount(c, predicate(c, 1), 'dcountif') },
  min: { min: 1, max: 1, build: (c) => extreme(c, ALWAYS, 'min', -1) },
  max: { min: 1, max: 1, build: (c) => extreme(c, ALWAYS, 'max', 1) },
  minif: { min: 2, max: 2, build: (c) => extreme(c, predicate(c, 1), 'minif', -1) },
  maxif: { min: 2, max: 2, build: (c) => extreme(c, predicate(c, 1), 'maxif', 1) },
  sum: { min: 1, max: 1, build: (c) => sum(c, ALWAYS, 'sum', false) },
  sumif: { min: 2, max: 2, build: (c) => sum(c, predicate(c, 1), 'sumif', false) },
  avg: { min: 1, max: 1, build: (c) => sum(c, ALWAYS, 'avg', true) },
  avgif: { min: 2, max: 2, build: (c) => sum(c, predicate(c, 1), 'avgif', true) },
  make_set: { min: 1, max: 2, build: (c) => collect(c, ALWAYS, 1, 'set', true) },
  makeset: { min: 1, max: 2, build: (c) => collect(c, ALWAYS, 1, 'set', true) },
  make_set_if: { min: 2, max: 3, build: (c) => collect(c, predicate(c, 1), 2, 'set', true) },
  make_list: { min: 1, max: 2, build: (c) => collect(c, ALWAYS, 1, 'list', false) },
  makelist: { min: 1, max: 2, build: (c) => collect(c, ALWAYS, 1, 'list', false) },
  make_list_if: { min: 2, max: 3, build: (c) => collect(c, predicate(c, 1), 2, 'list', false) },
  take_any: { min: 1, max: 64, build: (c) => takeAny(c, false) },
  any: { min: 1, max: 64, build: (c) => takeAny(c, true) },
  arg_max: { min: 1, max: 64, build: (c) => argExtreme(c, 1) },
  arg_min: { min: 1, max: 64, build: (c) => argExtreme(c, -1) },
};

/** For the test that keeps names.ts's AGGREGATE_NAMES in step with this table. */
export const AGGREGATE_FUNCTIONS: readonly string[] = Object.keys(AGGREGATES);

function notEmpty(f: RowFn): RowFn {
  return (r) => {
    const v = f(r);
    return v !== null && v !== '';
  };
}

export function buildAggregate(call: CallExpr, scope: Scope, exclude: ReadonlySet<string>): Aggregate {
  const def = AGGREGATES[call.name];
  if (!def) return semanticError(`'${call.name}' is not an aggregation function`, { start: call.nameStart, end: call.nameEnd });
  if (call.args.length < def.min || call.args.length > def.max) {
    semanticError(`${call.name}(): expects ${def.min === def.max ? def.min : `${def.min} to ${def.max}`} arguments, got ${call.args.length}`, call);
  }
  const starAt = call.args.findIndex((a) => a.kind === 'star');
  if (starAt >= 0 && !['take_any', 'any', 'arg_max', 'arg_min'].includes(call.name)) {
    semanticError(`${call.name}(): '*' is not a valid argument here`, call.args[starAt]!);
  }
  return def.build({ call, scope, exclude });
}
