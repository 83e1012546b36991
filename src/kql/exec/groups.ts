// Group lookup for summarize and distinct: one Map level per key column, keyed by keyOf(value). Nested maps
// keep composite keys injective and type-aware without building a key string per row.
import type { Key } from '../compile/valueops.js';

export class GroupTable<G> {
  private readonly root = new Map<Key, unknown>();
  /** Groups in first-seen order. */
  readonly groups: G[] = [];

  constructor(private readonly depth: number) {}

  /** The group for `keys` (length = depth), created with `make` on first sight. */
  get(keys: readonly Key[], make: () => G): G {
    let m = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      let next = m.get(keys[i]!) as Map<Key, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        m.set(keys[i]!, next);
      }
      m = next;
    }
    const k = keys[last]!;
    let g = m.get(k) as G | undefined;
    if (g === undefined) {
      g = make();
      m.set(k, g);
      this.groups.push(g);
    }
    return g;
  }
}
