// What the local engine reads: a named table with a typed schema, scanned as a stream of row batches.
// Batches keep the per-row cost of async iteration away from the hot loop, and streaming keeps a 1M-row
// file (more than V8's longest string) within a small, fixed memory budget.
import type { ColumnDef } from '../schema/deviceNetworkEvents.js';
import type { Value } from './values.js';

export type { ColumnDef };

/** One row: values aligned with the table's `columns`. */
export type Row = Value[];

export interface TableSource {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Each call starts a fresh scan. Batches may be reused by nobody: the engine may keep the rows. */
  scan(): AsyncIterable<Row[]>;
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
