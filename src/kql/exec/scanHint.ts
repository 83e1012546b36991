// The scan hint for one table scan: which of the table's columns the query can read, and which text every
// row it keeps must contain (scanText.ts). Derived from the operators that follow the table in its pipeline,
// with the schema each one sees (known once the pipeline is compiled). Every step over-approximates: when
// in doubt a column is read and a row is kept, so a hinted scan gives the same result as a full one.
//
// Columns are a backward demand analysis: the pipeline's output is wanted whole (its consumer, be it the
// result, a let, a join or a subquery, is not looked at), and each operator, from the last to the first,
// turns "what is wanted of my output" into "what I read of my input". Columns whose type can reject a raw
// value are typed whatever the query reads, so that a hint never changes which records are malformed.
import type { Expr, JoinOp, TabularOperator } from '../ast.js';
import type { Env } from '../compile/types.js';
import type { ColumnDef, ScanHint, TableSource } from '../table.js';
import { requiredText } from './scanText.js';

/** Names wanted, or every column. */
type Demand = ReadonlySet<string> | 'all';

// Functions that read columns by something other than a name in the text.
const READS_ROW = new Set(['pack_all', 'column_ifexists', 'bag_pack_columns']);

/**
 * Adds to `out` every name `root` may read from its row; false when it reads the whole row (`*`, pack_all()).
 * Iterative: an exclusion list can make a 10,000-deep `and` spine.
 */
function addRefs(root: Expr, out: Set<string>): boolean {
  const stack: Expr[] = [root];
  const push = (xs: readonly Expr[]) => {
    for (const x of xs) stack.push(x);
  };
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'name':
        out.add(e.name);
        break;
      case 'star':
        return false;
      case 'call':
        if (READS_ROW.has(e.name)) return false;
        push(e.args);
        break;
      case 'binary':
        push([e.left, e.right]);
        break;
      case 'unary':
        push([e.operand]);
        break;
      case 'in':
        push([e.left, ...e.items]);
        break;
      case 'between':
        push([e.left, e.low, e.high]);
        break;
      case 'member':
        push([e.target]);
        break;
      case 'index':
        push([e.target, e.index]);
        break;
      // Literals read nothing; a tabular subquery (`in (T | ...)`, toscalar) has its own scope, and its
      // scans their own hints.
      default:
        break;
    }
  }
  return true;
}

function withRefs(base: Demand, exprs: readonly Expr[]): Demand {
  if (base === 'all') return 'all';
  const out = new Set(base);
  for (const e of exprs) if (!addRefs(e, out)) return 'all';
  return out;
}

const RIGHT_ONLY = new Set(['rightanti', 'rightsemi', 'rightantisemi']);

function joinDemand(op: JoinOp, after: Demand, input: readonly ColumnDef[]): Demand {
  const out = new Set(op.on.map((c) => c.left));
  if (RIGHT_ONLY.has(op.joinKind ?? '')) return out;
  if (after === 'all') return 'all';
  // Left columns keep their names in the output; right ones that clash are renamed, so a wanted name
  // that is a left column's is that column.
  for (const c of input) if (after.has(c.name)) out.add(c.name);
  return out;
}

/** What `op` reads of its input (whose columns are `input`), given what is wanted of its output (`output`). */
function demandBefore(op: TabularOperator, after: Demand, input: readonly ColumnDef[], output: readonly ColumnDef[]): Demand {
  switch (op.kind) {
    case 'where':
      return withRefs(after, [op.predicate]);
    case 'take':
      return after;
    case 'sort':
    case 'top':
      return withRefs(after, op.keys.map((k) => k.expr));
    case 'count':
      return new Set();
    case 'project':
      return withRefs(new Set(), op.items.map((i) => i.expr));
    case 'summarize':
      return withRefs(new Set(), [...op.aggregates, ...(op.by ?? [])].map((i) => i.expr));
    case 'distinct':
      return op.items === null ? 'all' : withRefs(new Set(), op.items.map((i) => i.expr));
    case 'extend': {
      if (after === 'all') return 'all';
      // An item with a name of its own (explicit, or a plain column) replaces that column; an unnamed
      // computed item's generated name is not worked out here, so nothing wanted is dropped for it.
      const wanted = new Set(after);
      for (const i of op.items) {
        const defined = i.name ?? (i.expr.kind === 'name' ? i.expr.name : null);
        if (defined !== null) wanted.delete(defined);
      }
      return withRefs(wanted, op.items.map((i) => i.expr));
    }
    case 'project-away':
    case 'project-keep': {
      const kept = output.map((c) => c.name);
      if (after === 'all') return new Set(kept);
      return new Set(kept.filter((n) => after.has(n)));
    }
    case 'project-rename': {
      if (after === 'all') return 'all';
      const from = new Map(op.items.map((i) => [i.newName, i.oldName]));
      return new Set([...after].map((n) => from.get(n) ?? n));
    }
    case 'join':
      return joinDemand(op, after, input);
  }
}

// Any raw value can be held as a string or a dynamic, but not every one as a long, a datetime, a bool...
// A source that rejects a record it cannot type (the event-file reader does) would keep a record with a bad
// value in a column left untyped, which a full scan drops; so those columns are always asked for.
const mayReject = (c: ColumnDef): boolean => c.type !== 'string' && c.type !== 'dynamic';

/** The columns of `table` to type for `operators`: those they can read, and those that may reject a record. */
function columnsToType(table: TableSource, operators: readonly TabularOperator[], schemas: readonly (readonly ColumnDef[])[]): string[] | undefined {
  let demand: Demand = 'all';
  for (let i = operators.length - 1; i >= 0; i--) {
    demand = demandBefore(operators[i]!, demand, schemas[i]!, schemas[i + 1]!);
  }
  if (demand === 'all') return undefined;
  const wanted = demand;
  const typed = table.columns.filter((c) => wanted.has(c.name) || mayReject(c)).map((c) => c.name);
  return typed.length === table.columns.length ? undefined : typed;
}

/**
 * The hint for a scan of `table` whose rows go through `operators`; `schemas[i]` is the columns operator i
 * reads, `schemas[operators.length]` the pipeline's output. Undefined when nothing can be skipped.
 */
export function deriveScanHint(
  table: TableSource,
  operators: readonly TabularOperator[],
  schemas: readonly (readonly ColumnDef[])[],
  env: Env,
): ScanHint | undefined {
  const columns = columnsToType(table, operators, schemas);
  const text = requiredText(table, operators, schemas, env);
  if (columns === undefined && text.length === 0) return undefined;
  return {
    ...(columns !== undefined ? { columns } : {}),
    ...(text.length > 0 ? { requiredText: text } : {}),
  };
}
