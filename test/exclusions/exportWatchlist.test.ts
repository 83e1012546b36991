// The watchlist format's design: one row per value combination of an all-equality exclusion, keyed by shape
// and values; a validated alias; the query valid for Microsoft's analyzer in every layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportExclusions, ExportError, type ExportRule } from '../../src/exclusions/export/index.js';
import { kqlString } from '../../src/kql/escape.js';
import { runKql } from '../../src/kql/index.js';
import { memoryTable } from '../../src/kql/table.js';
import type { ExclusionCreateInput, Store } from '../../src/store/index.js';
import { kustoErrors } from '../support/kustoParser.js';
import { fresh, RULE } from '../store/support.js';

const AT = new Date('2024-05-10T12:00:00.000Z');
const rule: ExportRule = {
  id: RULE,
  name: 'watchlist test rule',
  description: 'x',
  requiredDataConnectors: [],
  tactics: [],
  relevantTechniques: [],
  query: 'DeviceNetworkEvents\n| where RemoteUrl has "parsec.app"\n| summarize Count=count() by DeviceId\n',
  slug: 'wl',
  extra: {},
};

function active(store: Store, input: Omit<ExclusionCreateInput, 'ruleId' | 'author'>): number {
  const x = store.exclusions.create({ ruleId: RULE, author: 'alice', ...input }, 'alice');
  return store.exclusions.approve(x.id, 'bob', 'bob').id;
}

type Rec = Record<string, string>;
const records = (csv: string): Rec[] => parse(csv, { columns: true }) as Rec[];

test('in~ lists expand to one lower-cased row per value combination, shared rows name every exclusion', (t) => {
  const { store } = fresh(t);
  const a = active(store, {
    scope: 'device',
    deviceId: 'Dev-A',
    conditions: [
      { column: 'DeviceId', op: '==', values: ['Dev-A'] },
      { column: 'InitiatingProcessParentFileName', op: 'in~', values: ['Services.exe', 'services.EXE', 'taskhostw.exe'] },
      { column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity', 'NetworkOps'] },
    ],
  });
  const b = active(store, {
    scope: 'rule',
    conditions: [
      { column: 'InitiatingProcessAccountName', op: '=~', values: ['itsecurity'] },
      { column: 'InitiatingProcessParentFileName', op: 'in~', values: ['TASKHOSTW.EXE'] },
      { column: 'DeviceId', op: 'in', values: ['Dev-A'] },
    ],
  });
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT });
  assert.deepEqual(files.map((f) => f.name), ['parsec_exclusions.csv', 'parsec_exclusions.kql']);
  const rows = records(files[0]!.content);
  assert.deepEqual(
    rows.map((r) => [r.SearchKey, r.Shape, r.Exclusions]),
    [
      ['S1|Dev-A|itsecurity|services.exe', 'S1', `${a}`],
      ['S1|Dev-A|itsecurity|taskhostw.exe', 'S1', `${a} ${b}`],
      ['S1|Dev-A|networkops|services.exe', 'S1', `${a}`],
      ['S1|Dev-A|networkops|taskhostw.exe', 'S1', `${a}`],
    ],
    'conditions sorted by column, so both exclusions have one shape; duplicates folded',
  );
  assert.equal(rows[0]!.InitiatingProcessAccountName, 'ITSecurity', 'the readable columns keep the values as written');
  const kql = files[1]!.content;
  assert.match(kql, /^\/\/ {3}S1: DeviceId \(exact\), InitiatingProcessAccountName \(case-insensitive\), InitiatingProcessParentFileName \(case-insensitive\)$/m);
  assert.deepEqual(kustoErrors(kql), []);
  assert.ok(!kql.includes('| where not('), 'nothing inline');
});

test('a custom alias names the files and the function call; a bad alias is refused', (t) => {
  const { store } = fresh(t);
  active(store, { scope: 'rule', conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: ['svc'] }] });
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT, watchlistAlias: 'Tuned-List_2' });
  assert.deepEqual(files.map((f) => f.name), ['Tuned-List_2.csv', 'Tuned-List_2.kql']);
  assert.ok(files[1]!.content.includes('_GetWatchlist("Tuned-List_2") | project SearchKey'));
  assert.deepEqual(kustoErrors(files[1]!.content), []);
  for (const bad of ['', 'has space', "q'uote", 'x'.repeat(65), 'ünï']) {
    assert.throws(
      () => exportExclusions('watchlist', { rule, exclusions, generatedAt: AT, watchlistAlias: bad }),
      (e: unknown) => e instanceof ExportError && e.code === 'invalid' && e.message.startsWith('export: watchlist alias'),
    );
  }
});

test('a rule without summarize gets the joins at its end, and they run', async (t) => {
  const { store } = fresh(t);
  active(store, { scope: 'rule', conditions: [
    { column: 'InitiatingProcessAccountName', op: '==', values: ['svc'] },
    { column: 'RemotePort', op: '==', values: ['443'] },
  ] });
  const noSummarize: ExportRule = { ...rule, query: 'DeviceNetworkEvents\n| project DeviceId, InitiatingProcessAccountName, RemotePort\n' };
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files } = exportExclusions('watchlist', { rule: noSummarize, exclusions, generatedAt: AT });
  const kql = files[1]!.content;
  assert.deepEqual(kustoErrors(kql), []);
  assert.ok(kql.trimEnd().endsWith('| project-away _wlKeyS1'));
  const keys = records(files[0]!.content).map((r) => kqlString(r.SearchKey!));
  const local = kql.replace('_GetWatchlist("parsec_exclusions")', `datatable(SearchKey:string)[${keys.join(', ')}]`);
  const cols = [
    { name: 'DeviceId', type: 'string' as const },
    { name: 'InitiatingProcessAccountName', type: 'string' as const },
    { name: 'RemotePort', type: 'int' as const },
  ];
  const events = memoryTable('DeviceNetworkEvents', cols, [['d1', 'svc', 443], ['d2', 'svc', 444], ['d3', 'SVC', 443], ['d4', 'svc', null]]);
  const r = await runKql(local, { tables: { DeviceNetworkEvents: events }, now: AT });
  assert.deepEqual(r.rows.map((row) => row[0]), ['d2', 'd3', 'd4']);
  assert.deepEqual(r.columns.map((c) => c.name), ['DeviceId', 'InitiatingProcessAccountName', 'RemotePort'], 'the key columns are gone');
});

test('no applicable exclusion: a header-only CSV and the rule query unchanged under its header', (t) => {
  const { store } = fresh(t);
  store.exclusions.create({ ruleId: RULE, author: 'alice', scope: 'rule', conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: ['p'] }] }, 'alice');
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT });
  assert.equal(files[0]!.content, 'SearchKey,Shape,Exclusions\r\n');
  const kql = files[1]!.content;
  assert.ok(kql.endsWith(`\n${rule.query}`));
  assert.ok(!kql.includes('_GetWatchlist'));
  assert.match(kql, /0 exclusions from the watchlist 'parsec_exclusions' \(0 rows\), 0 inline, 1 more not applied/);
  assert.deepEqual(kustoErrors(kql), []);
});

test('when inline exclusions alone pass the limit, the watchlist export says so', (t) => {
  const { store } = fresh(t);
  for (let i = 0; i < 150; i++) {
    active(store, { scope: 'rule', conditions: [{ column: 'InitiatingProcessCommandLine', op: 'contains', values: [`--some-long-switch-name-${i}`] }] });
  }
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { warnings, files } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^export: the watchlist query is still [\d,]+ characters, over Sentinel's 10,000-character limit: 150 exclusions could not go into the watchlist$/);
  assert.deepEqual(kustoErrors(files[1]!.content), []);
});
