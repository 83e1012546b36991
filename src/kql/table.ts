// What the local engine reads: a named table with a typed schema, scanned as a stream of row batches.
// Batches keep the per-row cost of async iteration away from the hot loop, and streaming keeps a 1M-row
// file (more than V8's longest string) within a small, fixed memory budget.
import type { ColumnDef } from '../schema/deviceNetworkEvents.js';
import type { Value } from './values.js';

export type { ColumnDef };

/** One row: values aligned with the table's `columns`. */
export type Row = Value[];

/**
 * What a scan may skip, derived by the engine from its query (exec/scanHint.ts). Both parts are safe
 * over-approximations: a row the query would keep is never skipped, and every column it reads is typed.
 * A source is free to ignore the hint (memoryTable does); the engine's result is the same either way.
 */
export interface ScanHint {
  /**
   * Columns to type: those the query reads, plus every column whose type can reject a raw value (all but
   * string and dynamic), so that which records are malformed never depends on the hint. The others may
   * load as their empty value. All columns when absent.
   */
  readonly columns?: readonly string[];
  /**
   * Text that the raw record (JSON line, CSV record) of every row the query keeps contains, each piece
   * matched ASCII-case-insensitively. Pieces are printable ASCII without `"`, `\` or `/`, which JSON and
   * CSV spell as is; a record whose text may spell letters indirectly (JSON's \u escapes) must not be
   * skipped on this ground.
   */
  readonly requiredText?: readonly string[];
}

export interface TableSource {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /**
   * Each call starts a fresh scan (a table may be scanned more than once per query, each time with its own
   * hint). Batches may be reused by nobody: the engine may keep the rows.
   */
  scan(hint?: ScanHint): AsyncIterable<Row[]>;
}

export interface QueryResult {
  readonly columns: readonly ColumnDef[];
  readonly rows: Row[];
}

/** An in-memory table, for tests, `datatable`-like fixtures and already-loaded events. */
export function memoryTable(name: string, columns: readonly ColumnDef[], rows: Row[], batchSize = 4096): TableSource {
  return {
    name,
    columns,
    async *scan() {
      for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
    },
  };
}
