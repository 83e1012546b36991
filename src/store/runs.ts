// Hunt runs: opened before the query is sent (with its final KQL), finished once with its outcome.
import type Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import { auditDiff, type AuditLog } from './audit.js';
import { StoreError } from './errors.js';
import { wallTime } from './time.js';
import type { Actor, Run, RunFinishInput, RunStartInput } from './types.js';

interface RunRow {
  id: number;
  rule_id: string;
  started_at: string;
  finished_at: string | null;
  window_start: string;
  window_end: string;
  source: Run['source'];
  source_detail: string;
  kql: string;
  row_count: number | null;
  status: Run['status'];
  error: string | null;
  warnings: string;
}

const FINISHED = new Set(['ok', 'partial', 'failed']);

export class RunsRepo {
  private readonly insert: Database.Statement;
  private readonly finishStmt: Database.Statement;
  private readonly byId: Database.Statement<{ id: number }, RunRow>;
  private readonly listStmt: Database.Statement<{ ruleId: string | null; limit: number }, RunRow>;
  private readonly tx: Tx;

  constructor(
    db: Database.Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {
    this.insert = db.prepare(
      `INSERT INTO runs (rule_id, started_at, window_start, window_end, source, source_detail, kql, status)
       VALUES (@ruleId, @startedAt, @windowStart, @windowEnd, @source, @sourceDetail, @kql, 'running')`,
    );
    this.finishStmt = db.prepare(
      `UPDATE runs SET status = @status, finished_at = @finishedAt, row_count = @rowCount, error = @error,
              warnings = @warnings
        WHERE id = @id`,
    );
    this.byId = db.prepare('SELECT * FROM runs WHERE id = @id');
    this.listStmt = db.prepare(
      'SELECT * FROM runs WHERE (@ruleId IS NULL OR rule_id = @ruleId) ORDER BY id DESC LIMIT @limit',
    );
    this.tx = transactor(db);
  }

  start(input: RunStartInput, actor: Actor): Run {
    return this.tx(() => this.startNow(input, actor));
  }

  /** running → ok | partial | failed, once. */
  finish(id: number, input: RunFinishInput, actor: Actor): Run {
    return this.tx(() => this.finishNow(id, input, actor));
  }

  get(id: number): Run | null {
    const row = this.byId.get({ id });
    return row ? toRun(row) : null;
  }

  /** Newest first. */
  list(filter: { ruleId?: string | undefined; limit?: number | undefined } = {}): Run[] {
    return this.listStmt.all({ ruleId: filter.ruleId ?? null, limit: filter.limit ?? 100 }).map(toRun);
  }

  latest(ruleId?: string): Run | null {
    return this.list({ ruleId, limit: 1 })[0] ?? null;
  }

  private startNow(input: RunStartInput, actor: Actor): Run {
    if (input.windowStart.getTime() > input.windowEnd.getTime()) {
      throw new StoreError(
        `runs: window start ${wallTime(input.windowStart)} is after its end ${wallTime(input.windowEnd)}`,
        'invalid',
      );
    }
    const info = this.insert.run({
      ruleId: input.ruleId,
      startedAt: wallTime(input.startedAt ?? this.now()),
      windowStart: wallTime(input.windowStart),
      windowEnd: wallTime(input.windowEnd),
      source: input.source,
      sourceDetail: input.sourceDetail ?? '',
      kql: input.kql,
    });
    const run = this.get(Number(info.lastInsertRowid))!;
    this.audit.append({ actor, action: 'run.start', entity: 'run', entityId: run.id, after: run });
    return run;
  }

  private finishNow(id: number, input: RunFinishInput, actor: Actor): Run {
    const before = this.get(id);
    if (!before) throw new StoreError(`runs: no run ${id}`, 'not_found');
    if (before.status !== 'running') {
      throw new StoreError(`runs: run ${id} is already ${before.status}`, 'illegal_transition');
    }
    if (!FINISHED.has(input.status)) throw new StoreError(`runs: run ${id}: bad status '${input.status}'`, 'invalid');
    this.finishStmt.run({
      id,
      status: input.status,
      finishedAt: wallTime(input.finishedAt ?? this.now()),
      rowCount: input.rowCount ?? null,
      error: input.error ?? null,
      warnings: JSON.stringify(input.warnings ?? []),
    });
    const after = this.get(id)!;
    this.audit.append({ actor, action: 'run.finish', entity: 'run', entityId: id, ...auditDiff(before, after) });
    return after;
  }
}

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    ruleId: r.rule_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    source: r.source,
    sourceDetail: r.source_detail,
    kql: r.kql,
    rowCount: r.row_count,
    status: r.status,
    error: r.error,
    warnings: JSON.parse(r.warnings) as string[],
  };
}
