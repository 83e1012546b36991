// The event source for a local JSONL/CSV file: the file is the DeviceNetworkEvents table, and the query text,
// the same text Log Analytics would get, runs on the local engine. Malformed lines come back as warnings.
import { runKql, KqlError } from '../kql/index.js';
import { KDateTime } from '../kql/values.js';
import { SourceError, type EventSource, type SourceQueryOptions, type SourceResult } from './eventSource.js';
import { openEventTable, type EventTable, type ProgressCallback } from './readers/eventTable.js';

export { openEventTable };
export type { EventTable, EventTableOptions, EventFileFormat, ScanHint, ScanReport } from './readers/eventTable.js';

export interface LocalEventSourceOptions {
  readonly path: string;
  /** The pinned clock for now()/ago(); the current time when absent. */
  readonly now?: Date | KDateTime | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

export class LocalEventSource implements EventSource {
  readonly kind = 'local' as const;
  readonly description: string;
  private readonly path: string;
  private readonly now: KDateTime | undefined;
  private readonly onProgress: ProgressCallback | undefined;

  constructor(opts: LocalEventSourceOptions) {
    this.path = opts.path;
    this.description = opts.path;
    this.now = opts.now instanceof Date ? KDateTime.fromDate(opts.now) : opts.now;
    this.onProgress = opts.onProgress;
  }

  async query(kql: string, options: SourceQueryOptions = {}): Promise<SourceResult> {
    // A table per query: its scan report then belongs to this query alone.
    const table: EventTable = openEventTable(this.path, { onProgress: this.onProgress, signal: options.signal });
    const now = this.now ?? KDateTime.fromDate(new Date());
    let result;
    try {
      result = await runKql(kql, { tables: { [table.name]: table }, now });
    } catch (err) {
      // The engine reports a failed scan as a runtime KqlError; the file's own error says it better.
      const cause = table.failure;
      if (cause instanceof SourceError || (cause && cause.name === 'AbortError')) throw cause;
      if (err instanceof SourceError) throw err;
      if (err instanceof KqlError) {
        const wrapped = new SourceError(`local query: ${err.message}`, undefined, 'KqlError');
        wrapped.cause = err;
        throw wrapped;
      }
      throw err;
    }
    return { columns: result.columns, rows: result.rows, status: 'ok', warnings: table.lastScan?.warnings ?? [] };
  }
}
