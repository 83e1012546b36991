// The canonical json form (fixed key order, identity by fingerprint) and the csv for people (one row per
// exclusion, read back by a real CSV parser, spreadsheet formulas neutralized).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportExclusions, ExportError, neutralizeFormula, type ExportRule } from '../../src/exclusions/export/index.js';
import type { ExclusionCreateInput, Store } from '../../src/store/index.js';
import { fresh, RULE } from '../store/support.js';

const AT = new Date('2024-05-10T12:00:00.000Z');
const rule: ExportRule = {
  id: RULE,
  name: 'n',
  description: 'd',
  requiredDataConnectors: [],
  tactics: [],
  relevantTechniques: [],
  query: 'DeviceNetworkEvents\n| summarize Count=count() by DeviceId\n',
  slug: 'parsec network/connection',
  extra: {},
};

function create(store: Store, input: Omit<ExclusionCreateInput, 'ruleId' | 'author'>, approve = true): number {
  const x = store.exclusions.create({ ruleId: RULE, author: 'alice', ...input }, 'alice');
  return approve ? store.exclusions.approve(x.id, 'bob', 'bob').id : x.id;
}

test('json: every exclusion in every state, keys in a fixed order, replaces by fingerprint', (t) => {
  const { store } = fresh(t);
  const narrow = create(store, { scope: 'device', deviceId: 'd1', scenario: 3, conditions: [
    { column: 'DeviceId', op: '==', values: ['d1'] },
    { column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] },
  ] });
  store.exclusions.revoke(narrow, 'carol', 'widened');
  const wide = create(store, {
    scope: 'rule',
    scenario: 3,
    replaces: [narrow],
    comment: 'IT team, all devices',
    expiresAt: new Date('2024-08-08T12:00:00Z'),
    conditions: [{ column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] }, { column: 'RemotePort', op: 'in', values: ['443'] }],
  });
  create(store, { scope: 'rule', conditions: [{ column: 'InitiatingProcessFileName', op: '==', values: ['x.exe'] }] }, false);
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const [file] = exportExclusions('json', { rule, exclusions, generatedAt: AT, sources: new Map([[wide, [{ findingId: 'ABCD1234', analystId: 'alice', createdAt: '2024-05-10T11:00:00Z' }]]]) }).files;
  assert.equal(file!.name, 'parsec-network-connection.exclusions.json');
  assert.equal(file!.mediaType, 'application/json');
  const text = file!.content;
  assert.ok(text.startsWith('{\n  "format": "parsec-triage-exclusions",\n  "version": 1,\n'), 'pretty-printed, format first');
  const doc = JSON.parse(text) as { exclusions: Record<string, unknown>[] } & Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['format', 'version', 'ruleId', 'generatedAt', 'exclusions']);
  assert.equal(doc.generatedAt, '2024-05-10T12:00:00.000Z');
  assert.deepEqual(doc.exclusions.map((x) => x.state), ['revoked', 'active', 'proposed']);
  assert.deepEqual(Object.keys(doc.exclusions[1]!), [
    'fingerprint', 'ruleId', 'scope', 'deviceId', 'conditions', 'scenario', 'state', 'author', 'approver', 'createdAt', 'activatedAt',
    'expiresAt', 'revokedAt', 'rejectedAt', 'expiredAt', 'endedBy', 'endComment', 'comment', 'tpOverrideReason', 'replaces', 'sources',
  ]);
  exclusions.forEach((x, i) => assert.equal(doc.exclusions[i]!.fingerprint, x.fingerprint, 'the store identity'));
  assert.deepEqual(doc.exclusions[1]!.replaces, [exclusions[0]!.fingerprint], 'by fingerprint, not id');
  assert.deepEqual(doc.exclusions[1]!.conditions, [
    { column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] },
    { column: 'RemotePort', op: 'in', values: ['443'] },
  ]);
  assert.deepEqual(doc.exclusions[1]!.sources, [{ findingId: 'ABCD1234', analystId: 'alice', createdAt: '2024-05-10T11:00:00.000Z' }]);
  assert.ok(!('sources' in doc.exclusions[0]!));
  assert.equal(doc.exclusions[0]!.endComment, 'widened');
  assert.equal(text, exportExclusions('json', { rule, exclusions: [...exclusions].reverse(), generatedAt: AT, sources: new Map([[wide, [{ findingId: 'ABCD1234', analystId: 'alice', createdAt: '2024-05-10T11:00:00Z' }]]]) }).files[0]!.content, 'stable whatever the input order');

  assert.throws(
    () => exportExclusions('json', { rule, exclusions: exclusions.slice(1), generatedAt: AT }),
    (e: unknown) => e instanceof ExportError && /replaces exclusion 1, which is not among the exported exclusions/.test(e.message),
  );
});

test('csv: one row per exclusion in plain words, read back intact, with formulas neutralized', (t) => {
  const { store } = fresh(t);
  const hostile = ['=HYPERLINK("http://x.example","click")', '+SUM(1)', '-1+2', '@cmd', 'comma, "quote"\nnewline', '日本 🙂'];
  const ids = hostile.map((v, i) =>
    create(store, {
      scope: 'device',
      deviceId: i === 3 ? '@dev' : `dev-${i}`,
      scenario: 1,
      comment: v,
      conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: [v] }],
    }),
  );
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const hits = new Map([[ids[0]!, 12]]);
  const [file] = exportExclusions('csv', { rule, exclusions, generatedAt: AT, hits }).files;
  assert.ok(file!.content.startsWith('\uFEFFid,state,scope,device,'));
  const rows = parse(file!.content, { bom: true }) as string[][];
  assert.deepEqual(rows[0], ['id', 'state', 'scope', 'device', 'scenario', 'conditions', 'kql', 'author', 'approver', 'created', 'expires', 'comment', 'hits']);
  assert.equal(rows.length, hostile.length + 1);
  hostile.forEach((v, i) => {
    const r = rows[i + 1]!;
    assert.equal(r[0], String(ids[i]));
    assert.equal(r[11], neutralizeFormula(v), 'comment read back, neutralized');
    assert.ok(!/^[=+\-@]/.test(r[11]!), 'no cell starts a formula');
    assert.equal(r[12], i === 0 ? '12' : '0');
  });
  assert.equal(rows[1]![11], `'=HYPERLINK("http://x.example","click")`);
  assert.equal(rows[4]![3], "'@dev");
  assert.equal(rows[5]![11], 'comma, "quote"\nnewline', 'quotes, commas and line breaks survive RFC 4180 quoting');
  assert.equal(rows[6]![11], '日本 🙂');
  assert.match(rows[1]![5]!, /^device id is dev-0 \(case-sensitive\) and account is "=HYPERLINK/);
  assert.equal(rows[1]![6], '(DeviceId == "dev-0") and (InitiatingProcessAccountName == "=HYPERLINK(\\"http://x.example\\",\\"click\\")")');

  const noHits = parse(exportExclusions('csv', { rule, exclusions, generatedAt: AT }).files[0]!.content, { bom: true }) as string[][];
  assert.equal(noHits[0]!.length, 12, 'no hits column unless hits are given');
});

test('an exclusion of another rule, or an unknown format, is refused', (t) => {
  const { store } = fresh(t);
  const other = store.exclusions.create({ ruleId: 'other-rule', author: 'a', scope: 'rule', conditions: [{ column: 'InitiatingProcessFileName', op: '==', values: ['x'] }] }, 'a');
  for (const format of ['kql', 'rule', 'watchlist', 'json', 'csv'] as const) {
    assert.throws(() => exportExclusions(format, { rule, exclusions: [other], generatedAt: AT }), /^ExportError: export: exclusion 1 belongs to another rule than rule /);
  }
  assert.throws(() => exportExclusions('xml' as never, { rule, exclusions: [], generatedAt: AT }), /unknown format 'xml'/);
});
