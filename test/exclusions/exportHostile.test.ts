// Exclusions carrying hostile values still mean exactly what they say: the exported kql block and the
// watchlist (its CSV read back by a real CSV parser, `_GetWatchlist` simulated by a datatable of its
// SearchKeys) remove, on the local engine, exactly the events the hunt removes, which are exactly the events
// the conditions describe; a value one character off survives.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportExclusions, type ExportRule } from '../../src/exclusions/export/index.js';
import { toQueryExclusion } from '../../src/exclusions/compile.js';
import { buildHuntQuery, exclusionClauses } from '../../src/hunt/buildQuery.js';
import { kqlString } from '../../src/kql/escape.js';
import { runKql } from '../../src/kql/index.js';
import { memoryTable } from '../../src/kql/table.js';
import { parseDateTime, type Value } from '../../src/kql/values.js';
import { DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import type { ExclusionCreateInput, Store } from '../../src/store/index.js';
import { kustoErrors } from '../support/kustoParser.js';
import { fresh, RULE } from '../store/support.js';

const HOSTILE = [
  'a"b', "it's", 'back\\slash', 'pipe | where true', '// not a comment', '") or true //', 'S1|x\\|y', '\\|',
  'uni-ção-日本', '🙂 emoji', "=cmd|' /C calc'!A0", '+1', '-2', '@SUM(A1)', 'new\nline', 'tab\there', ' lead',
];
const AT = new Date('2024-05-10T12:00:00.000Z');
const TS = parseDateTime('2024-05-10T11:00:00Z')!;

const rule: ExportRule = {
  id: RULE,
  name: 'hostile test rule',
  description: 'one row per event',
  requiredDataConnectors: [],
  tactics: [],
  relevantTechniques: [],
  query: 'DeviceNetworkEvents\n| where ActionType == "ConnectionSuccess"\n| summarize Count=count() by ReportId\n',
  slug: 'hostile',
  extra: {},
};

function active(store: Store, input: Omit<ExclusionCreateInput, 'ruleId' | 'author'>): void {
  const x = store.exclusions.create({ ruleId: RULE, author: 'alice', ...input }, 'alice');
  store.exclusions.approve(x.id, 'bob', 'bob');
}

function defaultValue(type: string): Value {
  if (type === 'string') return '';
  if (type === 'int' || type === 'long') return 0;
  if (type === 'datetime') return TS;
  if (type === 'bool') return false;
  return null;
}

interface Ev {
  fields: Record<string, Value>;
  drop: boolean;
}

/** `v` with its last character replaced: one character off. */
const oneOff = (v: string): string => {
  const cps = [...v];
  cps[cps.length - 1] = cps[cps.length - 1] === 'x' ? 'y' : 'x';
  return cps.join('');
};

function scenario(t: TestContext): { store: Store; evs: Ev[] } {
  const { store, clock } = fresh(t);
  clock.set('2024-05-10T11:00:00Z'); // an hour before the export, so one exclusion can lapse in between
  const evs: Ev[] = [];
  const ev = (drop: boolean, fields: Record<string, Value>): number => evs.push({ drop, fields: { InitiatingProcessFileName: 'parsecd.exe', RemotePort: 443, ...fields } });
  HOSTILE.forEach((h, i) => {
    const dev = `dev-${i}`;
    active(store, {
      scope: 'rule',
      conditions: [
        { column: 'InitiatingProcessAccountName', op: '==', values: [h] },
        { column: 'InitiatingProcessFileName', op: '=~', values: ['ParsecD.exe'] },
      ],
    });
    active(store, {
      scope: 'device',
      deviceId: dev,
      conditions: [
        { column: 'DeviceId', op: '==', values: [dev] },
        { column: 'InitiatingProcessParentFileName', op: 'in~', values: [h, `other-${i}`] },
      ],
    });
    ev(true, { InitiatingProcessAccountName: h });
    ev(false, { InitiatingProcessAccountName: oneOff(h) });
    ev(false, { InitiatingProcessAccountName: h, InitiatingProcessFileName: 'other.exe' });
    ev(true, { DeviceId: dev, InitiatingProcessParentFileName: h.toUpperCase() });
    ev(false, { DeviceId: dev, InitiatingProcessParentFileName: oneOff(h) });
    ev(false, { DeviceId: 'dev-elsewhere', InitiatingProcessParentFileName: h });
  });
  // Numbers, and a key that only an unambiguous escape tells apart from another.
  active(store, { scope: 'rule', conditions: [
    { column: 'RemotePort', op: 'in', values: ['8443', '9443'] },
    { column: 'InitiatingProcessAccountName', op: '==', values: ['svc|port'] },
  ] });
  ev(true, { RemotePort: 9443, InitiatingProcessAccountName: 'svc|port' });
  ev(false, { RemotePort: 8444, InitiatingProcessAccountName: 'svc|port' });
  active(store, { scope: 'rule', conditions: [
    { column: 'InitiatingProcessAccountName', op: '==', values: ['a|b'] },
    { column: 'InitiatingProcessCommandLine', op: '==', values: ['c'] },
  ] });
  ev(true, { InitiatingProcessAccountName: 'a|b', InitiatingProcessCommandLine: 'c' });
  ev(false, { InitiatingProcessAccountName: 'a', InitiatingProcessCommandLine: 'b|c' });
  // Operators a key cannot express: inline in the watchlist query too.
  active(store, { scope: 'device', deviceId: 'dev-cmd', conditions: [
    { column: 'DeviceId', op: '==', values: ['dev-cmd'] },
    { column: 'InitiatingProcessCommandLine', op: 'contains', values: ['") or true //'] },
  ] });
  ev(true, { DeviceId: 'dev-cmd', InitiatingProcessCommandLine: 'x ") OR TRUE // y' });
  ev(false, { DeviceId: 'dev-cmd', InitiatingProcessCommandLine: '") or true /' });
  active(store, { scope: 'device', deviceId: 'dev-ip', conditions: [
    { column: 'DeviceId', op: '==', values: ['dev-ip'] },
    { column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.1.0.0/16'] },
  ] });
  ev(true, { DeviceId: 'dev-ip', RemoteIP: '10.1.2.3' });
  ev(false, { DeviceId: 'dev-ip', RemoteIP: '10.2.0.1' });
  active(store, { scope: 'rule', conditions: [
    { column: 'InitiatingProcessFolderPath', op: 'startswith', values: ['C:\\Program Files\\Parsec\\'] },
    { column: 'InitiatingProcessAccountName', op: 'has_any', values: ['svc', 'it|ops'] },
  ] });
  ev(true, { InitiatingProcessFolderPath: 'c:\\program files\\parsec\\parsecd.exe', InitiatingProcessAccountName: 'corp\\SVC' });
  ev(false, { InitiatingProcessFolderPath: 'c:\\program files\\parsec\\parsecd.exe', InitiatingProcessAccountName: 'svcx' });
  // Not applied: a proposal, and an active exclusion past its expiry.
  store.exclusions.create({ ruleId: RULE, author: 'alice', scope: 'rule', conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: ['proposed-only'] }] }, 'alice');
  ev(false, { InitiatingProcessAccountName: 'proposed-only' });
  active(store, { scope: 'rule', expiresAt: new Date('2024-05-10T11:30:00Z'), conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: ['lapsed'] }] });
  ev(false, { InitiatingProcessAccountName: 'lapsed' });
  return { store, evs };
}

function table(evs: readonly Ev[]) {
  const rows = evs.map((e, i) =>
    deviceNetworkEventsColumns.map((c) => {
      if (c.name === 'ReportId') return i + 1;
      if (c.name === 'ActionType') return 'ConnectionSuccess';
      return c.name in e.fields ? e.fields[c.name]! : defaultValue(c.type);
    }),
  );
  return memoryTable(DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns, rows);
}

async function survivors(query: string, evs: readonly Ev[]): Promise<number[]> {
  const r = await runKql(query, { tables: { [DEVICE_NETWORK_EVENTS]: table(evs) }, now: AT });
  const at = r.columns.findIndex((c) => c.name === 'ReportId');
  return r.rows.map((row) => Number(row[at])).sort((a, b) => a - b);
}

const expected = (evs: readonly Ev[]): number[] => evs.flatMap((e, i) => (e.drop ? [] : [i + 1]));

/** `_GetWatchlist` is a Sentinel function: stand in for it with a datatable of the CSV's SearchKeys. */
function withWatchlist(kql: string, csv: string): string {
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  const call = `_GetWatchlist(${kqlString('parsec_exclusions')})`;
  assert.ok(kql.includes(call), 'the query reads the watchlist');
  return kql.replace(call, `datatable(SearchKey:string)[${records.map((r) => kqlString(r.SearchKey!)).join(', ')}]`);
}

test('the kql block removes exactly the events its hostile conditions describe, as the hunt does', async (t) => {
  const { store, evs } = scenario(t);
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const [file] = exportExclusions('kql', { rule, exclusions, generatedAt: AT }).files;
  const pasted = rule.query.replace('| summarize', `${file!.content}| summarize`);
  assert.deepEqual(kustoErrors(pasted), []);
  const want = expected(evs);
  assert.deepEqual(await survivors(pasted, evs), want);

  const applied = store.exclusions.active(RULE, AT).map(toQueryExclusion);
  const hunt = buildHuntQuery(rule.query, { exclusions: applied, enrich: false });
  assert.deepEqual(await survivors(hunt, evs), want, 'the hunt removes the same events');
  const block = file!.content.split('\n').filter((l) => l.startsWith('|')).map((l) => l.replace(/(\/\/ exclusion \d+):.*$/, '$1'));
  assert.equal(`${block.join('\n')}\n`, exclusionClauses(applied), 'each line is the hunt line byte for byte, comment aside');
});

test('the watchlist removes the same events as the inline exclusions, from a CSV read back by a CSV parser', async (t) => {
  const { store, evs } = scenario(t);
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files, warnings } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT });
  assert.deepEqual(warnings, []);
  const [csv, kql] = files;
  assert.deepEqual(kustoErrors(kql!.content), [], 'the real query, with _GetWatchlist, is valid');
  assert.deepEqual(await survivors(withWatchlist(kql!.content, csv!.content), evs), expected(evs));

  const records = parse(csv!.content, { columns: true }) as Record<string, string>[];
  assert.equal(new Set(records.map((r) => r.SearchKey)).size, records.length, 'SearchKey is unique');
  for (const h of HOSTILE) {
    const row = records.find((r) => r.InitiatingProcessAccountName === h);
    const keyable = !/[\t\n]/.test(h) && h.trim() === h;
    assert.equal(!!row, keyable, `${JSON.stringify(h)} is ${keyable ? '' : 'not '}a watchlist value`);
    if (row) assert.ok(!row.SearchKey!.startsWith("'"), 'watchlist values are data: never prefixed');
  }
  assert.match(kql!.content, /\| where not\(\(DeviceId == "dev-cmd"\) and \(InitiatingProcessCommandLine contains/, 'contains stays inline');
  assert.match(kql!.content, /ipv4_is_in_any_range\(RemoteIP, "10\.1\.0\.0\/16"\)/, 'ranges stay inline');
  assert.match(kql!.content, /in~ \("uni-ção-日本", "other-8"\)/, 'case-insensitive non-ASCII values stay inline');
});

test('comments carry numbers and fixed words only, whatever the exclusion holds', (t) => {
  const { store } = fresh(t);
  active(store, {
    scope: 'rule',
    scenario: 3,
    comment: 'evil\n| take 0 // */',
    expiresAt: new Date('2024-08-08T12:00:00Z'),
    conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: ['x\n| take 0'] }],
  });
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const kql = exportExclusions('kql', { rule, exclusions, generatedAt: AT }).files[0]!.content;
  assert.ok(!kql.includes('evil'), 'the comment is not in the query');
  const lines = kql.trimEnd().split('\n');
  assert.equal(lines.length, 4, 'three header lines and one exclusion line: nothing broke a line');
  assert.match(lines[3]!, /^\| where not\(\(InitiatingProcessAccountName == "x\\n\| take 0"\)\) \/\/ exclusion 1: scenario 3, rule scope, expires 2024-08-08T12:00:00\.000Z$/);
});
