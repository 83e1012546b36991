import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DISPOSITION_REASONS,
  StoreError,
  type Classification,
  type ClassificationReason,
} from '../../src/store/index.js';
import { count, fresh, seedFinding } from './support.js';

const RAW_INSERT = `INSERT INTO dispositions (finding_id, classification, reason, scenario, analyst_id, created_at,
  finding_last_seen_at_time) VALUES (@f, @c, @r, @s, 'alice', '2024-05-10T00:00:00.000Z', '2024-05-07T00:00:00.0000000Z')`;

test('the database CHECK holds Sentinel classification/reason pairs', (t) => {
  const { store } = fresh(t);
  const f = seedFinding(store);
  const insert = store.db.prepare(RAW_INSERT);
  const valid: [Classification, ClassificationReason | null][] = [
    ['TruePositive', 'SuspiciousActivity'],
    ['BenignPositive', 'SuspiciousButExpected'],
    ['FalsePositive', 'IncorrectAlertLogic'],
    ['FalsePositive', 'InaccurateData'],
    ['Undetermined', null],
  ];
  for (const [c, r] of valid) insert.run({ f, c, r, s: null });
  const invalid: [string, string | null][] = [
    ['TruePositive', 'SuspiciousButExpected'],
    ['TruePositive', null],
    ['BenignPositive', 'IncorrectAlertLogic'],
    ['BenignPositive', null],
    ['FalsePositive', null],
    ['FalsePositive', 'SuspiciousActivity'],
    ['Undetermined', 'InaccurateData'],
    ['Malicious', null],
  ];
  for (const [c, r] of invalid) {
    assert.throws(() => insert.run({ f, c, r, s: null }), /CHECK constraint failed/, `${c}/${r}`);
  }
  // A scenario belongs to a benign verdict only.
  assert.throws(() => insert.run({ f, c: 'TruePositive', r: 'SuspiciousActivity', s: 2 }), /CHECK constraint failed/);
  assert.throws(() => insert.run({ f, c: 'BenignPositive', r: 'SuspiciousButExpected', s: 0 }), /CHECK constraint failed/);
  assert.equal(count(store, 'dispositions'), valid.length);
});

test('the repository refuses an invalid pair with a clear message, before writing', (t) => {
  const { store } = fresh(t);
  const f = seedFinding(store);
  const audits = count(store, 'audit_log');
  assert.throws(
    () =>
      store.dispositions.create(
        { findingId: f, classification: 'BenignPositive', reason: 'SuspiciousActivity', analystId: 'alice' },
        'alice',
      ),
    (e: unknown) =>
      e instanceof StoreError &&
      e.code === 'invalid' &&
      e.message ===
        `dispositions: finding ${f}: reason 'SuspiciousActivity' is not valid with BenignPositive ` +
          '(expected SuspiciousButExpected)',
  );
  assert.throws(
    () => store.dispositions.create({ findingId: f, classification: 'FalsePositive', analystId: 'a' }, 'a'),
    /reason null is not valid with FalsePositive \(expected IncorrectAlertLogic or InaccurateData\)/,
  );
  assert.throws(
    () =>
      store.dispositions.create(
        { findingId: f, classification: 'TruePositive', reason: 'SuspiciousActivity', scenario: 1, analystId: 'a' },
        'a',
      ),
    /a scenario goes only with BenignPositive/,
  );
  assert.throws(
    () => store.dispositions.create({ findingId: 'nosuch00', classification: 'Undetermined', analystId: 'a' }, 'a'),
    (e: unknown) => e instanceof StoreError && e.code === 'not_found',
  );
  assert.equal(count(store, 'dispositions'), 0);
  assert.equal(count(store, 'audit_log'), audits);
  assert.deepEqual(DISPOSITION_REASONS.FalsePositive, ['IncorrectAlertLogic', 'InaccurateData']);
});

test('history is kept in order and never rewritten', (t) => {
  const { store, clock } = fresh(t);
  const f = seedFinding(store);
  const v0 = store.findings.get(f)!.version;
  const first = store.dispositions.create(
    {
      findingId: f,
      classification: 'BenignPositive',
      reason: 'SuspiciousButExpected',
      scenario: 4,
      comment: 'Intune rollout',
      analystId: 'aad-1',
      analystName: 'Alice',
    },
    'aad-1',
  );
  clock.advance(1000);
  const second = store.dispositions.create(
    { findingId: f, classification: 'TruePositive', reason: 'SuspiciousActivity', analystId: 'aad-2' },
    'aad-2',
  );
  assert.deepEqual(store.dispositions.history(f).map((d) => d.id), [first.id, second.id]);
  assert.deepEqual(store.dispositions.latest(f), second);
  assert.equal(first.findingLastSeenAt, '2024-05-07T09:30:00.0000000Z');
  assert.equal(first.analystName, 'Alice');
  assert.equal(first.createdAt, '2024-05-10T12:00:00.000Z');
  assert.equal(second.createdAt, '2024-05-10T12:00:01.000Z');
  assert.equal(store.findings.get(f)!.version, v0 + 2, 'a new verdict makes older cards stale');
  assert.throws(() => store.db.prepare("UPDATE dispositions SET comment = 'x'").run(), /append-only/);
  assert.throws(() => store.db.prepare('DELETE FROM dispositions').run(), /append-only/);
  const audit = store.audit.list({ entity: 'disposition', entityId: first.id });
  assert.equal(audit[0]!.action, 'disposition.create');
  assert.equal((audit[0]!.after as { comment: string }).comment, 'Intune rollout');
});

test('latestForMany and bulk groups', (t) => {
  const { store } = fresh(t);
  const a = seedFinding(store, { deviceId: 'a' });
  const b = seedFinding(store, { deviceId: 'b' });
  const c = seedFinding(store, { deviceId: 'c' });
  const made = store.dispositions.createMany(
    [a, b].map((findingId) => ({
      findingId,
      classification: 'FalsePositive' as const,
      reason: 'IncorrectAlertLogic' as const,
      analystId: 'alice',
      bulkId: 'bulk-1',
    })),
    'alice',
  );
  const later = store.dispositions.create({ findingId: a, classification: 'Undetermined', analystId: 'bob' }, 'bob');
  const latest = store.dispositions.latestForMany([a, b, c]);
  assert.deepEqual([...latest.keys()].sort(), [a, b].sort());
  assert.equal(latest.get(a)!.id, later.id);
  assert.equal(latest.get(b)!.id, made[1]!.id);
  assert.deepEqual(store.dispositions.byBulk('bulk-1').map((d) => d.findingId), [a, b]);
});
