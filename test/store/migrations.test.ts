import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { latestVersion, migrate, MIGRATIONS, openStore, StoreError, type Migration } from '../../src/store/index.js';
import { clock, row, RULE, tempDir } from './support.js';

const LATEST = latestVersion(MIGRATIONS);

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_'));
}

test('an empty file migrates to the latest version, creating parent folders', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'nested', 'deeper', 'triage.sqlite');
  const store = openStore(path);
  t.after(() => store.close());
  assert.ok(existsSync(path));
  assert.equal(store.schemaVersion, LATEST);
  assert.ok(LATEST >= 2);
  assert.deepEqual(tables(store.db), [
    'audit_log',
    'bot_state',
    'conversation_refs',
    'dispositions',
    'exclusion_hits',
    'exclusion_sources',
    'exclusions',
    'finding_runs',
    'findings',
    'runs',
  ]);
});

test('reopening an up-to-date file applies nothing and keeps the data', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'triage.sqlite');
  const first = openStore(path);
  const run = first.runs.start(
    { ruleId: RULE, windowStart: new Date(0), windowEnd: new Date(1000), source: 'local', kql: 'x' },
    'system',
  );
  first.close();
  const again = openStore(path);
  t.after(() => again.close());
  assert.equal(again.schemaVersion, LATEST);
  assert.equal(again.runs.get(run.id)?.kql, 'x');
  assert.deepEqual(migrate(again.db, MIGRATIONS), []);
});

test('a version 1 database with data upgrades in place and keeps working', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'old.sqlite');
  const old = new Database(path);
  old.pragma('foreign_keys = ON');
  assert.deepEqual(migrate(old, MIGRATIONS.slice(0, 1)), [1]);
  assert.equal(old.pragma('user_version', { simple: true }), 1);
  assert.ok(!tables(old).includes('finding_runs'));
  old.exec(`
    INSERT INTO runs (id, rule_id, started_at, finished_at, window_start, window_end, source, kql, row_count, status)
      VALUES (1, '${RULE}', '2024-05-08T00:00:00.000Z', '2024-05-08T00:00:01.000Z', '2024-05-03T00:00:00.000Z',
              '2024-05-08T00:00:00.000Z', 'local', 'q', 1, 'ok');
    INSERT INTO findings (id, rule_id, device_id, remote_url, device_name, device_names, first_seen, last_seen,
        report_ids, count, enrichment, state, closed_reason, closed_at, created_run_id, last_run_id, created_at,
        updated_at, version)
      VALUES ('abcd2345', '${RULE}', 'dev-1', 'kessel-ws.parsec.app', 'ws-01', '["ws-01"]',
              '2024-05-06T08:00:00.0000000Z', '2024-05-07T09:30:00.0000000Z', '[101]', 1, '{"Processes":[],
              "ParentProcesses":[],"Accounts":["alice"],"RemoteIPs":[],"Companies":[]}', 'closed', 'disposition',
              '2024-05-08T00:00:02.000Z', 1, 1, '2024-05-08T00:00:01.000Z', '2024-05-08T00:00:02.000Z', 3);
    INSERT INTO dispositions (finding_id, classification, reason, scenario, analyst_id, created_at,
        finding_last_seen_at_time)
      VALUES ('abcd2345', 'BenignPositive', 'SuspiciousButExpected', 3, 'alice', '2024-05-08T00:00:02.000Z',
              '2024-05-07T09:30:00.0000000Z');
  `);
  old.close();

  const c = clock('2024-05-10T12:00:00.000Z');
  const store = openStore(path, { now: c.now });
  t.after(() => store.close());
  assert.equal(store.schemaVersion, LATEST);
  const f = store.findings.get('abcd2345');
  assert.ok(f);
  assert.equal(f.state, 'closed');
  // Migration 2 backfilled what a closed finding was judged at, from its disposition.
  assert.equal(f.closedLastSeen, '2024-05-07T09:30:00.0000000Z');
  assert.equal(store.dispositions.history('abcd2345').length, 1);

  // The upgraded file runs the current code: a newer event reopens the old finding.
  const run = store.runs.start(
    { ruleId: RULE, windowStart: new Date('2024-05-05'), windowEnd: new Date('2024-05-10'), source: 'local', kql: 'q' },
    'system',
  );
  const merged = store.findings.mergeRunRows(RULE, run.id, [
    row({ deviceName: 'ws-01', lastSeen: '2024-05-09T10:00:00Z', reportIds: [101, 150] }),
  ]);
  assert.deepEqual(merged.reopened, ['abcd2345']);
  assert.equal(store.findings.get('abcd2345')?.state, 'recurring');
  assert.equal(store.findings.runs('abcd2345').length, 1);
  assert.deepEqual(store.audit.verify(), { ok: true, count: 2 });
});

test('a database newer than the code is refused, untouched', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'db.sqlite');
  const newer = new Database(path);
  newer.pragma('user_version = 7');
  newer.close();
  assert.throws(
    () => openStore(path),
    (e: unknown) =>
      e instanceof StoreError &&
      e.code === 'schema_too_new' &&
      e.message === `store: ${path} has schema version 7, this build knows up to ${LATEST}; upgrade the tool`,
  );
  const after = new Database(path, { readonly: true });
  t.after(() => after.close());
  assert.equal(after.pragma('user_version', { simple: true }), 7);
  assert.equal(after.pragma('journal_mode', { simple: true }), 'delete');
  assert.deepEqual(tables(after), []);
});

test('a file that is not SQLite gives one clear line', (t) => {
  const path = join(tempDir(t), 'notes.sqlite');
  writeFileSync(path, 'this is not a database, just some text that is long enough to fill a header block....');
  assert.throws(
    () => openStore(path),
    (e: unknown) => e instanceof StoreError && e.code === 'open_failed' && e.message.startsWith(`store: ${path} `),
  );
});

test('a migration that fails midway leaves the file at the previous version', (t) => {
  const path = join(tempDir(t), 'db.sqlite');
  const db = new Database(path);
  t.after(() => db.close());
  const broken: Migration = {
    version: 2,
    name: 'broken',
    up(d) {
      d.exec('CREATE TABLE half_done (x INTEGER)');
      d.exec('INSERT INTO no_such_table VALUES (1)');
    },
  };
  assert.throws(
    () => migrate(db, [MIGRATIONS[0]!, broken], path),
    (e: unknown) => e instanceof StoreError && /migration 2 \(broken\) failed: no such table/.test(e.message),
  );
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  assert.ok(!tables(db).includes('half_done'));
  assert.ok(tables(db).includes('findings'));
});

test('a migration list with a gap is a programming error, caught before anything runs', (t) => {
  const db = new Database(join(tempDir(t), 'db.sqlite'));
  t.after(() => db.close());
  assert.throws(() => migrate(db, [MIGRATIONS[1]!]), /expected 1/);
  assert.equal(db.pragma('user_version', { simple: true }), 0);
  assert.deepEqual(tables(db), []);
});
