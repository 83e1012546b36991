// A local event file as the engine's DeviceNetworkEvents table: streamed in batches, typed per schema, with
// malformed lines reported (line numbers, capped) while the rest loads. Each scan re-reads the file, so
// memory stays flat whatever its size; only the rows the query keeps are held.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ColumnDef, Row, TableSource } from '../../kql/table.js';
import { DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns } from '../../schema/deviceNetworkEvents.js';
import { SourceError } from '../eventSource.js';
import { csvRows, CsvHeaderError } from './csv.js';
import type { ScanHint } from './hint.js';
import { jsonlRows } from './jsonl.js';
import { readLineBlocks } from './lines.js';
import { MalformedLog } from './malformed.js';

export type EventFileFormat = 'jsonl' | 'csv';

/** `rowsRead` counts the lines read so far (rows scanned, whether or not a scan hint let them be skipped). */
export type ProgressCallback = (rowsRead: number, bytesRead: number, totalBytes: number) => void;

export type { ScanHint };

export interface EventTableOptions {
  /** Called every `progressEvery` lines and once at the end of a scan. */
  readonly onProgress?: ProgressCallback | undefined;
  readonly progressEvery?: number;
  /** Rows per yielded batch. */
  readonly batchSize?: number;
  /** Bytes per file read. */
  readonly chunkSize?: number;
  /** A longer line is reported malformed and skipped rather than buffered (default 64 MiB). */
  readonly maxLineBytes?: number;
  /** How many malformed lines are listed one by one before the rest are only counted. */
  readonly maxWarnings?: number;
  readonly signal?: AbortSignal | undefined;
  /** Defaults to DeviceNetworkEvents. */
  readonly tableName?: string;
  readonly columns?: readonly ColumnDef[];
}

export interface ScanReport {
  readonly rows: number;
  readonly malformed: number;
  readonly bytes: number;
  /** Malformed lines with their numbers (the first few), then how many more. */
  readonly warnings: readonly string[];
}

export interface EventTable extends TableSource {
  /** A fresh scan; a hint lets it skip work for rows the query cannot keep (see hint.ts). */
  scan(hint?: ScanHint): AsyncIterable<Row[]>;
  readonly path: string;
  readonly format: EventFileFormat;
  /** What the latest completed scan met; undefined before one completes. */
  readonly lastScan: ScanReport | undefined;
  /**
   * The error that ended the latest scan, if one did. An engine may wrap what a scan throws in its own error
   * type; this keeps the original (a SourceError naming the file) for the caller.
   */
  readonly failure: Error | undefined;
}

const FORMATS: Record<string, EventFileFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
};

const DEFAULTS = {
  batchSize: 4096,
  chunkSize: 1 << 20,
  progressEvery: 100_000,
  maxWarnings: 20,
  maxLineBytes: 64 * 1024 * 1024,
};

export function eventFileFormat(path: string): EventFileFormat {
  const ext = extname(path).toLowerCase();
  const format = FORMATS[ext];
  if (!format) {
    throw new SourceError(
      `local events: ${path}: unsupported file type '${ext || '(none)'}' (expected .jsonl, .ndjson, .json or .csv)`,
    );
  }
  return format;
}

function describeFsError(path: string, err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory'
    : err instanceof Error ? err.message : String(err);
  return new SourceError(`local events: cannot read ${path}: ${why}`, undefined, code);
}

async function fileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw describeFsError(path, err);
  }
  if (info.isDirectory()) throw describeFsError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  return info.size;
}

export function openEventTable(path: string, opts: EventTableOptions = {}): EventTable {
  const format = eventFileFormat(path);
  const columns = opts.columns ?? deviceNetworkEventsColumns;
  const batchSize = opts.batchSize ?? DEFAULTS.batchSize;
  const progressEvery = opts.progressEvery ?? DEFAULTS.progressEvery;
  let lastScan: ScanReport | undefined;
  let failure: Error | undefined;

  async function* scan(hint?: ScanHint): AsyncGenerator<Row[]> {
    failure = undefined;
    try {
      yield* scanFile(hint);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    }
  }

  async function* scanFile(hint?: ScanHint): AsyncGenerator<Row[]> {
    const totalBytes = await fileSize(path);
    const malformed = new MalformedLog(opts.maxWarnings ?? DEFAULTS.maxWarnings);
    const maxLineBytes = opts.maxLineBytes ?? DEFAULTS.maxLineBytes;
    let bytesRead = 0;
    let linesRead = 0;
    const blocks = (async function* () {
      try {
        for await (const block of readLineBlocks(path, {
          chunkSize: opts.chunkSize ?? DEFAULTS.chunkSize,
          maxLineBytes,
          onOverlong: (line) => malformed.add(line, `longer than ${maxLineBytes} bytes`),
          signal: opts.signal,
        })) {
          bytesRead = block.bytesRead;
          linesRead = block.firstLine + block.lines.length - 1;
          yield block;
        }
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        throw describeFsError(path, err);
      }
    })();
    const rowsOf =
      format === 'csv' ? csvRows(blocks, columns, malformed, hint) : jsonlRows(blocks, columns, malformed, hint);

    let rows = 0;
    let nextProgress = progressEvery;
    let batch: Row[] = [];
    // A batch also ends after batchSize *lines*: when a scan hint skips most lines, a batch that waited for
    // batchSize kept rows would span many chunks and live long enough to be promoted to the old generation.
    let batchStartLine = 0;
    try {
      for await (const some of rowsOf) {
        for (const row of some) {
          if (batch.length === 0) batchStartLine = linesRead;
          batch.push(row);
          if (batch.length >= batchSize) {
            rows += batch.length;
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0 && linesRead - batchStartLine >= batchSize) {
          rows += batch.length;
          yield batch;
          batch = [];
        }
        if (opts.onProgress && linesRead >= nextProgress) {
          opts.onProgress(linesRead, bytesRead, totalBytes);
          nextProgress = linesRead + progressEvery;
        }
      }
    } catch (err) {
      if (err instanceof CsvHeaderError) throw new SourceError(`local events: ${path}: ${err.message}`);
      throw err;
    }
    if (batch.length > 0) {
      rows += batch.length;
      yield batch;
    }
    if (rows === 0 && malformed.count > 0) {
      throw new SourceError(`local events: no valid rows in ${path}: ${malformed.first}`);
    }
    opts.onProgress?.(linesRead, bytesRead, totalBytes);
    lastScan = { rows, malformed: malformed.count, bytes: bytesRead, warnings: malformed.warnings(path) };
  }

  return {
    name: opts.tableName ?? DEVICE_NETWORK_EVENTS,
    columns,
    path,
    format,
    get lastScan() {
      return lastScan;
    },
    get failure() {
      return failure;
    },
    scan,
  };
}
