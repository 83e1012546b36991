// Tabular expression → Plan: resolve the source (table, let binding, datatable, print, range), then wrap it
// in one streaming stage per operator. Everything is checked here, before any row is read. A table that a
// pipeline starts from is scanned with a hint derived from that pipeline's operators (scanHint.ts).
import type { Expr, PipelineExpr, TabularOperator } from '../ast.js';
import { type Env, type Plan, RowSchema, type Scope, semanticError } from '../compile/types.js';
import type { ColumnDef, ScanHint, TableSource } from '../table.js';
import { compileJoin } from './join.js';
import { compileCount, compileTake, compileWhere } from './operators/basic.js';
import { compileExtend, compileProject, compileProjectAway, compileRename } from './operators/project.js';
import { compileSort, compileTop } from './operators/sort.js';
import { deriveScanHint } from './scanHint.js';
import { breakStack, STAGES_PER_STACK } from './stackBreak.js';
import { compileDatatable, compilePrint, compileRange } from './sources.js';
import { compileDistinct, compileSummarize } from './summarize.js';

export function compileTabular(e: Expr, env: Env): Plan {
  switch (e.kind) {
    case 'name': {
      const b = env.lets.get(e.name);
      if (b?.kind === 'tabular') return b.plan;
      if (b?.kind === 'scalar') return semanticError(`'${e.name}' is a scalar value, not a table`, e);
      const table = env.tables.get(e.name);
      if (!table) return semanticError(`unknown table '${e.name}'`, e);
      return { columns: table.columns, run: () => table.scan() };
    }
    case 'datatable':
      return compileDatatable(e, env);
    case 'print':
      return compilePrint(e, env);
    case 'range':
      return compileRange(e, env);
    case 'pipeline':
      return compilePipeline(e, env);
    case 'call':
      return semanticError(`unsupported tabular function '${e.name}'`, { start: e.nameStart, end: e.nameEnd });
    default:
      return semanticError('expected a tabular expression (a table, datatable, print or a pipeline)', e);
  }
}

/** `(T | a) | b` is `T | a | b`: one chain of operators after its innermost source. */
function flatten(e: PipelineExpr): { source: Expr; operators: TabularOperator[] } {
  const chains: TabularOperator[][] = [];
  let source: Expr = e;
  while (source.kind === 'pipeline') {
    chains.unshift(source.operators);
    source = source.source;
  }
  return { source, operators: chains.flat() };
}

function scannedTable(source: Expr, env: Env): TableSource | undefined {
  return source.kind === 'name' && !env.lets.has(source.name) ? env.tables.get(source.name) : undefined;
}

function compilePipeline(e: PipelineExpr, env: Env): Plan {
  const { source, operators } = flatten(e);
  const table = scannedTable(source, env);
  // The hint is known once every operator is compiled (it needs the schema each one sees), which is
  // before any scan starts. A plan may run more than once (a let used twice): each run scans afresh.
  let hint: ScanHint | undefined;
  let plan: Plan = table ? { columns: table.columns, run: () => table.scan(hint) } : compileTabular(source, env);
  const schemas: Array<readonly ColumnDef[]> = [];
  let stages = 0;
  let prev: TabularOperator | undefined;
  for (const op of operators) {
    schemas.push(plan.columns);
    plan = compileOperator(op, plan, env);
    // Consecutive wheres share one stage (operators/where.ts); every other operator nests one.
    if ((op.kind !== 'where' || prev?.kind !== 'where') && ++stages % STAGES_PER_STACK === 0) plan = breakStack(plan);
    prev = op;
  }
  schemas.push(plan.columns);
  if (table) hint = deriveScanHint(table, operators, schemas, env);
  return plan;
}

export function rowScope(env: Env, plan: Plan): Scope {
  return { env, row: new RowSchema(plan.columns) };
}

function compileOperator(op: TabularOperator, input: Plan, env: Env): Plan {
  switch (op.kind) {
    case 'where':
      return compileWhere(op, input, env);
    case 'project':
      return compileProject(op, input, env);
    case 'extend':
      return compileExtend(op, input, env);
    case 'project-away':
    case 'project-keep':
      return compileProjectAway(op, input);
    case 'project-rename':
      return compileRename(op, input);
    case 'summarize':
      return compileSummarize(op, input, env);
    case 'distinct':
      return compileDistinct(op, input, env);
    case 'sort':
      return compileSort(op, input, env);
    case 'top':
      return compileTop(op, input, env);
    case 'take':
      return compileTake(op, input, env);
    case 'count':
      return compileCount(input);
    case 'join':
      return compileJoin(op, input, env);
  }
}
