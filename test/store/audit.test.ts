import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { auditHash } from '../../src/store/audit.js';
import { GENESIS_HASH, type Store } from '../../src/store/index.js';
import { fresh, row, RULE, startRun } from './support.js';

/** Five entries of real activity: run.start, two finding.create, a disposition, a close. */
function activity(store: Store): void {
  const run = startRun(store);
  const { created } = store.findings.mergeRunRows(RULE, run.id, [row(), row({ deviceId: 'dev-2' })], 'alice');
  store.dispositions.create(
    { findingId: created[0]!, classification: 'FalsePositive', reason: 'IncorrectAlertLogic', analystId: 'alice' },
    'alice',
  );
  store.findings.close(created[0]!, 'disposition', 'alice');
}

/** A second connection that goes around the store, as someone with the file would. */
function tamper(t: { after: (fn: () => void) => void }, path: string, ...drop: ('update' | 'delete')[]): Database.Database {
  const raw = new Database(path);
  t.after(() => raw.close());
  for (const d of drop) raw.exec(`DROP TRIGGER audit_log_no_${d}`);
  return raw;
}

test('every change is chained from the genesis hash and verifies', (t) => {
  const { store } = fresh(t);
  assert.deepEqual(store.audit.verify(), { ok: true, count: 0 });
  activity(store);
  const entries = store.audit.list().reverse();
  assert.deepEqual(
    entries.map((e) => e.action),
    ['run.start', 'finding.create', 'finding.create', 'disposition.create', 'finding.close'],
  );
  assert.equal(entries[0]!.prevHash, GENESIS_HASH);
  for (let i = 1; i < entries.length; i++) assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
  assert.equal(entries[4]!.actor, 'alice');
  assert.deepEqual(entries[4]!.before, {
    state: 'open',
    closedReason: null,
    closedAt: null,
    closedLastSeen: null,
    version: 2,
  });
  assert.deepEqual(store.audit.verify(), { ok: true, count: 5 });
  const appended = store.audit.append({
    actor: 'mallory',
    action: 'authz.refused',
    entity: 'exclusion',
    entityId: 3,
    after: { verb: 'approve' },
  });
  assert.equal(appended.id, 6);
  assert.deepEqual(store.audit.list({ action: 'authz.refused' })[0]!.after, { verb: 'approve' });
  assert.deepEqual(store.audit.verify(), { ok: true, count: 6 });
});

test('the database refuses UPDATE and DELETE on the log', (t) => {
  const { store } = fresh(t);
  activity(store);
  const edit = store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 2");
  assert.throws(() => edit.run(), /audit_log is append-only/);
  assert.throws(() => store.db.prepare('DELETE FROM audit_log WHERE id = 2').run(), /audit_log is append-only/);
  assert.deepEqual(store.audit.verify(), { ok: true, count: 5 });
});

test('verify names an edited row', (t) => {
  const { store, path } = fresh(t);
  activity(store);
  const raw = tamper(t, path, 'update');
  raw.prepare(`UPDATE audit_log SET after = json_set(after, '$.classification', 'BenignPositive') WHERE id = 4`).run();
  const result = store.audit.verify();
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 4);
  assert.match(!result.ok ? result.reason : '', /row 4 was altered/);
});

test('verify catches an edit whose hash was recomputed, at the next row', (t) => {
  const { store, path } = fresh(t);
  activity(store);
  const raw = tamper(t, path, 'update');
  // The forger rewrites row 2 and gives it a self-consistent hash; row 3 still points at the old one.
  type Row = Parameters<typeof auditHash>[1] & { prev_hash: string };
  const r2 = raw.prepare('SELECT * FROM audit_log WHERE id = 2').get() as Row;
  const forged = { ...r2, actor: 'mallory' };
  raw
    .prepare('UPDATE audit_log SET actor = @actor, hash = @hash WHERE id = 2')
    .run({ actor: forged.actor, hash: auditHash(r2.prev_hash, forged) });
  assert.deepEqual(store.audit.verify(), {
    ok: false,
    brokenAt: 3,
    reason: 'row 3 does not follow row 2 (prev_hash differs: removed or reordered)',
  });
});

test('verify names the row after one deleted from the middle', (t) => {
  const { store, path } = fresh(t);
  activity(store);
  tamper(t, path, 'delete').prepare('DELETE FROM audit_log WHERE id = 3').run();
  const result = store.audit.verify();
  assert.deepEqual(result, { ok: false, brokenAt: 4, reason: 'row 3 is missing before row 4' });
});

test('verify detects a reordered chain', (t) => {
  const { store, path } = fresh(t);
  activity(store);
  const raw = tamper(t, path, 'update');
  raw.exec(`
    CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE id IN (2, 3);
    UPDATE audit_log SET at = s.at, actor = s.actor, action = s.action, entity = s.entity, entity_id = s.entity_id,
        before = s.before, after = s.after, prev_hash = s.prev_hash, hash = 'tmp' || s.id
      FROM swap s WHERE s.id = 5 - audit_log.id AND audit_log.id IN (2, 3);
    UPDATE audit_log SET hash = (SELECT hash FROM swap WHERE swap.id = 5 - audit_log.id) WHERE id IN (2, 3);
  `);
  const result = store.audit.verify();
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 2);
  assert.match(!result.ok ? result.reason : '', /does not follow row 1/);
});

test('verify detects a truncated tail, even after new appends', (t) => {
  const { store, path } = fresh(t);
  activity(store);
  tamper(t, path, 'delete').prepare('DELETE FROM audit_log WHERE id = 5').run();
  assert.deepEqual(store.audit.verify(), { ok: false, brokenAt: 5, reason: 'rows 5..5 are missing (log truncated)' });
  store.audit.append({ actor: 'system', action: 'run.start', entity: 'run', entityId: 9 });
  const result = store.audit.verify();
  assert.deepEqual(result, { ok: false, brokenAt: 6, reason: 'row 5 is missing before row 6' });
});
