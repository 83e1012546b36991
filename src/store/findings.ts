// Findings: one per rule + DeviceId + RemoteUrl, merged across runs, closed by a disposition or an exclusion,
// reopened as 'recurring' when events newer than the judged lastSeen arrive.
import type Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import { auditDiff, type AuditLog } from './audit.js';
import { StoreError } from './errors.js';
import { assignFindingId, normalizeFindingId, sha256Bytes, type KeyHash } from './findingId.js';
import { combineRunRows, sameSeen, widen, type RunGroup } from './findingMerge.js';
import {
  COLUMNS,
  OPEN_FIELDS,
  listQuery,
  stateParams,
  toFinding,
  toParams,
  type FindingRow,
  type Params,
} from './findingRows.js';
import { wallTime } from './time.js';
import type {
  Actor,
  Changed,
  CloseManyResult,
  ClosedReason,
  Finding,
  FindingFilter,
  FindingInput,
  FindingRunRecord,
  FindingState,
  MergeResult,
  RunStatus,
} from './types.js';

export interface FindingsRepoOptions {
  /** Only tests replace it, to force id collisions. */
  hash?: KeyHash | undefined;
}

export class FindingsRepo {
  private readonly byId: Database.Statement<{ id: string }, FindingRow>;
  private readonly byKey: Database.Statement<{ ruleId: string; deviceId: string; remoteUrl: string }, FindingRow>;
  private readonly insert: Database.Statement<Params>;
  private readonly save: Database.Statement<Params>;
  private readonly saveState: Database.Statement<Params>;
  private readonly touch: Database.Statement<{ id: string; runId: number }>;
  private readonly seenBy: Database.Statement<Params>;
  private readonly runOf: Database.Statement<{ id: number }, { rule_id: string }>;
  private readonly exclusionOf: Database.Statement<{ id: number }, { rule_id: string }>;
  private readonly latestJudged: Database.Statement<{ id: string }, { at: string }>;
  private readonly runsOf: Database.Statement<{ id: string }, Record<string, string | number>>;
  private readonly counts: Database.Statement<{ ruleId: string | null }, { state: FindingState; n: number }>;
  private readonly listCache = new Map<string, Database.Statement<Params, FindingRow>>();
  private readonly hash: KeyHash;
  private readonly tx: Tx;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
    options: FindingsRepoOptions = {},
  ) {
    this.hash = options.hash ?? sha256Bytes;
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM findings WHERE id = @id`);
    this.byKey = db.prepare(
      `SELECT ${COLUMNS} FROM findings WHERE rule_id = @ruleId AND device_id = @deviceId AND remote_url = @remoteUrl`,
    );
    this.insert = db.prepare(
      `INSERT INTO findings (${COLUMNS}) VALUES (@id, @rule_id, @device_id, @remote_url, @device_name, @device_names,
        @first_seen, @last_seen, @report_ids, @count, @enrichment, @state, @closed_reason, @closed_by_exclusion_id,
        @closed_at, @closed_last_seen, @created_run_id, @last_run_id, @created_at, @updated_at, @version)`,
    );
    this.save = db.prepare(
      `UPDATE findings SET device_name = @device_name, device_names = @device_names, first_seen = @first_seen,
        last_seen = @last_seen, report_ids = @report_ids, count = @count, enrichment = @enrichment, state = @state,
        closed_reason = @closed_reason, closed_by_exclusion_id = @closed_by_exclusion_id, closed_at = @closed_at,
        closed_last_seen = @closed_last_seen, last_run_id = @last_run_id, updated_at = @updated_at,
        version = @version
       WHERE id = @id`,
    );
    this.saveState = db.prepare(
      `UPDATE findings SET state = @state, closed_reason = @closed_reason,
        closed_by_exclusion_id = @closed_by_exclusion_id, closed_at = @closed_at,
        closed_last_seen = @closed_last_seen, updated_at = @updated_at, version = @version
       WHERE id = @id`,
    );
    this.touch = db.prepare('UPDATE findings SET last_run_id = @runId WHERE id = @id');
    this.seenBy = db.prepare(
      `INSERT INTO finding_runs (finding_id, run_id, count, first_seen, last_seen)
       VALUES (@findingId, @runId, @count, @firstSeen, @lastSeen)
       ON CONFLICT (finding_id, run_id) DO UPDATE
         SET count = excluded.count, first_seen = excluded.first_seen, last_seen = excluded.last_seen`,
    );
    this.runOf = db.prepare('SELECT rule_id FROM runs WHERE id = @id');
    this.exclusionOf = db.prepare('SELECT rule_id FROM exclusions WHERE id = @id');
    this.latestJudged = db.prepare(
      'SELECT finding_last_seen_at_time AS at FROM dispositions WHERE finding_id = @id ORDER BY id DESC LIMIT 1',
    );
    this.runsOf = db.prepare(
      `SELECT fr.run_id, fr.count, fr.first_seen, fr.last_seen, r.started_at, r.status
         FROM finding_runs fr JOIN runs r ON r.id = fr.run_id
        WHERE fr.finding_id = @id ORDER BY fr.run_id`,
    );
    this.counts = db.prepare(
      'SELECT state, count(*) AS n FROM findings WHERE (@ruleId IS NULL OR rule_id = @ruleId) GROUP BY state',
    );
    this.tx = transactor(db);
  }

  /**
   * Merges all of one run's rows (pass them in one call: rows of one key are folded, and a second call for
   * the same run replaces that run's contribution rather than adding to it).
   */
  mergeRunRows(ruleId: string, runId: number, rows: readonly FindingInput[], actor: Actor = 'system'): MergeResult {
    return this.tx(() => this.mergeNow(ruleId, runId, rows, actor));
  }

  /** Accepts what a person typed (any case, hyphens, i/l/o for 1/0). */
  get(id: string): Finding | null {
    const row = this.byId.get({ id: normalizeFindingId(id) });
    return row ? toFinding(row) : null;
  }

  getByKey(ruleId: string, deviceId: string, remoteUrl: string): Finding | null {
    const row = this.byKey.get({ ruleId, deviceId, remoteUrl });
    return row ? toFinding(row) : null;
  }

  /** Most recently seen first. */
  list(filter: FindingFilter = {}): Finding[] {
    const { sql, params, shape } = listQuery(filter);
    let stmt = this.listCache.get(shape);
    if (!stmt) {
      stmt = this.db.prepare<Params, FindingRow>(sql);
      this.listCache.set(shape, stmt);
    }
    return stmt.all(params).map(toFinding);
  }

  countByState(ruleId?: string): Record<FindingState, number> {
    const out: Record<FindingState, number> = { open: 0, recurring: 0, closed: 0 };
    for (const r of this.counts.all({ ruleId: ruleId ?? null })) out[r.state] = r.n;
    return out;
  }

  /** The runs that saw this finding, oldest first, each with its own count. */
  runs(id: string): FindingRunRecord[] {
    return this.runsOf.all({ id: normalizeFindingId(id) }).map((r) => ({
      runId: r.run_id as number,
      count: r.count as number,
      firstSeen: r.first_seen as string,
      lastSeen: r.last_seen as string,
      runStartedAt: r.started_at as string,
      runStatus: r.status as RunStatus,
    }));
  }

  /**
   * Closes (or re-closes with another reason). `exclusionId` is required with 'exclusion'. A disposition
   * closure is judged at the latest disposition's view of lastSeen, so create the disposition first.
   */
  close(id: string, reason: ClosedReason, actor: Actor, exclusionId?: number): Changed<Finding> {
    return this.tx(() => this.closeNow(id, reason, actor, exclusionId));
  }

  /** close() for many findings in one transaction: the bulk path (an unknown id fails the whole call). */
  closeMany(ids: readonly string[], reason: ClosedReason, actor: Actor, exclusionId?: number): CloseManyResult {
    return this.tx(() => {
      const out: CloseManyResult = { closed: [], unchanged: [] };
      for (const id of ids) {
        const r = this.closeNow(id, reason, actor, exclusionId);
        (r.changed ? out.closed : out.unchanged).push(r.value.id);
      }
      return out;
    });
  }

  /** A manual reopen is 'open'; the merge reopens as 'recurring'. */
  reopen(id: string, actor: Actor, state: 'open' | 'recurring' = 'open'): Changed<Finding> {
    return this.tx(() => this.reopenNow(id, actor, state));
  }

  private mergeNow(ruleId: string, runId: number, rows: readonly FindingInput[], actor: Actor): MergeResult {
    const run = this.runOf.get({ id: runId });
    if (!run) throw new StoreError(`findings: no run ${runId}`, 'not_found');
    if (run.rule_id !== ruleId) {
      throw new StoreError(`findings: run ${runId} belongs to rule ${run.rule_id}, not ${ruleId}`, 'invalid');
    }
    const result: MergeResult = { created: [], updated: [], reopened: [], unchanged: [] };
    const at = wallTime(this.now());
    for (const g of combineRunRows(rows)) {
      const row = this.byKey.get({ ruleId, deviceId: g.deviceId, remoteUrl: g.remoteUrl });
      if (!row) {
        const f = this.createFinding(ruleId, runId, g, at);
        this.recordSeen(f.id, runId, g);
        this.audit.append({ actor, action: 'finding.create', entity: 'finding', entityId: f.id, after: f });
        result.created.push(f.id);
        continue;
      }
      const before = toFinding(row);
      this.recordSeen(before.id, runId, g);
      const seen = widen(before, g);
      const reopen = before.state === 'closed' && g.lastSeen > (before.closedLastSeen ?? before.lastSeen);
      if (!reopen && sameSeen(before, seen)) {
        this.touch.run({ id: before.id, runId });
        result.unchanged.push(before.id);
        continue;
      }
      const next: Finding = {
        ...before,
        ...seen,
        ...(reopen ? OPEN_FIELDS : {}),
        state: reopen ? 'recurring' : before.state,
        lastRunId: runId,
        updatedAt: at,
        version: before.version + 1,
      };
      this.save.run(toParams(next));
      const action = reopen ? 'finding.reopen' : 'finding.merge';
      this.audit.append({ actor, action, entity: 'finding', entityId: next.id, ...auditDiff(before, next) });
      (reopen ? result.reopened : result.updated).push(next.id);
    }
    return result;
  }

  private createFinding(ruleId: string, runId: number, g: RunGroup, at: string): Finding {
    const taken = (candidate: string) => this.byId.get({ id: candidate }) !== undefined;
    const id = assignFindingId(ruleId, g.deviceId, g.remoteUrl, taken, this.hash);
    const f: Finding = {
      id,
      ruleId,
      deviceId: g.deviceId,
      remoteUrl: g.remoteUrl,
      deviceName: g.deviceName,
      deviceNames: g.deviceNames,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      reportIds: g.reportIds,
      count: g.count,
      enrichment: g.enrichment,
      state: 'open',
      ...OPEN_FIELDS,
      createdRunId: runId,
      lastRunId: runId,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    this.insert.run(toParams(f));
    return f;
  }

  private recordSeen(findingId: string, runId: number, g: RunGroup): void {
    this.seenBy.run({ findingId, runId, count: g.count, firstSeen: g.firstSeen, lastSeen: g.lastSeen });
  }

  private closeNow(id: string, reason: ClosedReason, actor: Actor, exclusionId?: number): Changed<Finding> {
    const before = this.mustGet(id);
    if (reason === 'exclusion' && exclusionId === undefined) {
      throw new StoreError(`findings: closing ${before.id} by exclusion needs the exclusion id`, 'invalid');
    }
    if (reason === 'disposition' && exclusionId !== undefined) {
      throw new StoreError(`findings: closing ${before.id} by disposition takes no exclusion id`, 'invalid');
    }
    const byExclusion = reason === 'exclusion' ? exclusionId! : null;
    if (byExclusion !== null && !this.exclusionOf.get({ id: byExclusion })) {
      throw new StoreError(`findings: closing ${before.id}: no exclusion ${byExclusion}`, 'not_found');
    }
    if (before.state === 'closed' && before.closedReason === reason && before.closedByExclusionId === byExclusion) {
      return { value: before, changed: false };
    }
    const judgedAt =
      reason === 'disposition' ? (this.latestJudged.get({ id: before.id })?.at ?? before.lastSeen) : before.lastSeen;
    const at = wallTime(this.now());
    const next: Finding = {
      ...before,
      state: 'closed',
      closedReason: reason,
      closedByExclusionId: byExclusion,
      closedAt: at,
      closedLastSeen: judgedAt,
      updatedAt: at,
      version: before.version + 1,
    };
    this.saveState.run(stateParams(next));
    this.audit.append({
      actor,
      action: 'finding.close',
      entity: 'finding',
      entityId: next.id,
      ...auditDiff(before, next),
    });
    return { value: next, changed: true };
  }

  private reopenNow(id: string, actor: Actor, state: 'open' | 'recurring'): Changed<Finding> {
    const before = this.mustGet(id);
    if (before.state === state) return { value: before, changed: false };
    const at = wallTime(this.now());
    const next: Finding = { ...before, ...OPEN_FIELDS, state, updatedAt: at, version: before.version + 1 };
    this.saveState.run(stateParams(next));
    this.audit.append({
      actor,
      action: 'finding.reopen',
      entity: 'finding',
      entityId: next.id,
      ...auditDiff(before, next),
    });
    return { value: next, changed: true };
  }

  private mustGet(id: string): Finding {
    const f = this.get(id);
    if (!f) throw new StoreError(`findings: no finding '${id}'`, 'not_found');
    return f;
  }
}
