import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, openStore } from '../../src/store/index.js';
import { fresh } from './support.js';

test('the connection runs in WAL mode with foreign keys, a busy timeout and NORMAL sync', (t) => {
  const { store, path } = fresh(t);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(store.db.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
  assert.equal(store.db.pragma('synchronous', { simple: true }), 1);
  // WAL is a property of the file: another connection sees it too.
  const other = new Database(path, { readonly: true });
  t.after(() => other.close());
  assert.equal(other.pragma('journal_mode', { simple: true }), 'wal');
});

test('foreign keys are enforced, not just declared', (t) => {
  const { store } = fresh(t);
  assert.throws(
    () =>
      store.db
        .prepare(
          `INSERT INTO dispositions (finding_id, classification, reason, analyst_id, created_at,
             finding_last_seen_at_time) VALUES ('nosuchid', 'Undetermined', NULL, 'alice', 'x', 'y')`,
        )
        .run(),
    /FOREIGN KEY constraint failed/,
  );
});

test('a second connection to the same file reads what the first committed', (t) => {
  const { store, path } = fresh(t);
  const run = store.runs.start(
    { ruleId: 'r', windowStart: new Date(0), windowEnd: new Date(1), source: 'log-analytics', kql: 'q' },
    'system',
  );
  const other = openStore(path);
  t.after(() => other.close());
  assert.equal(other.runs.get(run.id)?.source, 'log-analytics');
});

test(':memory: works for throwaway use', () => {
  const store = openStore(':memory:');
  try {
    assert.equal(store.schemaVersion >= 2, true);
    assert.equal(store.findings.list().length, 0);
  } finally {
    store.close();
  }
});
