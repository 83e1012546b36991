// Dispositions: an analyst's verdict on a finding, in Sentinel's taxonomy. Append-only: a finding's history is
// every disposition it ever got, and the latest one is its current verdict.
import type Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import type { AuditLog } from './audit.js';
import { StoreError } from './errors.js';
import { normalizeFindingId } from './findingId.js';
import { eventTime, wallTime } from './time.js';
import {
  DISPOSITION_REASONS,
  type Actor,
  type Classification,
  type ClassificationReason,
  type Disposition,
  type DispositionInput,
} from './types.js';

interface DispositionRow {
  id: number;
  finding_id: string;
  classification: Classification;
  reason: ClassificationReason | null;
  scenario: number | null;
  comment: string | null;
  analyst_id: string;
  analyst_name: string | null;
  created_at: string;
  finding_last_seen_at_time: string;
  bulk_id: string | null;
}

export class DispositionsRepo {
  private readonly insert: Database.Statement<Omit<DispositionRow, 'id'>>;
  private readonly byId: Database.Statement<{ id: number }, DispositionRow>;
  private readonly historyStmt: Database.Statement<{ findingId: string }, DispositionRow>;
  private readonly latestStmt: Database.Statement<{ findingId: string }, DispositionRow>;
  private readonly latestMany: Database.Statement<{ ids: string }, DispositionRow>;
  private readonly bulkStmt: Database.Statement<{ bulkId: string }, DispositionRow>;
  private readonly findingSeen: Database.Statement<{ id: string }, { last_seen: string }>;
  private readonly bumpFinding: Database.Statement<{ id: string; at: string }>;
  private readonly tx: Tx;

  constructor(
    db: Database.Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {
    this.insert = db.prepare(
      `INSERT INTO dispositions (finding_id, classification, reason, scenario, comment, analyst_id, analyst_name,
         created_at, finding_last_seen_at_time, bulk_id)
       VALUES (@finding_id, @classification, @reason, @scenario, @comment, @analyst_id, @analyst_name,
         @created_at, @finding_last_seen_at_time, @bulk_id)`,
    );
    this.byId = db.prepare('SELECT * FROM dispositions WHERE id = @id');
    this.historyStmt = db.prepare('SELECT * FROM dispositions WHERE finding_id = @findingId ORDER BY id');
    this.latestStmt = db.prepare('SELECT * FROM dispositions WHERE finding_id = @findingId ORDER BY id DESC LIMIT 1');
    this.latestMany = db.prepare(
      `SELECT d.* FROM dispositions d
         JOIN (SELECT max(id) AS id FROM dispositions
                WHERE finding_id IN (SELECT value FROM json_each(@ids)) GROUP BY finding_id) m ON m.id = d.id`,
    );
    this.bulkStmt = db.prepare('SELECT * FROM dispositions WHERE bulk_id = @bulkId ORDER BY id');
    this.findingSeen = db.prepare('SELECT last_seen FROM findings WHERE id = @id');
    // A new verdict changes what a finding's card shows, so cards of the older version are stale.
    this.bumpFinding = db.prepare('UPDATE findings SET version = version + 1, updated_at = @at WHERE id = @id');
    this.tx = transactor(db);
  }

  /** Records a verdict (and bumps the finding's version). Closing the finding is a separate call. */
  create(input: DispositionInput, actor: Actor): Disposition {
    return this.tx(() => this.createNow(input, actor));
  }

  /** create() for many in one transaction: the bulk path (any invalid input fails the whole call). */
  createMany(inputs: readonly DispositionInput[], actor: Actor): Disposition[] {
    return this.tx(() => inputs.map((input) => this.createNow(input, actor)));
  }

  get(id: number): Disposition | null {
    const row = this.byId.get({ id });
    return row ? toDisposition(row) : null;
  }

  /** Oldest first. */
  history(findingId: string): Disposition[] {
    return this.historyStmt.all({ findingId: normalizeFindingId(findingId) }).map(toDisposition);
  }

  latest(findingId: string): Disposition | null {
    const row = this.latestStmt.get({ findingId: normalizeFindingId(findingId) });
    return row ? toDisposition(row) : null;
  }

  /** Keyed by finding id; findings without a disposition are absent. */
  latestForMany(findingIds: readonly string[]): Map<string, Disposition> {
    const out = new Map<string, Disposition>();
    const rows = this.latestMany.all({ ids: JSON.stringify(findingIds.map(normalizeFindingId)) });
    for (const row of rows) out.set(row.finding_id, toDisposition(row));
    return out;
  }

  byBulk(bulkId: string): Disposition[] {
    return this.bulkStmt.all({ bulkId }).map(toDisposition);
  }

  private createNow(input: DispositionInput, actor: Actor): Disposition {
    const findingId = normalizeFindingId(input.findingId);
    const where = `dispositions: finding ${findingId}`;
    const reason = input.reason ?? null;
    const allowed = DISPOSITION_REASONS[input.classification];
    if (!allowed) throw new StoreError(`${where}: unknown classification '${input.classification}'`, 'invalid');
    if (!allowed.includes(reason)) {
      throw new StoreError(
        `${where}: reason ${reason === null ? 'null' : `'${reason}'`} is not valid with ${input.classification} ` +
          `(expected ${allowed.map((r) => r ?? 'none').join(' or ')})`,
        'invalid',
      );
    }
    const scenario = input.scenario ?? null;
    if (scenario !== null && (!Number.isInteger(scenario) || scenario < 1)) {
      throw new StoreError(`${where}: scenario must be a positive integer, got ${scenario}`, 'invalid');
    }
    if (scenario !== null && input.classification !== 'BenignPositive') {
      const why = `a scenario goes only with BenignPositive, not ${input.classification}`;
      throw new StoreError(`${where}: ${why}`, 'invalid');
    }
    if (!input.analystId) throw new StoreError(`${where}: analyst id is required`, 'invalid');
    const finding = this.findingSeen.get({ id: findingId });
    if (!finding) throw new StoreError(`dispositions: no finding '${input.findingId}'`, 'not_found');
    let judged = finding.last_seen;
    if (input.findingLastSeenAt !== undefined) {
      const t = eventTime(input.findingLastSeenAt);
      if (t === null) throw new StoreError(`${where}: findingLastSeenAt is not a datetime`, 'invalid');
      judged = t;
    }
    const at = wallTime(input.createdAt ?? this.now());
    const row: Omit<DispositionRow, 'id'> = {
      finding_id: findingId,
      classification: input.classification,
      reason,
      scenario,
      comment: input.comment ?? null,
      analyst_id: input.analystId,
      analyst_name: input.analystName ?? null,
      created_at: at,
      finding_last_seen_at_time: judged,
      bulk_id: input.bulkId ?? null,
    };
    const id = Number(this.insert.run(row).lastInsertRowid);
    this.bumpFinding.run({ id: findingId, at: wallTime(this.now()) });
    const d = toDisposition({ id, ...row });
    this.audit.append({ actor, action: 'disposition.create', entity: 'disposition', entityId: d.id, after: d });
    return d;
  }
}

function toDisposition(r: DispositionRow): Disposition {
  return {
    id: r.id,
    findingId: r.finding_id,
    classification: r.classification,
    reason: r.reason,
    scenario: r.scenario,
    comment: r.comment,
    analystId: r.analyst_id,
    analystName: r.analyst_name,
    createdAt: r.created_at,
    findingLastSeenAt: r.finding_last_seen_at_time,
    bulkId: r.bulk_id,
  };
}
