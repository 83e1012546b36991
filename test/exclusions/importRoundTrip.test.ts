// json export → import → export gives the same exclusions; a second import changes nothing; later changes in
// the source arrive through the repository's legal transitions, audited; what cannot arrive is reported.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { toQueryExclusion } from '../../src/exclusions/compile.js';
import { exportExclusions, type ExportRule } from '../../src/exclusions/export/index.js';
import { importExclusions } from '../../src/exclusions/import.js';
import { buildHuntQuery } from '../../src/hunt/buildQuery.js';
import type { ExclusionCreateInput, Store } from '../../src/store/index.js';
import { count, fresh, RULE } from '../store/support.js';

const rule: ExportRule = {
  id: RULE,
  name: 'n',
  description: 'd',
  requiredDataConnectors: [],
  tactics: [],
  relevantTechniques: [],
  query: 'DeviceNetworkEvents\n| summarize Count=count() by DeviceId\n',
  slug: 'rt',
  extra: {},
};

const account = (v: string): ExclusionCreateInput['conditions'] => [{ column: 'InitiatingProcessAccountName', op: 'in~', values: [v] }];

function create(store: Store, input: Omit<ExclusionCreateInput, 'ruleId' | 'author'>): number {
  return store.exclusions.create({ ruleId: RULE, author: 'alice', ...input }, 'alice').id;
}

function json(store: Store, at: Date): string {
  return exportExclusions('json', { rule, exclusions: store.exclusions.list({ ruleId: RULE }), generatedAt: at }).files[0]!.content;
}

const entries = (text: string): unknown[] => (JSON.parse(text) as { exclusions: unknown[] }).exclusions;

/** A source database with an exclusion in every state, and a widening. */
function source(t: TestContext): Store {
  const { store, clock } = fresh(t, 'source.sqlite');
  const proposed = create(store, { scope: 'rule', scenario: 3, conditions: account('proposed'), comment: 'waiting' });
  const narrow = create(store, { scope: 'device', deviceId: 'd1', scenario: 3, conditions: [{ column: 'DeviceId', op: '==', values: ['d1'] }, ...account('ITSecurity')] });
  store.exclusions.approve(narrow, 'bob', 'bob');
  clock.advance(60_000);
  store.exclusions.revoke(narrow, 'carol', 'widened');
  const wide = create(store, { scope: 'rule', scenario: 3, conditions: account('ITSecurity'), replaces: [narrow], expiresAt: new Date('2024-08-08T12:00:00Z'), tpOverrideReason: 'checked with IR' });
  store.exclusions.approve(wide, 'bob', 'bob');
  const rejected = create(store, { scope: 'rule', conditions: account('nope') });
  store.exclusions.reject(rejected, 'bob', 'too wide');
  const soon = create(store, { scope: 'rule', conditions: [{ column: 'RemotePort', op: 'in', values: ['8443'] }], expiresAt: new Date('2024-05-10T13:00:00Z') });
  store.exclusions.approve(soon, 'bob', 'bob');
  clock.set('2024-05-10T14:00:00Z');
  store.exclusions.expireDue();
  const open = create(store, { scope: 'rule', conditions: account('forever') });
  store.exclusions.approve(open, 'bob', 'bob');
  assert.ok(proposed > 0);
  return store;
}

test('export → import into an empty store → export gives the same exclusions; a second import changes nothing', (t) => {
  const a = source(t);
  const at = new Date('2024-05-10T15:00:00.000Z');
  const first = json(a, at);
  const { store: b, clock } = fresh(t, 'target.sqlite');
  clock.set('2024-05-10T15:00:00Z');

  const report = importExclusions(b, first, { actor: 'importer', now: at });
  assert.equal(report.created.length, 6);
  assert.deepEqual([report.updated, report.unchanged, report.skipped, report.warnings], [[], [], [], []]);
  const again = json(b, at);
  assert.deepEqual(entries(again), entries(first), 'fingerprints, states, expiries, people and times all kept');
  assert.equal(again, first);

  const hunt = (s: Store): string =>
    buildHuntQuery(rule.query, { exclusions: s.exclusions.active(RULE, at).map(toQueryExclusion) }).replace(/\/\/ exclusion \d+/g, '');
  assert.equal(hunt(b), hunt(a), 'the next hunt applies the same conditions');
  assert.deepEqual(b.exclusions.list({ ruleId: RULE }).find((x) => x.state === 'active' && x.replaces.length)?.replaces, [2], 'replaces resolved to the target ids');

  const audits = count(b, 'audit_log');
  const rows = count(b, 'exclusions');
  const second = importExclusions(b, first, { actor: 'importer', now: at });
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.updated, []);
  assert.deepEqual([...second.unchanged].sort(), b.exclusions.list({ ruleId: RULE }).map((x) => x.id));
  assert.equal(count(b, 'audit_log'), audits, 'nothing audited: nothing changed');
  assert.equal(count(b, 'exclusions'), rows);
});

test('an active exclusion whose expiry has passed comes in as expired', (t) => {
  const { store: a } = fresh(t, 'source.sqlite');
  const id = create(a, { scope: 'rule', conditions: account('svc'), expiresAt: new Date('2024-05-11T00:00:00Z') });
  a.exclusions.approve(id, 'bob', 'bob');
  const file = json(a, new Date('2024-05-10T12:00:00Z'));
  const { store: b, clock } = fresh(t, 'target.sqlite');
  clock.set('2024-05-12T00:00:00Z');
  const report = importExclusions(b, file, { actor: 'importer' });
  assert.equal(report.created.length, 1);
  const x = b.exclusions.get(report.created[0]!)!;
  assert.equal(x.state, 'expired');
  assert.equal(x.expiredAt, '2024-05-11T00:00:00.000Z', 'it stopped applying at its expiry');
  assert.equal(x.approver, 'bob');
  assert.deepEqual(b.exclusions.active(RULE), []);
  assert.deepEqual(importExclusions(b, file, { actor: 'importer' }).unchanged, [x.id], 'and stays as it is');
});

test('later changes in the source arrive through legal, audited transitions; impossible ones are reported', (t) => {
  const { store: a, clock: ca } = fresh(t, 'source.sqlite');
  const { store: b } = fresh(t, 'target.sqlite');
  const p = create(a, { scope: 'rule', conditions: account('p'), expiresAt: new Date('2024-06-01T00:00:00Z') });
  const q = create(a, { scope: 'rule', conditions: account('q') });
  const r = create(a, { scope: 'rule', conditions: account('r') });
  a.exclusions.approve(r, 'bob', 'bob');
  importExclusions(b, json(a, ca.now()), { actor: 'importer' });
  const idIn = (fp: string): number => b.exclusions.list({ ruleId: RULE }).find((x) => x.fingerprint === fp)!.id;
  const [bp, bq, br] = [p, q, r].map((id) => idIn(a.exclusions.get(id)!.fingerprint));

  a.exclusions.approve(p, 'bob', 'bob', { expiresAt: new Date('2024-07-01T00:00:00Z') });
  a.exclusions.reject(q, 'bob', 'no');
  a.exclusions.revoke(r, 'carol', 'stop');
  const report = importExclusions(b, json(a, ca.now()), { actor: 'importer' });
  assert.deepEqual([...report.updated].sort(), [bp, bq, br].sort());
  assert.deepEqual(
    report.changes.map((c) => [c.id, c.change]).sort(),
    [
      [bp, 'proposed → active (approver bob), expiry 2024-07-01T00:00:00.000Z'],
      [bq, 'proposed → rejected'],
      [br, 'active → revoked'],
    ].sort(),
  );
  assert.equal(b.exclusions.get(bp!)!.state, 'active');
  assert.equal(b.exclusions.get(bp!)!.expiresAt, '2024-07-01T00:00:00.000Z');
  const actions = b.audit.list({ entity: 'exclusion' }).filter((e) => e.actor === 'importer').map((e) => e.action);
  for (const act of ['exclusion.approve', 'exclusion.reject', 'exclusion.revoke']) assert.ok(actions.includes(act), `${act} audited`);

  // An extension arrives too; a revoked exclusion here is final, whatever the file says.
  const s = create(a, { scope: 'rule', conditions: account('s'), expiresAt: new Date('2024-06-01T00:00:00Z') });
  a.exclusions.approve(s, 'bob', 'bob');
  const early = json(a, ca.now());
  importExclusions(b, early, { actor: 'importer' });
  a.exclusions.extend(s, new Date('2024-09-01T00:00:00Z'), 'bob');
  const ext = importExclusions(b, json(a, ca.now()), { actor: 'importer' });
  assert.deepEqual(ext.changes.map((c) => c.change), ['expiry 2024-06-01T00:00:00.000Z → 2024-09-01T00:00:00.000Z']);
  const bs = idIn(a.exclusions.get(s)!.fingerprint);
  b.exclusions.revoke(bs, 'dave', 'not here');
  const refused = importExclusions(b, early, { actor: 'importer' });
  const skip = refused.skipped.find((k) => k.reason.startsWith(`exclusion ${bs} `));
  assert.equal(skip?.reason, `exclusion ${bs} is revoked here; it cannot become active: revoked is final`);
  assert.equal(b.exclusions.get(bs)!.state, 'revoked');
});

test('a replaced exclusion missing from both the file and the store is dropped with a warning', (t) => {
  const { store: a } = fresh(t, 'source.sqlite');
  const narrow = create(a, { scope: 'rule', conditions: account('n') });
  const wide = create(a, { scope: 'rule', conditions: account('w'), replaces: [narrow] });
  const doc = JSON.parse(json(a, a.now())) as { exclusions: unknown[] };
  doc.exclusions = doc.exclusions.slice(1);
  const { store: b } = fresh(t, 'target.sqlite');
  const report = importExclusions(b, JSON.stringify(doc), { actor: 'importer' });
  assert.equal(report.created.length, 1);
  assert.match(report.warnings[0]!, /^exclusions\[0\]: replaces [0-9a-f]{64}, which is neither in the file nor in the store; dropped$/);
  assert.deepEqual(b.exclusions.get(report.created[0]!)!.replaces, []);
  assert.ok(wide > narrow);
});
