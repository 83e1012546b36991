// summarize (and distinct, which is summarize by its columns with no aggregates). Only the groups are kept:
// the input streams through once. Output columns are the by-columns, then the aggregates, in order.
import type { CallExpr, DistinctOp, Expr, NamedExpr, SummarizeOp } from '../ast.js';
import { AGGREGATE_NAMES, NameAllocator } from '../compile/names.js';
import { compileScalar } from '../compile/scalar.js';
import { buildPredicateIndex, type PredicateIndex } from '../compile/predicateIndex.js';
import { type Env, type Plan, RowSchema, type RowFn, type Scope, semanticError } from '../compile/types.js';
import { type Key, keyFnFor } from '../compile/valueops.js';
import type { ColumnDef, Row } from '../table.js';
import type { Value } from '../values.js';
import { type Aggregate, buildAggregate } from './aggregates.js';
import { GroupTable } from './groups.js';
import { itemName } from './operators/project.js';

interface Group {
  by: Value[];
  states: unknown[];
}

/** How one summarize item becomes output values: an aggregate's own outputs, or an expression over aggregates. */
type Output = { kind: 'agg'; agg: number } | { kind: 'expr'; aggs: number[]; fn: RowFn };

const HIDDEN = '\u0000agg';

/** Replaces each aggregate call in `e` with a name bound to its result (for `count() * 2` and the like). */
function liftAggregates(e: Expr, found: CallExpr[]): Expr {
  const walk = (x: Expr): Expr => {
    switch (x.kind) {
      case 'call':
        if (AGGREGATE_NAMES.has(x.name)) {
          found.push(x);
          return { kind: 'name', name: `${HIDDEN}${found.length - 1}`, start: x.start, end: x.end };
        }
        return { ...x, args: x.args.map(walk) };
      case 'binary':
        return { ...x, left: walk(x.left), right: walk(x.right) };
      case 'unary':
        return { ...x, operand: walk(x.operand) };
      case 'in':
        return { ...x, left: walk(x.left), items: x.items.map(walk) };
      case 'between':
        return { ...x, left: walk(x.left), low: walk(x.low), high: walk(x.high) };
      case 'member':
        return { ...x, target: walk(x.target) };
      case 'index':
        return { ...x, target: walk(x.target), index: walk(x.index) };
      default:
        return x;
    }
  };
  return walk(e);
}

/**
 * Which aggregates step one by one, and which countif()s a predicate index steps: a row evaluates only the
 * conditions that may hold for it (thousands of exclusion hit counters), the others stay as they are.
 */
interface Stepping {
  readonly plain: readonly number[];
  readonly index: PredicateIndex | null;
  /** For each indexed condition id: its aggregate, and its compiled condition. */
  readonly aggOf: readonly number[];
  readonly preds: readonly RowFn[];
}

function stepping(aggs: readonly Aggregate[], scope: Scope | null): Stepping {
  const all = aggs.map((_, k) => k);
  const counted = scope ? all.filter((k) => aggs[k]!.countIf) : [];
  const index = counted.length ? buildPredicateIndex(counted.map((k) => aggs[k]!.countIf!.condition), scope!) : null;
  if (!index) return { plain: all, index: null, aggOf: [], preds: [] };
  const indexed = new Set(counted);
  for (const id of index.unanchored) indexed.delete(counted[id]!);
  return { plain: all.filter((k) => !indexed.has(k)), index, aggOf: counted, preds: counted.map((k) => aggs[k]!.countIf!.pred) };
}

function groupPlan(input: Plan, columns: ColumnDef[], byFns: RowFn[], aggs: Aggregate[], outputs: Output[], scope: Scope | null): Plan {
  const depth = byFns.length;
  const keyFns = columns.slice(0, depth).map((c) => keyFnFor(c.type));
  const { plain, index, aggOf, preds } = stepping(aggs, scope);
  return {
    columns,
    async *run() {
      const table = new GroupTable<Group>(Math.max(depth, 1));
      const keys: Key[] = new Array(Math.max(depth, 1)).fill(null);
      const vals: Value[] = new Array(depth);
      const make = (): Group => ({ by: vals.slice(), states: aggs.map((a) => a.init()) });
      const nPlain = plain.length;
      for await (const batch of input.run()) {
        for (let i = 0; i < batch.length; i++) {
          const row = batch[i]!;
          for (let j = 0; j < depth; j++) keys[j] = keyFns[j]!((vals[j] = byFns[j]!(row)));
          const g = table.get(keys, make);
          const st = g.states;
          for (let p = 0; p < nPlain; p++) {
            const k = plain[p]!;
            st[k] = aggs[k]!.step(st[k], row);
          }
          if (index) {
            for (const probe of index.probes) {
              const ids = probe.lookup(row);
              for (let j = 0; j < ids.length; j++) {
                const id = ids[j]!;
                if (preds[id]!(row) === true) st[aggOf[id]!] = (st[aggOf[id]!] as number) + 1;
              }
            }
          }
        }
      }
      // Without `by`, summarize always yields one row, even over no input.
      if (depth === 0 && table.groups.length === 0) table.get(keys, make);
      let out: Row[] = [];
      for (const g of table.groups) {
        const row: Row = g.by.slice();
        const finished = aggs.map((a, k) => a.finish(g.states[k]));
        for (const o of outputs) {
          if (o.kind === 'agg') row.push(...finished[o.agg]!);
          else row.push(o.fn(o.aggs.map((k) => finished[k]![0] ?? null)));
        }
        out.push(row);
        if (out.length === 4096) {
          yield out;
          out = [];
        }
      }
      if (out.length) yield out;
    },
  };
}

function compileBy(items: NamedExpr[], scope: Scope, names: NameAllocator) {
  const counter = { n: 0 };
  const columns: ColumnDef[] = [];
  const fns: RowFn[] = [];
  for (const item of items) {
    const c = compileScalar(item.expr, scope);
    columns.push({ name: itemName(item, names, counter), type: c.type });
    fns.push(c.fn);
  }
  return { columns, fns };
}

export function compileSummarize(op: SummarizeOp, input: Plan, env: Env): Plan {
  const scope: Scope = { env, row: new RowSchema(input.columns) };
  const names = new NameAllocator();
  const by = compileBy(op.by ?? [], scope, names);
  const exclude = new Set(by.columns.map((c) => c.name));
  const aggs: Aggregate[] = [];
  const outputs: Output[] = [];
  const columns = [...by.columns];
  let counter = 0;
  for (const item of op.aggregates) {
    const e = item.expr;
    if (e.kind === 'call' && AGGREGATE_NAMES.has(e.name)) {
      const agg = buildAggregate(e, scope, exclude);
      agg.outputs.forEach((o, i) => {
        const name = i === 0 && item.name !== null
          ? names.explicit(item.name, { start: item.nameStart ?? item.start, end: item.nameEnd ?? item.end })
          : names.generated(o.base);
        columns.push({ name, type: o.type });
      });
      outputs.push({ kind: 'agg', agg: aggs.length });
      aggs.push(agg);
      continue;
    }
    const found: CallExpr[] = [];
    const lifted = liftAggregates(e, found);
    if (found.length === 0) semanticError('summarize: this expression has no aggregation function (count(), sum(), ...)', e);
    const first = aggs.length;
    const hidden: ColumnDef[] = [];
    found.forEach((call, i) => {
      const agg = buildAggregate(call, scope, exclude);
      hidden.push({ name: `${HIDDEN}${i}`, type: agg.outputs[0]!.type });
      aggs.push(agg);
    });
    const post = compileScalar(lifted, { env, row: new RowSchema(hidden) });
    const name = item.name !== null
      ? names.explicit(item.name, { start: item.nameStart ?? item.start, end: item.nameEnd ?? item.end })
      : names.generated(`Column${++counter}`);
    columns.push({ name, type: post.type });
    outputs.push({ kind: 'expr', aggs: found.map((_, i) => first + i), fn: post.fn });
  }
  return groupPlan(input, columns, by.fns, aggs, outputs, scope);
}

export function compileDistinct(op: DistinctOp, input: Plan, env: Env): Plan {
  if (op.items === null) {
    const fns: RowFn[] = input.columns.map((c, j) => (c.type === 'string' ? (r) => r[j] ?? '' : (r) => r[j] ?? null));
    return groupPlan(input, [...input.columns], fns, [], [], null);
  }
  const by = compileBy(op.items, { env, row: new RowSchema(input.columns) }, new NameAllocator());
  return groupPlan(input, by.columns, by.fns, [], [], null);
}
