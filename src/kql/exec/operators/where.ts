// Consecutive `where` operators run as one filter: one loop per batch over the first non-where input,
// however many there are (one streaming stage per `where` nests an async generator per operator, and
// 10,000 exclusion lines overflow the stack). A row is kept when every operand of every predicate's `and`
// tree is true, which is what the operators one after the other keep. Predicates are pure and total (no
// scalar function throws for a row), so evaluating them in another order, or skipping one whose value is
// known, gives the same rows.
//
// `not(<conjunction>)` operands go through a predicate index (compile/predicateIndex.ts): a row evaluates
// only those whose conjunction may hold for it; for every other one the conjunction is false, so `not` of
// it is true and it keeps the row.
import type { Expr, WhereOp } from '../../ast.js';
import { compileConjuncts } from '../../compile/conjuncts.js';
import { buildPredicateIndex, type PredicateIndex } from '../../compile/predicateIndex.js';
import { type Env, type Plan, RowSchema, type RowFn, type Scope, semanticError } from '../../compile/types.js';
import type { Row } from '../../table.js';

interface Term {
  readonly fn: RowFn;
  /** For `not(X)`: X, whose being false makes the term true. */
  readonly negated: Expr | null;
}

/** The terms of one `where`, and the `where`s before it back to the filter's input. */
interface Link {
  readonly prev: Link | null;
  readonly terms: readonly Term[];
}

interface Chain {
  readonly input: Plan;
  readonly scope: Scope;
  readonly last: Link;
}

const chains = new WeakMap<Plan, Chain>();

function termsOf(op: WhereOp, scope: Scope): Term[] {
  const parts = compileConjuncts(op.predicate, scope);
  if (parts.length === 1) {
    const t = parts[0]!.compiled.type;
    if (t !== 'bool' && t !== 'dynamic') semanticError(`where: the condition must be bool, not ${t}`, op.predicate);
  }
  return parts.map(({ expr, compiled }) => ({
    fn: compiled.fn,
    negated: expr.kind === 'call' && expr.name === 'not' && expr.args.length === 1 ? expr.args[0]! : null,
  }));
}

interface Filter {
  readonly always: readonly RowFn[];
  readonly index: PredicateIndex | null;
  readonly indexed: readonly RowFn[];
}

function buildFilter(chain: Chain): Filter {
  const links: Link[] = [];
  for (let l: Link | null = chain.last; l; l = l.prev) links.push(l);
  const terms = links.reverse().flatMap((l) => l.terms);
  const negated = terms.filter((t) => t.negated !== null);
  const index = buildPredicateIndex(negated.map((t) => t.negated!), chain.scope);
  if (!index) return { always: terms.map((t) => t.fn), index: null, indexed: [] };
  const always = terms.filter((t) => t.negated === null).map((t) => t.fn);
  for (const id of index.unanchored) always.push(negated[id]!.fn);
  return { always, index, indexed: negated.map((t) => t.fn) };
}

function keeps(f: Filter, r: Row): boolean {
  const always = f.always;
  for (let j = 0; j < always.length; j++) if (always[j]!(r) !== true) return false;
  if (f.index) {
    const indexed = f.indexed;
    for (const probe of f.index.probes) {
      const ids = probe.lookup(r);
      for (let j = 0; j < ids.length; j++) if (indexed[ids[j]!]!(r) !== true) return false;
    }
  }
  return true;
}

function filterPlan(chain: Chain): Plan {
  let filter: Filter | undefined;
  const plan: Plan = {
    columns: chain.input.columns,
    async *run() {
      const f = (filter ??= buildFilter(chain));
      for await (const batch of chain.input.run()) {
        const out: Row[] = [];
        for (let i = 0; i < batch.length; i++) {
          const r = batch[i]!;
          if (keeps(f, r)) out.push(r);
        }
        if (out.length) yield out;
      }
    },
  };
  chains.set(plan, chain);
  return plan;
}

/** `input | where ...`; when `input` is itself a filter, one filter with both predicates. */
export function compileWhere(op: WhereOp, input: Plan, env: Env): Plan {
  const found = chains.get(input);
  const prior = found?.scope.env === env ? found : undefined;
  const scope: Scope = prior?.scope ?? { env, row: new RowSchema(input.columns) };
  const terms = termsOf(op, scope);
  return filterPlan({ input: prior ? prior.input : input, scope, last: { prev: prior?.last ?? null, terms } });
}
