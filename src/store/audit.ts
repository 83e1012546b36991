// The append-only, hash-chained audit log. Each row's hash covers its own id and the previous row's hash, so
// an edited row, a row removed from the middle, and rows put in another order all break the chain at a row
// that verify() names. Rows removed from the end are caught by comparing with AUTOINCREMENT's high-water mark.
// Triggers make UPDATE and DELETE fail; the chain is what catches someone who went around them.
import type Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { StoreError } from './errors.js';
import { wallTime } from './time.js';
import type { AuditEntryInput, AuditFilter, AuditRecord, AuditVerifyResult } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** The hash of one row: sha256(prev_hash + canonical JSON of its other fields, `before`/`after` as stored text). */
export function auditHash(prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const payload = canonicalJson({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
  });
  return sha256Hex(prevHash + payload);
}

/**
 * The fields that differ, as before/after halves: an update's audit entry carries what changed (plus the
 * version, when the entity has one), while a create carries the whole entity. Smaller rows keep a 10,000-finding
 * bulk mark cheap to hash and write.
 */
export function auditDiff<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    const x = before[key];
    const y = after[key];
    if (x === y) continue;
    if (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    b[key] = x;
    a[key] = y;
  }
  return { before: b, after: a };
}

export class AuditLog {
  private readonly head: Database.Statement<[], { id: number | null; hash: string | null; seq: number | null }>;
  private readonly sequence: Database.Statement<[], { seq: number }>;
  private readonly insert: Database.Statement<AuditRow>;
  private readonly all: Database.Statement<[], AuditRow>;
  /** One statement per combination of filters, so each can use the (entity, entity_id) index. */
  private readonly listCache = new Map<string, Database.Statement<Record<string, string | number>, AuditRow>>();
  private readonly tx: Tx;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.head = db.prepare(
      `SELECT (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1) AS id,
              (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS hash,
              (SELECT seq FROM sqlite_sequence WHERE name = 'audit_log') AS seq`,
    );
    this.sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
    this.insert = db.prepare(
      `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
       VALUES (@id, @at, @actor, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)`,
    );
    this.all = db.prepare('SELECT * FROM audit_log ORDER BY id');
    this.tx = transactor(db);
  }

  /** Appends one entry; inside a caller's transaction it commits or rolls back with it. */
  append(entry: AuditEntryInput): AuditRecord {
    return this.tx(() => this.appendNow(entry));
  }

  /** Newest first. */
  list(filter: AuditFilter = {}): AuditRecord[] {
    const params: Record<string, string | number> = { limit: filter.limit ?? 100 };
    if (filter.entity !== undefined) params.entity = filter.entity;
    if (filter.entityId !== undefined) params.entity_id = String(filter.entityId);
    if (filter.action !== undefined) params.action = filter.action;
    const keys = Object.keys(params).filter((k) => k !== 'limit');
    const shape = keys.join(',');
    let stmt = this.listCache.get(shape);
    if (!stmt) {
      const where = keys.length ? `WHERE ${keys.map((k) => `${k} = @${k}`).join(' AND ')}` : '';
      stmt = this.db.prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT @limit`);
      this.listCache.set(shape, stmt);
    }
    return stmt.all(params).map(toRecord);
  }

  verify(): AuditVerifyResult {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
    let count = 0;
    for (const row of this.all.iterate()) {
      if (row.id !== expectedId) {
        return { ok: false, brokenAt: row.id, reason: `row ${expectedId} is missing before row ${row.id}` };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          brokenAt: row.id,
          reason: `row ${row.id} does not follow row ${row.id - 1} (prev_hash differs: removed or reordered)`,
        };
      }
      if (auditHash(row.prev_hash, row) !== row.hash) {
        return { ok: false, brokenAt: row.id, reason: `row ${row.id} was altered (hash mismatch)` };
      }
      prevHash = row.hash;
      expectedId++;
      count++;
    }
    const seq = this.sequence.get()?.seq ?? 0;
    if (seq > count) {
      return { ok: false, brokenAt: count + 1, reason: `rows ${count + 1}..${seq} are missing (log truncated)` };
    }
    return { ok: true, count };
  }

  private appendNow(entry: AuditEntryInput): AuditRecord {
    if (!entry.actor) throw new StoreError(`audit: ${entry.action}: actor is required`, 'invalid');
    const head = this.head.get()!;
    // The high-water mark, not just the last row: appending after a truncated tail leaves a visible gap.
    const id = Math.max(head.id ?? 0, head.seq ?? 0) + 1;
    const prev = head.hash ?? GENESIS_HASH;
    const fields = {
      id,
      at: wallTime(this.now()),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      // Stored as serialized; the hash covers this exact text, so verify never re-serializes an object.
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    };
    const row: AuditRow = { ...fields, prev_hash: prev, hash: auditHash(prev, fields) };
    this.insert.run(row);
    // The caller's own values, rather than parsing back the text just written.
    const record = toRecord({ ...row, before: null, after: null });
    return { ...record, before: entry.before ?? null, after: entry.after ?? null };
  }
}

function toRecord(r: AuditRow): AuditRecord {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
