// Shared helpers for the engine's golden tests: run a query, render its result as plain JSON-able data
// (datetimes as ISO-8601, timespans as Kusto text), and check a query against Microsoft's parser.
import assert from 'node:assert/strict';
import { KqlError, runKql } from '../../src/kql/index.js';
import { memoryTable, type Row, type TableSource } from '../../src/kql/table.js';
import { KDateTime, type KqlType, KTimespan, parseDateTime, type Value } from '../../src/kql/values.js';
import { DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { kustoErrors } from '../support/kustoParser.js';

export const NOW = parseDateTime('2024-06-10T12:00:00Z')!;

export interface Golden {
  columns: string[];
  rows: unknown[][];
}

function plain(v: Value): unknown {
  if (v instanceof KDateTime) return v.toISOString();
  if (v instanceof KTimespan) return `${v.toString()}`;
  return v;
}

export async function run(query: string, tables: Record<string, TableSource> = {}, now: KDateTime | Date = NOW): Promise<Golden> {
  const r = await runKql(query, { tables, now });
  return { columns: r.columns.map((c) => `${c.name}:${c.type}`), rows: r.rows.map((row) => row.map(plain)) };
}

/** Asserts Microsoft's parser finds no error, so the golden cannot drift from real KQL. */
export function assertKusto(query: string): void {
  assert.deepEqual(kustoErrors(query), [], `Microsoft's parser rejects: ${query}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KustoNs = any;
let analyzer: { K: KustoNs; globals: KustoNs } | undefined;

/** The result schema Microsoft's analyzer infers ('name:type'), or null when it is not a table. */
export function kustoColumns(query: string): string[] | null {
  if (!analyzer) {
    kustoErrors('print 1'); // loads Kusto.Language into the global namespace
    const K = (globalThis as unknown as { Kusto: KustoNs }).Kusto.Language;
    const schema = `(${deviceNetworkEventsColumns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
    const t = K.Symbols.TableSymbol.From(schema).WithName(DEVICE_NETWORK_EVENTS);
    analyzer = { K, globals: K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.$ctor1('db', [t], false)) };
  }
  const rt = analyzer.K.KustoCode.ParseAndAnalyze(query, analyzer.globals).ResultType;
  if (!rt?.Columns) return null;
  const out: string[] = [];
  for (let i = 0; i < rt.Columns.Count; i++) {
    const c = rt.Columns.getItem(i);
    out.push(`${c.Name}:${c.Type.Name}`);
  }
  return out;
}

/**
 * Runs a valid-KQL query and compares the whole result table. The expected columns (names and types) must
 * also be what Microsoft's analyzer infers, so default names like count_ or Column1 cannot drift.
 */
export async function golden(query: string, expected: Golden, tables: Record<string, TableSource> = {}): Promise<void> {
  assertKusto(query);
  assert.deepEqual(kustoColumns(query), expected.columns, `Microsoft's analyzer infers other columns for: ${query}`);
  assert.deepEqual(await run(query, tables), expected, query);
}

/** The formatted KqlError message a query fails with. */
export async function failure(query: string, tables: Record<string, TableSource> = {}): Promise<string> {
  try {
    await runKql(query, { tables, now: NOW });
  } catch (e) {
    assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`expected ${query} to fail`);
}

/** A memory table from a schema text like 'a:string, b:long'. */
export function table(name: string, schema: string, rows: Row[]): TableSource {
  const columns = schema.split(',').map((c) => {
    const [n, t] = c.split(':').map((s) => s.trim());
    return { name: n!, type: t as KqlType };
  });
  return memoryTable(name, columns, rows, 2);
}

export const dt = (s: string): KDateTime => parseDateTime(s)!;
