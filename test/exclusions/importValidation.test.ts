// An invalid file is refused whole, with one line naming the first bad path, and nothing is written; an error
// midway through the merge rolls back everything the import wrote before it.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ExclusionError } from '../../src/exclusions/errors.js';
import { exportExclusions, type ExportRule } from '../../src/exclusions/export/index.js';
import { importExclusions } from '../../src/exclusions/import.js';
import type { Store } from '../../src/store/index.js';
import { count, fresh, RULE } from '../store/support.js';

const rule: ExportRule = {
  id: RULE,
  name: 'n',
  description: 'd',
  requiredDataConnectors: [],
  tactics: [],
  relevantTechniques: [],
  query: 'DeviceNetworkEvents\n| summarize Count=count() by DeviceId\n',
  slug: 'v',
  extra: {},
};

type Doc = Record<string, unknown> & { exclusions: Array<Record<string, unknown> & { conditions: Array<Record<string, unknown>> }> };

/** A valid file of three active exclusions, as an object to break. */
function validDoc(t: TestContext): Doc {
  const { store } = fresh(t, 'source.sqlite');
  for (const v of ['a', 'b', 'c']) {
    const x = store.exclusions.create(
      { ruleId: RULE, author: 'alice', scope: 'rule', conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: [v] }], expiresAt: new Date('2024-06-01T00:00:00Z') },
      'alice',
    );
    store.exclusions.approve(x.id, 'bob', 'bob');
  }
  const text = exportExclusions('json', { rule, exclusions: store.exclusions.list(), generatedAt: store.now() }).files[0]!.content;
  return JSON.parse(text) as Doc;
}

function refuses(store: Store, doc: unknown, message: string | RegExp, file?: string): void {
  const before = [count(store, 'exclusions'), count(store, 'audit_log')];
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  assert.throws(
    () => importExclusions(store, text, { actor: 'importer', file }),
    (e: unknown) => e instanceof ExclusionError && e.code === 'invalid' && (typeof message === 'string' ? e.message === message : message.test(e.message)),
  );
  assert.deepEqual([count(store, 'exclusions'), count(store, 'audit_log')], before, 'nothing written');
}

test('a bad condition is refused with its path, and nothing is written', (t) => {
  const { store } = fresh(t);
  const doc = validDoc(t);
  doc.exclusions[1]!.conditions[0]!.column = 'Foo';
  refuses(store, doc, "import: exclusions[1].conditions[0].column: unknown DeviceNetworkEvents column 'Foo'");
  refuses(store, doc, /^import: exports\/x\.json: exclusions\[1\]\.conditions\[0\]\.column: /, 'exports/x.json');

  const ops = validDoc(t);
  ops.exclusions[2]!.conditions[0]!.op = 'matches regex';
  refuses(store, ops, /^import: exclusions\[2\]\.conditions\[0\]\.op: expected "==" or "=~" or /);
});

test('a RemoteUrl-only exclusion is refused', (t) => {
  const { store } = fresh(t);
  const doc = validDoc(t);
  doc.exclusions[0]!.conditions = [{ column: 'RemoteUrl', op: '==', values: ['kessel-ws.parsec.app'] }];
  refuses(store, doc, /^import: exclusions\[0\]\.conditions: needs a condition on a column other than RemoteUrl/);
});

test('the format, the version, unknown fields, times and fingerprints are checked', (t) => {
  const { store } = fresh(t);
  refuses(store, '{"format": ', /^import: not valid JSON: /);
  refuses(store, [], 'import: expected object, got a list');
  refuses(store, { ...validDoc(t), format: 'elastic' }, 'import: format: expected "parsec-triage-exclusions", got string "elastic"');
  refuses(store, { ...validDoc(t), version: 2 }, 'import: version: expected 1, got number 2');
  refuses(store, { ...validDoc(t), extra: true }, "import: unknown field 'extra'");

  const missing = validDoc(t);
  delete missing.exclusions[0]!.state;
  refuses(store, missing, 'import: exclusions[0].state: required');
  const time = validDoc(t);
  time.exclusions[2]!.expiresAt = 'next tuesday';
  refuses(store, time, /^import: exclusions\[2\]\.expiresAt: expected an ISO-8601 UTC time/);
  const tampered = validDoc(t);
  tampered.exclusions[1]!.conditions[0]!.values = ['someone-else'];
  refuses(store, tampered, /^import: exclusions\[1\]\.fingerprint: does not match the exclusion's rule, scope, device and conditions \(they give [0-9a-f]{64}\)$/);
  const otherRule = validDoc(t);
  otherRule.exclusions[0]!.ruleId = 'another';
  refuses(store, otherRule, /^import: exclusions\[0\]\.(ruleId: belongs to another rule|fingerprint: does not match)/);
  const noApprover = validDoc(t);
  noApprover.exclusions[0]!.approver = null;
  refuses(store, noApprover, 'import: exclusions[0].approver: an active exclusion needs its approver');
  const twice = validDoc(t);
  twice.exclusions.push(twice.exclusions[0]!);
  refuses(store, twice, 'import: exclusions[3]: the same exclusion as exclusions[0] (same fingerprint and createdAt)');
  const many = validDoc(t);
  many.exclusions[0]!.scope = 'galaxy';
  many.exclusions[2]!.author = '';
  refuses(store, many, /^import: exclusions\[0\]\.scope: .* \(and 1 more problem\)$/);
});

test('a store refusal midway rolls back the exclusions created before it', (t) => {
  const { store, clock } = fresh(t);
  const doc = validDoc(t);
  // Judged at an earlier time, the last exclusion's expiry is still ahead, but the store's clock is past it.
  doc.exclusions[2]!.expiresAt = '2024-05-10T13:00:00.000Z';
  clock.set('2024-05-10T14:00:00Z');
  const before = [count(store, 'exclusions'), count(store, 'audit_log')];
  assert.throws(
    () => importExclusions(store, JSON.stringify(doc), { actor: 'importer', now: new Date('2024-05-10T12:00:00Z') }),
    (e: unknown) =>
      e instanceof ExclusionError &&
      /^import: exclusions\[2\]: exclusions: rule .*: expiry 2024-05-10T13:00:00\.000Z is not in the future$/.test(e.message),
  );
  assert.deepEqual([count(store, 'exclusions'), count(store, 'audit_log')], before, 'the two created before it are rolled back');
  // Judged at the store's own time, the same file imports: that exclusion comes in as expired.
  const report = importExclusions(store, JSON.stringify(doc), { actor: 'importer' });
  assert.equal(report.created.length, 3);
  assert.equal(store.exclusions.get(report.created[2]!)!.state, 'expired');
});
