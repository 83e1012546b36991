import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exclusionFingerprint, StoreError, type ExclusionCreateInput } from '../../src/store/index.js';
import { count, fresh, RULE, seedFinding, startRun } from './support.js';

const accountRule = (over: Partial<ExclusionCreateInput> = {}): ExclusionCreateInput => ({
  ruleId: RULE,
  scope: 'rule',
  conditions: [
    { column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity', 'NetworkOps'] },
    { column: 'InitiatingProcessFileName', op: '=~', values: ['parsecd.exe'] },
  ],
  scenario: 3,
  author: 'alice',
  ...over,
});

const code = (c: string) => (e: unknown) => e instanceof StoreError && e.code === c;

test('a proposal is stored with its sources, numbered, and audited', (t) => {
  const { store } = fresh(t);
  const f = seedFinding(store);
  const d = store.dispositions.create(
    { findingId: f, classification: 'BenignPositive', reason: 'SuspiciousButExpected', scenario: 3, analystId: 'alice' },
    'alice',
  );
  const x = store.exclusions.create(
    accountRule({ sourceDispositionIds: [d.id], expiresAt: new Date('2024-08-08T12:00:00Z'), comment: 'IT team' }),
    'alice',
  );
  assert.equal(x.id, 1);
  assert.equal(x.state, 'proposed');
  assert.equal(x.deviceId, null);
  assert.equal(x.expiresAt, '2024-08-08T12:00:00.000Z');
  assert.equal(x.conditions[0]!.values[1], 'NetworkOps');
  assert.deepEqual(store.exclusions.sources(x.id), [d.id]);
  assert.deepEqual(store.exclusions.addSources(x.id, [d.id], 'alice'), [], 'linking twice adds nothing');
  const [entry] = store.audit.list({ entity: 'exclusion', entityId: x.id });
  assert.equal(entry!.action, 'exclusion.create');
  assert.deepEqual((entry!.after as { sourceDispositionIds: number[] }).sourceDispositionIds, [d.id]);
});

test('the lifecycle allows only its transitions', (t) => {
  const { store, clock } = fresh(t);
  const x = store.exclusions.create(accountRule(), 'alice');
  assert.throws(() => store.exclusions.revoke(x.id, 'bob'), code('illegal_transition'));
  clock.advance(60_000);
  const active = store.exclusions.approve(x.id, 'bob', 'bob', { expiresAt: new Date('2024-06-01T00:00:00Z') });
  assert.equal(active.state, 'active');
  assert.equal(active.approver, 'bob');
  assert.equal(active.activatedAt, '2024-05-10T12:01:00.000Z');
  assert.equal(active.version, 2);
  assert.throws(
    () => store.exclusions.approve(x.id, 'carol', 'carol'),
    (e: unknown) =>
      e instanceof StoreError &&
      e.message === 'exclusions: exclusion 1 is active; it cannot become active (only from proposed)',
  );
  assert.throws(() => store.exclusions.reject(x.id, 'carol'), code('illegal_transition'));
  const extended = store.exclusions.extend(x.id, new Date('2024-09-01T00:00:00Z'), 'bob');
  assert.equal(extended.expiresAt, '2024-09-01T00:00:00.000Z');
  assert.throws(() => store.exclusions.extend(x.id, new Date('2024-05-01T00:00:00Z'), 'bob'), /not in the future/);
  const revoked = store.exclusions.revoke(x.id, 'carol', 'too wide');
  assert.equal(revoked.state, 'revoked');
  assert.equal(revoked.endedBy, 'carol');
  assert.equal(revoked.endComment, 'too wide');
  for (const attempt of [
    () => store.exclusions.approve(x.id, 'bob', 'bob'),
    () => store.exclusions.reject(x.id, 'bob'),
    () => store.exclusions.revoke(x.id, 'bob'),
    () => store.exclusions.extend(x.id, null, 'bob'),
  ]) {
    assert.throws(attempt, code('illegal_transition'));
  }
  const y = store.exclusions.create(accountRule({ scenario: 4 }), 'alice');
  assert.equal(store.exclusions.reject(y.id, 'bob', 'no').state, 'rejected');
  assert.throws(() => store.exclusions.approve(y.id, 'bob', 'bob'), code('illegal_transition'));
  assert.throws(() => store.exclusions.approve(999, 'bob', 'bob'), code('not_found'));
  assert.deepEqual(
    store.audit.list({ entity: 'exclusion' }).map((a) => `${a.entityId}:${a.action}`).reverse(),
    [
      '1:exclusion.create',
      '1:exclusion.approve',
      '1:exclusion.extend',
      '1:exclusion.revoke',
      '2:exclusion.create',
      '2:exclusion.reject',
    ],
  );
});

test('expiry: past-due exclusions stop applying at once and are marked expired when swept', (t) => {
  const { store, clock } = fresh(t);
  const x = store.exclusions.create(accountRule({ expiresAt: new Date('2024-05-11T00:00:00Z') }), 'alice');
  store.exclusions.approve(x.id, 'bob', 'bob');
  const forever = store.exclusions.create(
    { ruleId: RULE, scope: 'device', deviceId: 'dev-9', conditions: [], author: 'alice' },
    'alice',
  );
  store.exclusions.approve(forever.id, 'bob', 'bob');
  assert.deepEqual(store.exclusions.active(RULE).map((e) => e.id), [x.id, forever.id]);
  assert.deepEqual(store.exclusions.expireDue(), []);
  clock.set('2024-05-11T00:00:00.000Z');
  assert.deepEqual(store.exclusions.active(RULE).map((e) => e.id), [forever.id], 'expiry is exclusive');
  assert.deepEqual(store.exclusions.active(RULE, new Date('2024-05-10T23:59:59Z')).map((e) => e.id), [x.id, forever.id]);
  assert.deepEqual(store.exclusions.expireDue(), [x.id]);
  const expired = store.exclusions.get(x.id)!;
  assert.equal(expired.state, 'expired');
  assert.equal(expired.expiredAt, '2024-05-11T00:00:00.000Z');
  assert.equal(expired.endedBy, 'system');
  assert.deepEqual(store.exclusions.expireDue(), []);
  assert.deepEqual(store.exclusions.list({ state: ['expired', 'revoked'] }).map((e) => e.id), [x.id]);
  assert.equal(store.audit.list({ action: 'exclusion.expire' }).length, 1);
  // A proposal whose expiry passed while it waited cannot be approved as is.
  const stale = store.exclusions.create(accountRule({ scenario: 5, expiresAt: new Date('2024-05-12T00:00:00Z') }), 'alice');
  clock.set('2024-05-13T00:00:00.000Z');
  assert.throws(() => store.exclusions.approve(stale.id, 'bob', 'bob'), /not in the future/);
  const renewed = store.exclusions.approve(stale.id, 'bob', 'bob', { expiresAt: new Date('2024-08-01T00:00:00Z') });
  assert.equal(renewed.expiresAt, '2024-08-01T00:00:00.000Z');
});

test('fingerprints ignore order and case where Kusto does, and block a second live copy', (t) => {
  const { store } = fresh(t);
  const base = accountRule();
  const reordered = accountRule({
    conditions: [
      { column: 'InitiatingProcessFileName', op: '=~', values: ['PARSECD.EXE'] },
      { column: 'InitiatingProcessAccountName', op: 'in~', values: ['networkops', 'ITSecurity', 'NetworkOps'] },
    ],
  });
  const fp = (x: ExclusionCreateInput) =>
    exclusionFingerprint({ ruleId: x.ruleId, scope: x.scope, deviceId: x.deviceId ?? null, conditions: x.conditions });
  assert.equal(fp(base), fp(reordered));
  const exact = (value: string) =>
    accountRule({ conditions: [{ column: 'InitiatingProcessFileName', op: '==', values: [value] }] });
  const caseSensitive = exact('parsecd.exe');
  const otherCase = exact('Parsecd.exe');
  assert.notEqual(fp(caseSensitive), fp(otherCase));
  assert.notEqual(fp(base), fp(accountRule({ ruleId: 'other' })));
  assert.notEqual(fp(base), fp(accountRule({ scope: 'device', deviceId: 'dev-1' })));

  const first = store.exclusions.create(base, 'alice');
  assert.equal(first.fingerprint, fp(base));
  assert.throws(
    () => store.exclusions.create(reordered, 'bob'),
    (e: unknown) =>
      e instanceof StoreError &&
      e.code === 'duplicate' &&
      /already exists as exclusion 1 \(proposed\)/.test(e.message),
  );
  // The database holds the same line even when the repository is bypassed.
  assert.throws(
    () =>
      store.db
        .prepare(
          `INSERT INTO exclusions (rule_id, scope, conditions, state, author, created_at, fingerprint, updated_at)
           VALUES (@r, 'rule', '[1]', 'proposed', 'x', 'now', @fp, 'now')`,
        )
        .run({ r: RULE, fp: first.fingerprint }),
    /UNIQUE constraint failed/,
  );
  store.exclusions.reject(first.id, 'bob');
  const again = store.exclusions.create(reordered, 'carol');
  assert.equal(again.id, 2, 'an ended exclusion does not block a new proposal');
  assert.equal(store.exclusions.findByFingerprint(first.fingerprint)?.id, 2, 'the live one wins');
  store.exclusions.reject(again.id, 'bob');
  assert.equal(store.exclusions.findByFingerprint(first.fingerprint)?.id, 2, 'else the newest');
  assert.equal(store.exclusions.findByFingerprint('0'.repeat(64)), null);
});

test('invalid exclusions are refused before anything is written', (t) => {
  const { store } = fresh(t);
  const create = (over: Partial<ExclusionCreateInput>) => () => store.exclusions.create(accountRule(over), 'a');
  assert.throws(create({ conditions: [] }), /rule-wide exclusion needs at least one condition/);
  assert.throws(() => store.exclusions.create(accountRule({ scope: 'device' }), 'a'), /device id goes with scope 'device'/);
  assert.throws(create({ deviceId: 'dev-1' }), /device id goes with scope 'device'/);
  assert.throws(
    () => store.exclusions.create(accountRule({ conditions: [{ column: 'RemoteIP', op: 'in', values: [] }] }), 'a'),
    /conditions\[0\]\.values: at least one value/,
  );
  assert.throws(() => store.exclusions.create(accountRule({ replaces: [42] }), 'a'), /replaces exclusion 42/);
  assert.throws(() => store.exclusions.create(accountRule({ sourceDispositionIds: [7] }), 'a'), /no disposition 7/);
  assert.throws(() => store.exclusions.create(accountRule({ expiresAt: new Date('2024-01-01') }), 'a'), /not in the future/);
  assert.throws(() => store.exclusions.create(accountRule({ state: 'active' }), 'a'), /needs its approver/);
  assert.equal(count(store, 'exclusions'), 0);
  assert.equal(count(store, 'audit_log'), 0);
});

test('an import can carry an active exclusion whole', (t) => {
  const { store } = fresh(t);
  const x = store.exclusions.create(
    accountRule({
      state: 'active',
      approver: 'bob',
      createdAt: new Date('2024-04-01T00:00:00Z'),
      activatedAt: new Date('2024-04-02T00:00:00Z'),
      tpOverrideReason: 'TP was a red-team exercise',
    }),
    'importer',
  );
  assert.equal(x.state, 'active');
  assert.equal(x.createdAt, '2024-04-01T00:00:00.000Z');
  assert.equal(x.activatedAt, '2024-04-02T00:00:00.000Z');
  assert.equal(x.tpOverrideReason, 'TP was a red-team exercise');
  assert.deepEqual(store.exclusions.active(RULE).map((e) => e.id), [x.id]);
});

test('per-run hit counts are recorded, replaced on repeat, and read back', (t) => {
  const { store } = fresh(t);
  const a = store.exclusions.create(accountRule(), 'alice');
  const vpn = [{ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.0.0.0/8'] }];
  const b = store.exclusions.create(accountRule({ scenario: 5, conditions: vpn }), 'alice');
  const run1 = startRun(store);
  const run2 = startRun(store);
  store.exclusions.recordHits(run1.id, new Map([[a.id, 10], [b.id, 0]]));
  store.exclusions.recordHits(run2.id, new Map([[a.id, 3]]));
  store.exclusions.recordHits(run2.id, new Map([[a.id, 4]]));
  assert.deepEqual(store.exclusions.hitsFor(a.id).map((h) => [h.runId, h.hits]), [[run1.id, 10], [run2.id, 4]]);
  assert.deepEqual(store.exclusions.hitsForRun(run1.id), new Map([[a.id, 10], [b.id, 0]]));
  assert.throws(() => store.exclusions.recordHits(run1.id, new Map([[a.id, -1]])), /must be a count/);
  assert.throws(() => store.exclusions.recordHits(run1.id, new Map([[77, 1]])), /no exclusion 77/);
  assert.throws(() => store.exclusions.recordHits(999, new Map([[a.id, 1]])), /no run 999/);
});
