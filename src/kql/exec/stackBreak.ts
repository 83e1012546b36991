// Each operator's stage pulls from the one before it, and asking a stage for its next batch resumes every
// stage below it on the same stack: thousands of operators (`| extend` after `| extend`) overflow it. A
// stack break asks its input for a batch only from a fresh microtask, so the stages below it start over on
// a new stack. It passes batches through unchanged.
import type { Plan } from '../compile/types.js';

/** How many nesting stages may run on one stack before the pipeline inserts a break. */
export const STAGES_PER_STACK = 256;

export function breakStack(input: Plan): Plan {
  return {
    columns: input.columns,
    async *run() {
      await null;
      for await (const batch of input.run()) {
        yield batch;
        await null;
      }
    },
  };
}
