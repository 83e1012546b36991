// Exclusions: proposed from dispositions, approved (or rejected), then active until revoked or expired. Every
// change is audited; per-run hit counts say what each one suppressed.
import type Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import { auditDiff, type AuditLog } from './audit.js';
import { StoreError } from './errors.js';
import { EXCLUSION_COLUMNS, exclusionParams, toExclusion, type ExclusionRow } from './exclusionRows.js';
import { exclusionDraft } from './exclusionDraft.js';
import { assertTransition, LIVE_STATES } from './exclusionModel.js';
import { wallTime } from './time.js';
import type {
  Actor,
  Exclusion,
  ExclusionCreateInput,
  ExclusionFilter,
  ExclusionHit,
  ExclusionState,
} from './types.js';

type Stmt<P extends object, R = unknown> = Database.Statement<P, R>;

export class ExclusionsRepo {
  private readonly insert: Stmt<ReturnType<typeof exclusionParams>>;
  private readonly save: Stmt<ReturnType<typeof exclusionParams>>;
  private readonly byId: Stmt<{ id: number }, ExclusionRow>;
  private readonly listStmt: Stmt<{ ruleId: string | null; states: string | null }, ExclusionRow>;
  private readonly activeStmt: Stmt<{ ruleId: string; now: string }, ExclusionRow>;
  private readonly dueStmt: Stmt<{ now: string }, ExclusionRow>;
  private readonly byFingerprint: Stmt<{ fingerprint: string }, ExclusionRow>;
  private readonly addSource: Stmt<{ exclusionId: number; dispositionId: number }>;
  private readonly sourcesStmt: Stmt<{ id: number }, { disposition_id: number }>;
  private readonly dispositionExists: Stmt<{ id: number }, { id: number }>;
  private readonly upsertHits: Stmt<{ runId: number; exclusionId: number; hits: number }>;
  private readonly hitsStmt: Stmt<{ id: number }, { run_id: number; started_at: string; hits: number }>;
  private readonly runHitsStmt: Stmt<{ runId: number }, { exclusion_id: number; hits: number }>;
  private readonly runExists: Stmt<{ id: number }, { id: number }>;
  private readonly tx: Tx;

  constructor(
    db: Database.Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {
    const cols = EXCLUSION_COLUMNS.replace(/^id, /, '');
    const values = cols.split(',').map((c) => `@${c.trim()}`).join(', ');
    this.insert = db.prepare(`INSERT INTO exclusions (${cols}) VALUES (${values})`);
    const sets = cols.split(',').map((c) => `${c.trim()} = @${c.trim()}`).join(', ');
    this.save = db.prepare(`UPDATE exclusions SET ${sets} WHERE id = @id`);
    this.byId = db.prepare(`SELECT ${EXCLUSION_COLUMNS} FROM exclusions WHERE id = @id`);
    this.listStmt = db.prepare(
      `SELECT ${EXCLUSION_COLUMNS} FROM exclusions
        WHERE (@ruleId IS NULL OR rule_id = @ruleId)
          AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
        ORDER BY id`,
    );
    this.activeStmt = db.prepare(
      `SELECT ${EXCLUSION_COLUMNS} FROM exclusions
        WHERE rule_id = @ruleId AND state = 'active' AND (expires_at IS NULL OR expires_at > @now) ORDER BY id`,
    );
    this.dueStmt = db.prepare(
      `SELECT ${EXCLUSION_COLUMNS} FROM exclusions
        WHERE state = 'active' AND expires_at IS NOT NULL AND expires_at <= @now ORDER BY id`,
    );
    this.byFingerprint = db.prepare(
      `SELECT ${EXCLUSION_COLUMNS} FROM exclusions WHERE fingerprint = @fingerprint
        ORDER BY state IN ('proposed', 'active') DESC, id DESC LIMIT 1`,
    );
    this.addSource = db.prepare(
      'INSERT OR IGNORE INTO exclusion_sources (exclusion_id, disposition_id) VALUES (@exclusionId, @dispositionId)',
    );
    this.sourcesStmt = db.prepare(
      'SELECT disposition_id FROM exclusion_sources WHERE exclusion_id = @id ORDER BY disposition_id',
    );
    this.dispositionExists = db.prepare('SELECT id FROM dispositions WHERE id = @id');
    this.upsertHits = db.prepare(
      `INSERT INTO exclusion_hits (run_id, exclusion_id, hits) VALUES (@runId, @exclusionId, @hits)
       ON CONFLICT (run_id, exclusion_id) DO UPDATE SET hits = excluded.hits`,
    );
    this.hitsStmt = db.prepare(
      `SELECT h.run_id, r.started_at, h.hits FROM exclusion_hits h JOIN runs r ON r.id = h.run_id
        WHERE h.exclusion_id = @id ORDER BY h.run_id`,
    );
    this.runHitsStmt = db.prepare('SELECT exclusion_id, hits FROM exclusion_hits WHERE run_id = @runId');
    this.runExists = db.prepare('SELECT id FROM runs WHERE id = @id');
    this.tx = transactor(db);
  }

  create(input: ExclusionCreateInput, actor: Actor): Exclusion {
    return this.tx(() => this.createNow(input, actor));
  }

  get(id: number): Exclusion | null {
    const row = this.byId.get({ id });
    return row ? toExclusion(row) : null;
  }

  list(filter: ExclusionFilter = {}): Exclusion[] {
    const states = filter.state === undefined ? null : typeof filter.state === 'string' ? [filter.state] : filter.state;
    return this.listStmt
      .all({ ruleId: filter.ruleId ?? null, states: states === null ? null : JSON.stringify(states) })
      .map(toExclusion);
  }

  /** What a hunt applies: active and not past its expiry at `now`. */
  active(ruleId: string, now: Date = this.now()): Exclusion[] {
    return this.activeStmt.all({ ruleId, now: wallTime(now) }).map(toExclusion);
  }

  /** The live (proposed or active) exclusion with this identity, else the most recent ended one, else null. */
  findByFingerprint(fingerprint: string): Exclusion | null {
    const row = this.byFingerprint.get({ fingerprint });
    return row ? toExclusion(row) : null;
  }

  /** proposed → active. Four-eyes (approver ≠ author) is the caller's policy. */
  approve(id: number, approver: string, actor: Actor, opts: { expiresAt?: Date | null | undefined } = {}): Exclusion {
    return this.tx(() =>
      this.change(id, 'active', actor, 'exclusion.approve', (x, at) => {
        if (!approver) throw new StoreError(`exclusions: exclusion ${id}: approver is required`, 'invalid');
        // A proposal can outlive its own expiry while it waits; activating it then would be a no-op.
        const expiresAt = this.futureOrNull(
          id,
          opts.expiresAt === undefined ? (x.expiresAt === null ? null : new Date(x.expiresAt)) : opts.expiresAt,
        );
        return { ...x, approver, activatedAt: at, expiresAt };
      }),
    );
  }

  /** proposed → rejected. */
  reject(id: number, actor: Actor, comment?: string): Exclusion {
    return this.tx(() =>
      this.change(id, 'rejected', actor, 'exclusion.reject', (x, at) => ({
        ...x,
        rejectedAt: at,
        endedBy: actor,
        endComment: comment ?? null,
      })),
    );
  }

  /** active → revoked. Reopening the findings it closed is the caller's decision. */
  revoke(id: number, actor: Actor, comment?: string): Exclusion {
    return this.tx(() =>
      this.change(id, 'revoked', actor, 'exclusion.revoke', (x, at) => ({
        ...x,
        revokedAt: at,
        endedBy: actor,
        endComment: comment ?? null,
      })),
    );
  }

  /** Sets a new expiry (null: none) on a proposed or active exclusion. */
  extend(id: number, expiresAt: Date | null, actor: Actor): Exclusion {
    return this.tx(() => {
      const before = this.mustGet(id);
      if (!LIVE_STATES.includes(before.state)) {
        throw new StoreError(
          `exclusions: exclusion ${id} is ${before.state}; only a proposed or active one can be extended`,
          'illegal_transition',
        );
      }
      const next = this.bump({ ...before, expiresAt: this.futureOrNull(id, expiresAt) });
      this.save.run(exclusionParams(next));
      const diff = auditDiff(before, next);
      this.audit.append({ actor, action: 'exclusion.extend', entity: 'exclusion', entityId: id, ...diff });
      return next;
    });
  }

  /** Marks every active exclusion whose expiry has passed as expired; returns their ids. */
  expireDue(now: Date = this.now(), actor: Actor = 'system'): number[] {
    return this.tx(() =>
      this.dueStmt.all({ now: wallTime(now) }).map((row) => {
        const x = toExclusion(row);
        return this.change(x.id, 'expired', actor, 'exclusion.expire', (e) => ({
          ...e,
          expiredAt: e.expiresAt,
          endedBy: actor,
        })).id;
      }),
    );
  }

  /** Links more dispositions to an exclusion (a repeat proposal, or the narrow ones a widening came from). */
  addSources(id: number, dispositionIds: readonly number[], actor: Actor): number[] {
    return this.tx(() => {
      this.mustGet(id);
      const added = this.linkSources(id, this.existingDispositions(`exclusions: exclusion ${id}`, dispositionIds));
      if (added.length) {
        const entry = { actor, action: 'exclusion.sources', entity: 'exclusion', entityId: id, after: { added } };
        this.audit.append(entry);
      }
      return added;
    });
  }

  sources(id: number): number[] {
    return this.sourcesStmt.all({ id }).map((r) => r.disposition_id);
  }

  /** Per-run suppressed-event counts (not audited: a measurement, not a change of state). */
  recordHits(runId: number, hits: ReadonlyMap<number, number>): void {
    this.tx(() => {
      const where = `exclusions: run ${runId}`;
      if (!this.runExists.get({ id: runId })) throw new StoreError(`exclusions: no run ${runId}`, 'not_found');
      for (const [exclusionId, n] of hits) {
        if (!this.byId.get({ id: exclusionId })) {
          throw new StoreError(`${where}: no exclusion ${exclusionId}`, 'not_found');
        }
        if (!Number.isSafeInteger(n) || n < 0) {
          throw new StoreError(`${where}: hits for exclusion ${exclusionId} must be a count, got ${n}`, 'invalid');
        }
      }
      for (const [exclusionId, n] of hits) this.upsertHits.run({ runId, exclusionId, hits: n });
    });
  }

  /** Oldest run first. */
  hitsFor(exclusionId: number): ExclusionHit[] {
    return this.hitsStmt
      .all({ id: exclusionId })
      .map((r) => ({ runId: r.run_id, runStartedAt: r.started_at, hits: r.hits }));
  }

  hitsForRun(runId: number): Map<number, number> {
    return new Map(this.runHitsStmt.all({ runId }).map((r) => [r.exclusion_id, r.hits]));
  }

  private createNow(input: ExclusionCreateInput, actor: Actor): Exclusion {
    const draft = exclusionDraft(input, wallTime(this.now()));
    const where = `exclusions: rule ${input.ruleId}`;
    for (const r of draft.replaces) {
      if (!this.byId.get({ id: r })) {
        throw new StoreError(`${where}: replaces exclusion ${r}, which does not exist`, 'invalid');
      }
    }
    const sources = this.existingDispositions(where, input.sourceDispositionIds ?? []);
    const existing = this.findByFingerprint(draft.fingerprint);
    if (LIVE_STATES.includes(draft.state) && existing && LIVE_STATES.includes(existing.state)) {
      throw new StoreError(
        `${where}: the same exclusion already exists as exclusion ${existing.id} (${existing.state})`,
        'duplicate',
      );
    }
    const id = Number(this.insert.run(exclusionParams(draft)).lastInsertRowid);
    this.linkSources(id, sources);
    const created = this.get(id)!;
    this.audit.append({
      actor,
      action: 'exclusion.create',
      entity: 'exclusion',
      entityId: id,
      after: { ...created, sourceDispositionIds: sources },
    });
    return created;
  }

  private change(
    id: number,
    to: ExclusionState,
    actor: Actor,
    action: string,
    apply: (x: Exclusion, at: string) => Exclusion,
  ): Exclusion {
    const before = this.mustGet(id);
    assertTransition(id, before.state, to);
    const next = this.bump({ ...apply(before, wallTime(this.now())), state: to });
    this.save.run(exclusionParams(next));
    this.audit.append({ actor, action, entity: 'exclusion', entityId: id, ...auditDiff(before, next) });
    return next;
  }

  /** The ids, deduplicated, once each is known to exist. */
  private existingDispositions(where: string, ids: readonly number[]): number[] {
    const unique = [...new Set(ids)];
    for (const d of unique) {
      if (!this.dispositionExists.get({ id: d })) throw new StoreError(`${where}: no disposition ${d}`, 'invalid');
    }
    return unique;
  }

  private linkSources(id: number, dispositionIds: readonly number[]): number[] {
    return dispositionIds.filter((d) => this.addSource.run({ exclusionId: id, dispositionId: d }).changes > 0);
  }

  private futureOrNull(id: number, d: Date | null): string | null {
    if (d === null) return null;
    const text = wallTime(d);
    if (text <= wallTime(this.now())) {
      throw new StoreError(`exclusions: exclusion ${id}: expiry ${text} is not in the future`, 'invalid');
    }
    return text;
  }

  private bump(x: Exclusion): Exclusion {
    return { ...x, updatedAt: wallTime(this.now()), version: x.version + 1 };
  }

  private mustGet(id: number): Exclusion {
    const x = this.get(id);
    if (!x) throw new StoreError(`exclusions: no exclusion ${id}`, 'not_found');
    return x;
  }
}
