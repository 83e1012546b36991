// order/sort by and top N by. Kusto sorts descending by default; nulls come first ascending and last
// descending unless `nulls first|last` says otherwise. top keeps at most ~2N rows while it scans.
import type { SortKey, SortOp, TopOp } from '../../ast.js';
import { compileScalar } from '../../compile/scalar.js';
import { type Env, type Plan, RowSchema } from '../../compile/types.js';
import { compareValues } from '../../compile/valueops.js';
import type { Row } from '../../table.js';
import type { Value } from '../../values.js';
import { countArg } from './basic.js';

type Decorated = { keys: Value[]; row: Row };

function comparator(keys: SortKey[]): (a: Decorated, b: Decorated) => number {
  const dirs = keys.map((k) => (k.direction === 'asc' ? 1 : -1));
  const nullsFirst = keys.map((k) => (k.nulls ? k.nulls === 'first' : k.direction === 'asc'));
  return (a, b) => {
    for (let i = 0; i < dirs.length; i++) {
      const x = a.keys[i]!;
      const y = b.keys[i]!;
      const xn = x === null || (typeof x === 'number' && Number.isNaN(x));
      const yn = y === null || (typeof y === 'number' && Number.isNaN(y));
      if (xn || yn) {
        if (xn && yn) continue;
        return xn === nullsFirst[i] ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return c * dirs[i]!;
    }
    return 0;
  };
}

function keyFns(keys: SortKey[], input: Plan, env: Env) {
  const scope = { env, row: new RowSchema(input.columns) };
  return keys.map((k) => compileScalar(k.expr, scope).fn);
}

export function compileSort(op: SortOp, input: Plan, env: Env): Plan {
  const fns = keyFns(op.keys, input, env);
  const cmp = comparator(op.keys);
  return {
    columns: input.columns,
    async *run() {
      const all: Decorated[] = [];
      for await (const batch of input.run()) for (const row of batch) all.push({ keys: fns.map((f) => f(row)), row });
      all.sort(cmp);
      for (let i = 0; i < all.length; i += 4096) yield all.slice(i, i + 4096).map((d) => d.row);
    },
  };
}

export function compileTop(op: TopOp, input: Plan, env: Env): Plan {
  const count = countArg(compileScalar(op.count, { env, row: null }), 'top', op.count);
  const fns = keyFns(op.keys, input, env);
  const cmp = comparator(op.keys);
  return {
    columns: input.columns,
    async *run() {
      const n = count();
      if (n <= 0) return;
      let buf: Decorated[] = [];
      const cap = Math.max(2 * n, 1024);
      for await (const batch of input.run()) {
        for (const row of batch) buf.push({ keys: fns.map((f) => f(row)), row });
        if (buf.length > cap) buf = buf.sort(cmp).slice(0, n);
      }
      buf.sort(cmp);
      yield buf.slice(0, n).map((d) => d.row);
    },
  };
}
