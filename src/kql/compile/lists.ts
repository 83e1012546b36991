// `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all` over a list of values. Items may be scalars, dynamic
// arrays (expanded) or tabular expressions (their first column, read before the main scan). Constant lists
// become a Set (or a term index for has_any) once, so a 10,000-value list costs one lookup per row.
import type { Expr, InExpr } from '../ast.js';
import type { Value } from '../values.js';
import { asString } from './convert.js';
import { hasAllMatcher, hasAnyMatcher, foldString } from './strings.js';
import { type Compiled, constValue, type Plan, type RowFn, type Scope, semanticError } from './types.js';
import { keyOf, looseEquals } from './valueops.js';

export interface ListDeps {
  compileScalar(e: Expr, s: Scope): Compiled;
  compileTabular(e: Expr, s: Scope): Plan;
  isTabular(e: Expr, s: Scope): boolean;
}

type Test = (v: Value) => boolean;

function flatten(values: Value[], out: Value[] = []): Value[] {
  for (const v of values) {
    if (Array.isArray(v)) for (const x of v) out.push(x as Value);
    else out.push(v);
  }
  return out;
}

function buildTest(op: InExpr['op'], values: Value[]): Test {
  switch (op) {
    case 'in':
    case '!in': {
      const set = new Set(values.map(keyOf));
      const neg = op === '!in';
      return (v) => (v === null ? neg : set.has(keyOf(v)) !== neg);
    }
    case 'in~':
    case '!in~': {
      const folded = values.map((v) => foldString(asString(v)));
      const set = new Set(folded);
      const lengths = new Set(folded.map((s) => s.length));
      const neg = op === '!in~';
      return (v) => {
        const h = asString(v);
        return (lengths.has(h.length) && set.has(foldString(h))) !== neg;
      };
    }
    case 'has_any': {
      const m = hasAnyMatcher(values.map(asString), false);
      return (v) => m(asString(v));
    }
    case 'has_all': {
      const m = hasAllMatcher(values.map(asString), false);
      return (v) => m(asString(v));
    }
  }
}

async function firstColumn(plan: Plan): Promise<Value[]> {
  const out: Value[] = [];
  for await (const batch of plan.run()) for (const row of batch) out.push(row[0] ?? null);
  return out;
}

export function compileIn(e: InExpr, s: Scope, deps: ListDeps): Compiled {
  const left = deps.compileScalar(e.left, s);
  if ((e.op === 'has_any' || e.op === 'has_all') && left.type !== 'string' && left.type !== 'dynamic' && left.type !== 'guid') {
    semanticError(`the operator '${e.op}' is not defined for ${left.type}`, e);
  }
  if (e.items.length === 0) semanticError(`'${e.op}' needs at least one value`, e);
  const plans: Plan[] = [];
  const scalars: Compiled[] = [];
  for (const item of e.items) {
    if (deps.isTabular(item, s)) plans.push(deps.compileTabular(item, s));
    else scalars.push(deps.compileScalar(item, s));
  }
  const fl = left.fn;
  const allConst = scalars.every((c) => c.isConst);
  if (allConst && plans.length === 0) {
    const test = buildTest(e.op, flatten(scalars.map(constValue)));
    if (left.type === 'string' && e.op === 'in') {
      const set = new Set(flatten(scalars.map(constValue)).map(keyOf));
      return { type: 'bool', fn: (r) => set.has(fl(r) as string), isConst: left.isConst };
    }
    return { type: 'bool', fn: (r) => test(fl(r)), isConst: left.isConst };
  }
  const tabular: Value[] = [];
  if (plans.length) {
    s.env.preps.push(async () => {
      for (const p of plans) tabular.push(...(await firstColumn(p)));
    });
  }
  if (allConst) {
    let test: Test | null = null;
    const base = flatten(scalars.map(constValue));
    return {
      type: 'bool',
      fn: (r) => {
        test ??= buildTest(e.op, flatten(tabular, [...base]));
        return test(fl(r));
      },
      isConst: false,
    };
  }
  // Row-dependent list items: evaluate the list for each row.
  const fs: RowFn[] = scalars.map((c) => c.fn);
  const op = e.op;
  return {
    type: 'bool',
    fn: (r) => {
      const values = flatten(fs.map((f) => f(r)), [...tabular]);
      if (op === 'in' || op === '!in') {
        const v = fl(r);
        const hit = v !== null && values.some((x) => looseEquals(v, x) === true);
        return hit !== (op === '!in');
      }
      return buildTest(op, values)(fl(r));
    },
    isConst: false,
  };
}
