// runKql: parse, bind the let statements, compile the last tabular statement, run pre-scan subqueries, then
// stream the plan into a result. Every failure is a KqlError with positioned diagnostics.
import { isTabularExpr, compileScalar } from '../compile/scalar.js';
import type { Binding, Env, Plan } from '../compile/types.js';
import { KqlError, PositionedError, SourceMap } from '../diagnostics.js';
import { parseKql } from '../parser/index.js';
import type { QueryResult, Row, TableSource } from '../table.js';
import { KDateTime } from '../values.js';
import { compileTabular } from './pipeline.js';

export interface RunOptions {
  tables: ReadonlyMap<string, TableSource> | Record<string, TableSource>;
  /** The query's clock: now() and ago() read this, so a pinned value gives a reproducible answer. */
  now: KDateTime | Date;
}

function tableMap(tables: RunOptions['tables']): ReadonlyMap<string, TableSource> {
  return tables instanceof Map ? tables : new Map(Object.entries(tables as Record<string, TableSource>));
}

/** Checks the whole query and returns its plan without reading any data (exported for tools and tests). */
export function compileKql(text: string, options: RunOptions): { plan: Plan; env: Env } {
  const src = new SourceMap(text);
  const { query, diagnostics } = parseKql(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!query || errors.length) throw new KqlError(errors.length ? errors : diagnostics);
  const now = options.now instanceof Date ? KDateTime.fromDate(options.now) : options.now;
  if (!(now instanceof KDateTime) || !Number.isFinite(now.ms)) {
    throw new KqlError([src.diagnostic(0, 0, 'kql: options.now is not a valid datetime')]);
  }
  const env: Env = { src, now, tables: tableMap(options.tables), lets: new Map(), preps: [] };
  try {
    let plan: Plan | null = null;
    for (const st of query.statements) {
      const scope = { env, row: null };
      if (st.kind === 'let') {
        const b: Binding = isTabularExpr(st.value, scope)
          ? { kind: 'tabular', plan: compileTabular(st.value, env) }
          : { kind: 'scalar', value: compileScalar(st.value, scope) };
        env.lets.set(st.name, b);
      } else if (isTabularExpr(st.expr, scope)) {
        plan = compileTabular(st.expr, env);
      } else {
        compileScalar(st.expr, scope);
        throw new PositionedError('a query statement must be tabular (a table, a pipeline, datatable or print)', st.start, st.end);
      }
    }
    if (!plan) throw new PositionedError('the query has no tabular expression to run', text.length, text.length);
    return { plan, env };
  } catch (e) {
    if (e instanceof PositionedError) throw new KqlError([src.diagnostic(e.start, e.end, e.message)]);
    if (e instanceof KqlError) throw e;
    const msg = e instanceof RangeError ? 'the query is nested too deeply' : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    throw new KqlError([src.diagnostic(0, text.length, msg)]);
  }
}

export async function runKql(text: string, options: RunOptions): Promise<QueryResult> {
  const { plan, env } = compileKql(text, options);
  const rows: Row[] = [];
  try {
    for (const prep of env.preps) await prep();
    for await (const batch of plan.run()) for (const r of batch) rows.push(r);
  } catch (e) {
    if (e instanceof KqlError) throw e;
    const at = e instanceof PositionedError ? e : { start: 0, end: 0 };
    const msg = e instanceof Error ? e.message : String(e);
    throw new KqlError([env.src.diagnostic(at.start, at.end, `runtime error: ${msg}`)]);
  }
  // String columns are never null in Kusto; a source that left a gap reads as "".
  const stringCols = plan.columns.flatMap((c, i) => (c.type === 'string' ? [i] : []));
  const width = plan.columns.length;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length >= width && stringCols.every((j) => r[j] !== null && r[j] !== undefined)) continue;
    // Rows may be the source's own arrays: fix a copy.
    const fixed = r.slice(0, width);
    for (let j = 0; j < width; j++) fixed[j] = fixed[j] ?? (plan.columns[j]!.type === 'string' ? '' : null);
    rows[i] = fixed;
  }
  return { columns: plan.columns, rows };
}
