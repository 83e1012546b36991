// One interface over where events live: a local event file run on the local KQL engine, or a Log Analytics
// workspace. The hunt hands either the same final KQL text; a source answers with typed rows.
import type { QueryResult } from '../kql/table.js';

export type SourceStatus = 'ok' | 'partial';

export interface SourceResult extends QueryResult {
  /** 'partial' when Log Analytics answered PartialFailure: rows are kept, and the run is flagged. */
  readonly status: SourceStatus;
  /** Why the result is partial (the service's own error text), when it is. */
  readonly partialError?: string;
  /** Non-fatal problems met while reading (malformed lines in a local file, with their line numbers). */
  readonly warnings: readonly string[];
}

export interface QueryWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface SourceQueryOptions {
  /**
   * The hunt's time window. Log Analytics also needs a service-side timespan (over TimeGenerated), which a
   * source derives from this with a slack for ingestion delay; the local engine ignores it, because the
   * query's own `between` filter already states the window.
   */
  readonly window?: QueryWindow;
  readonly signal?: AbortSignal;
}

export interface EventSource {
  readonly kind: 'local' | 'log-analytics';
  /** For logs and run records: the file path or the workspace id. */
  readonly description: string;
  /** Runs KQL text as is. Failures throw SourceError; a partial answer resolves with status 'partial'. */
  query(kql: string, options?: SourceQueryOptions): Promise<SourceResult>;
}

export class SourceError extends Error {
  constructor(
    message: string,
    /** HTTP status when the service answered with one. */
    readonly status?: number,
    /** The service's error code (for example 'BadArgumentError'), when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
