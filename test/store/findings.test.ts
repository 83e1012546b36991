import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KDateTime } from '../../src/kql/values.js';
import { StoreError } from '../../src/store/index.js';
import { count, fresh, row, RULE, startRun } from './support.js';

test('a new finding stores the run row, normalized', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const r = store.findings.mergeRunRows(RULE, run.id, [
    row({ firstSeen: new KDateTime(Date.parse('2024-05-06T08:00:00Z'), 42), reportIds: [102, 101, 102] }),
  ]);
  assert.equal(r.created.length, 1);
  const f = store.findings.get(r.created[0]!)!;
  assert.equal(f.firstSeen, '2024-05-06T08:00:00.0000042Z');
  assert.equal(f.lastSeen, '2024-05-07T09:30:00.0000000Z');
  assert.deepEqual(f.reportIds, [101, 102]);
  assert.equal(f.state, 'open');
  assert.equal(f.version, 1);
  assert.equal(f.createdRunId, run.id);
  assert.equal(f.enrichment.Accounts[0], 'alice');
});

test('merging across runs widens seen-times, unions report ids, names and enrichment; count is the latest run', (t) => {
  const { store } = fresh(t);
  const run1 = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run1.id, [row()]).created;
  assert.ok(id);
  const run2 = startRun(store);
  const r2 = store.findings.mergeRunRows(RULE, run2.id, [
    // The query groups by DeviceName too: a renamed device comes back as a second row of the same finding.
    row({
      deviceName: 'ws-01-renamed',
      firstSeen: '2024-05-05T13:00:00Z',
      lastSeen: '2024-05-09T10:00:00Z',
      reportIds: [102, 200],
      count: 4,
      enrichment: { Accounts: ['bob'], RemoteIPs: ['203.0.113.10', '198.51.100.7'] },
    }),
    row({ firstSeen: '2024-05-06T00:00:00Z', lastSeen: '2024-05-06T01:00:00Z', reportIds: [50], count: 1 }),
  ]);
  assert.deepEqual(r2, { created: [], updated: [id], reopened: [], unchanged: [] });
  const f = store.findings.get(id)!;
  assert.equal(f.firstSeen, '2024-05-05T13:00:00.0000000Z');
  assert.equal(f.lastSeen, '2024-05-09T10:00:00.0000000Z');
  assert.deepEqual(f.reportIds, [50, 101, 102, 200]);
  assert.deepEqual(f.deviceNames, ['ws-01-renamed', 'ws-01.contoso.com']);
  assert.equal(f.deviceName, 'ws-01-renamed', 'the name on the latest events');
  assert.equal(f.count, 5, "run 2's two rows together");
  assert.deepEqual(f.enrichment.Accounts, ['alice', 'bob']);
  assert.deepEqual(f.enrichment.RemoteIPs, ['198.51.100.7', '203.0.113.10']);
  assert.equal(f.version, 2);
  assert.equal(f.lastRunId, run2.id);
  assert.deepEqual(
    store.findings.runs(id).map((h) => [h.runId, h.count, h.lastSeen]),
    [
      [run1.id, 2, '2024-05-07T09:30:00.0000000Z'],
      [run2.id, 5, '2024-05-09T10:00:00.0000000Z'],
    ],
  );
  const actions = store.audit.list({ entity: 'finding', entityId: id }).map((a) => a.action);
  assert.deepEqual(actions, ['finding.merge', 'finding.create']);
});

test('merging the same run again changes nothing and audits nothing', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run.id, [row()]).created;
  const audits = count(store, 'audit_log');
  const again = store.findings.mergeRunRows(RULE, run.id, [row()]);
  assert.deepEqual(again, { created: [], updated: [], reopened: [], unchanged: [id] });
  assert.equal(store.findings.get(id!)!.version, 1);
  assert.equal(count(store, 'audit_log'), audits);
  assert.equal(store.findings.runs(id!).length, 1);
});

test('keys are exact: a URL differing only in case is another finding', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const r = store.findings.mergeRunRows(RULE, run.id, [row(), row({ remoteUrl: 'Kessel-WS.parsec.app' })]);
  assert.equal(r.created.length, 2);
  assert.ok(store.findings.getByKey(RULE, 'dev-1', 'Kessel-WS.parsec.app'));
  assert.equal(store.findings.getByKey(RULE, 'dev-1', 'KESSEL-WS.PARSEC.APP'), null);
});

test('a benign finding reopens as recurring when newer events arrive', (t) => {
  const { store, clock } = fresh(t);
  const run1 = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run1.id, [row()]).created;
  store.transaction(() => {
    store.dispositions.create(
      { findingId: id!, classification: 'BenignPositive', reason: 'SuspiciousButExpected', scenario: 3, analystId: 'alice' },
      'alice',
    );
    store.findings.close(id!, 'disposition', 'alice');
  });
  assert.equal(store.findings.get(id!)!.closedLastSeen, '2024-05-07T09:30:00.0000000Z');

  clock.advance(3_600_000);
  const run2 = startRun(store);
  const newer = row({ lastSeen: '2024-05-07T09:30:00.0000001Z', reportIds: [300] });
  const r = store.findings.mergeRunRows(RULE, run2.id, [newer]);
  assert.deepEqual(r.reopened, [id]);
  const f = store.findings.get(id!)!;
  assert.equal(f.state, 'recurring');
  assert.equal(f.closedReason, null);
  assert.equal(f.closedLastSeen, null);
  const reopen = store.audit.list({ entity: 'finding', entityId: id!, action: 'finding.reopen' });
  assert.equal(reopen.length, 1);
  assert.deepEqual(reopen[0]!.after, {
    state: 'recurring',
    closedReason: null,
    closedAt: null,
    closedLastSeen: null,
    lastSeen: '2024-05-07T09:30:00.0000001Z',
    reportIds: [101, 102, 300],
    lastRunId: run2.id,
    updatedAt: '2024-05-10T13:00:00.000Z',
    version: f.version,
  });
  // Its history stays: the disposition that had closed it is still there.
  assert.equal(store.dispositions.history(id!).length, 1);
});

test('a benign finding stays closed when a re-run shows no newer events', (t) => {
  const { store } = fresh(t);
  const run1 = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run1.id, [row()]).created;
  store.dispositions.create(
    { findingId: id!, classification: 'FalsePositive', reason: 'InaccurateData', analystId: 'alice' },
    'alice',
  );
  store.findings.close(id!, 'disposition', 'alice');
  const run2 = startRun(store);
  // Same last event, an older one newly ingested, and a new count: widened, still closed.
  const older = row({ firstSeen: '2024-05-05T20:00:00Z', reportIds: [99], count: 3 });
  const r = store.findings.mergeRunRows(RULE, run2.id, [older]);
  assert.deepEqual(r, { created: [], updated: [id], reopened: [], unchanged: [] });
  const f = store.findings.get(id!)!;
  assert.equal(f.state, 'closed');
  assert.equal(f.closedReason, 'disposition');
  assert.equal(f.firstSeen, '2024-05-05T20:00:00.0000000Z');
  assert.deepEqual(f.reportIds, [99, 101, 102]);
});

test('reopening compares with the lastSeen the analyst judged, not the one stored at closing', (t) => {
  const { store } = fresh(t);
  const run1 = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run1.id, [row({ lastSeen: '2024-05-08T00:00:00Z' })]).created;
  // The analyst acted on a card that showed an older lastSeen.
  store.dispositions.create(
    {
      findingId: id!,
      classification: 'BenignPositive',
      reason: 'SuspiciousButExpected',
      analystId: 'alice',
      findingLastSeenAt: '2024-05-07T00:00:00Z',
    },
    'alice',
  );
  store.findings.close(id!, 'disposition', 'alice');
  const run2 = startRun(store);
  const r = store.findings.mergeRunRows(RULE, run2.id, [row({ lastSeen: '2024-05-08T00:00:00Z' })]);
  assert.deepEqual(r.reopened, [id], 'events after what the analyst saw are new to them');
});

test('close and reopen are audited, versioned and idempotent', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run.id, [row()]).created;
  const ex = store.exclusions.create(
    { ruleId: RULE, scope: 'device', deviceId: 'dev-1', conditions: [], author: 'alice' },
    'alice',
  );
  assert.throws(() => store.findings.close(id!, 'exclusion', 'alice'), /needs the exclusion id/);
  assert.throws(
    () => store.findings.close(id!, 'exclusion', 'alice', 999),
    (e: unknown) => e instanceof StoreError && e.code === 'not_found',
  );
  const closed = store.findings.close(id!, 'exclusion', 'alice', ex.id);
  assert.equal(closed.changed, true);
  assert.equal(closed.value.closedByExclusionId, ex.id);
  assert.equal(closed.value.version, 2);
  const audits = count(store, 'audit_log');
  assert.equal(store.findings.close(id!, 'exclusion', 'alice', ex.id).changed, false);
  assert.equal(count(store, 'audit_log'), audits);
  assert.deepEqual(store.findings.list({ closedByExclusionId: ex.id }).map((f) => f.id), [id]);
  const reopened = store.findings.reopen(id!, 'bob');
  assert.equal(reopened.value.state, 'open');
  assert.equal(reopened.value.closedByExclusionId, null);
  assert.equal(reopened.value.version, 3);
  assert.equal(store.findings.reopen(id!, 'bob').changed, false);
  assert.throws(() => store.findings.close('zzzzzzzz', 'disposition', 'a'), /no finding 'zzzzzzzz'/);
});

test('list filters by state, rule, device, URL, account, parent and ids', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const r = store.findings.mergeRunRows(RULE, run.id, [
    row({ deviceId: 'd1', deviceName: 'WS-01', lastSeen: '2024-05-07T01:00:00Z' }),
    row({
      deviceId: 'd2',
      deviceName: 'ws-02',
      lastSeen: '2024-05-07T02:00:00Z',
      enrichment: { Accounts: ['ITSecurity'], ParentProcesses: ['msiexec.exe'] },
    }),
    row({ deviceId: 'd3', deviceName: 'ws-03', remoteUrl: 'stun.parsec.app', lastSeen: '2024-05-07T03:00:00Z' }),
  ]);
  const [a, b, c] = r.created as [string, string, string];
  const other = startRun(store, 'other-rule');
  const [d] = store.findings.mergeRunRows('other-rule', other.id, [row({ deviceId: 'd1' })]).created;
  store.findings.close(b, 'disposition', 'alice');
  store.findings.close(c, 'disposition', 'alice');
  store.findings.reopen(c, 'alice', 'recurring');
  const ids = (f: Parameters<typeof store.findings.list>[0]) => store.findings.list(f).map((x) => x.id);
  assert.deepEqual(ids({ ruleId: RULE }), [c, b, a], 'newest lastSeen first');
  assert.deepEqual(ids({ ruleId: RULE, state: 'open' }), [c, a], 'open includes recurring');
  assert.deepEqual(ids({ state: 'recurring' }), [c]);
  assert.deepEqual(ids({ state: 'closed' }), [b]);
  assert.deepEqual(new Set(ids({ state: 'all' })), new Set([a, b, c, d]));
  assert.deepEqual(new Set(ids({ deviceId: 'd1' })), new Set([a, d]));
  assert.deepEqual(ids({ ruleId: RULE, deviceName: 'ws-01' }), [a]);
  assert.deepEqual(ids({ ruleId: RULE, remoteUrl: 'STUN.parsec.app' }), [c]);
  assert.deepEqual(ids({ account: 'itsecurity' }), [b]);
  assert.deepEqual(ids({ parent: 'MSIEXEC.EXE', state: 'closed' }), [b]);
  assert.deepEqual(ids({ parent: 'msiexec.exe', state: 'open' }), []);
  assert.deepEqual(ids({ ids: [a.toUpperCase(), d!] }).sort(), [a, d].sort());
  assert.deepEqual(ids({ ruleId: RULE, limit: 1 }), [c]);
  assert.deepEqual(store.findings.countByState(RULE), { open: 1, recurring: 1, closed: 1 });
});

test('bad rows are refused with their index, and nothing of the run is written', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  assert.throws(
    () => store.findings.mergeRunRows(RULE, run.id, [row(), row({ deviceId: 'd2', lastSeen: 'yesterday' })]),
    (e: unknown) => e instanceof StoreError && e.message === 'findings: rows[1].lastSeen: not a datetime: "yesterday"',
  );
  assert.throws(
    () => store.findings.mergeRunRows(RULE, run.id, [row({ firstSeen: '2024-05-08T00:00:00Z' })]),
    /rows\[0\]: firstSeen .* is after lastSeen/,
  );
  assert.throws(() => store.findings.mergeRunRows(RULE, run.id, [row({ count: -1 })]), /rows\[0\]\.count/);
  assert.throws(() => store.findings.mergeRunRows('other-rule', run.id, [row()]), /belongs to rule/);
  assert.throws(() => store.findings.mergeRunRows(RULE, 999, [row()]), /no run 999/);
  assert.equal(count(store, 'findings'), 0);
  assert.equal(count(store, 'finding_runs'), 0);
});
