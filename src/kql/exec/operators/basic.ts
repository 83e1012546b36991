// where, take/limit and count: streaming stages that never hold more than one batch. where is in where.ts.
import type { TakeOp } from '../../ast.js';
import { compileScalar } from '../../compile/scalar.js';
import { type Compiled, type Env, type Plan, semanticError } from '../../compile/types.js';

export { compileWhere } from './where.js';

/** A row count argument (take, top): a number known before the scan (a literal, a let, or toscalar). */
export function countArg(c: Compiled, what: string, at: { start: number; end: number }): () => number {
  if (c.type !== 'long' && c.type !== 'int' && c.type !== 'real' && c.type !== 'dynamic') {
    semanticError(`${what}: the row count must be a number, not ${c.type}`, at);
  }
  return () => {
    const n = c.fn([]);
    return typeof n === 'number' && n > 0 ? Math.floor(n) : 0;
  };
}

export function compileTake(op: TakeOp, input: Plan, env: Env): Plan {
  const count = countArg(compileScalar(op.count, { env, row: null }), 'take', op.count);
  return {
    columns: input.columns,
    async *run() {
      let left = count();
      if (left <= 0) return;
      for await (const batch of input.run()) {
        if (batch.length >= left) {
          yield batch.length === left ? batch : batch.slice(0, left);
          return;
        }
        left -= batch.length;
        yield batch;
      }
    },
  };
}

export function compileCount(input: Plan): Plan {
  return {
    columns: [{ name: 'Count', type: 'long' }],
    async *run() {
      let n = 0;
      for await (const batch of input.run()) n += batch.length;
      yield [[n]];
    },
  };
}
