// The rule seed's query, run unmodified on the engine, over events built for its hard cases: term
// boundaries in URL and company, case differences, the exact window edges, duplicate ReportIds, and a
// device id seen under two names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runKql } from '../../src/kql/index.js';
import { memoryTable, type Row } from '../../src/kql/table.js';
import { addTimespan, KDateTime, KTimespan } from '../../src/kql/values.js';
import { DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { assertKusto, dt, NOW } from './helpers.js';

const seedText = readFileSync(new URL('../../../shared/seeds/000_b58e645dea223ff4.txt', import.meta.url), 'utf8');
const SEED_QUERY = seedText.slice(seedText.indexOf('KQL Query\n') + 'KQL Query\n'.length, seedText.indexOf('\nid: ')).trim();

const cols = deviceNetworkEventsColumns;
function event(fields: Record<string, unknown>): Row {
  const row: Row = cols.map((c) => (c.type === 'string' ? '' : null));
  for (const [k, v] of Object.entries(fields)) {
    const i = cols.findIndex((c) => c.name === k);
    assert.ok(i >= 0, k);
    row[i] = v as Row[number];
  }
  return row;
}

const PARSEC = 'Parsec Cloud, Inc.';
const tick = (n: number) => new KTimespan(n);
const START = addTimespan(NOW, new KTimespan(-5 * 864_000_000_000));
const inside = dt('2024-06-08T10:00:00Z');

function ev(id: string, name: string, url: string, company: string, ts: ReturnType<typeof dt>, report: number): Row {
  return event({
    Timestamp: ts, DeviceId: id, DeviceName: name, RemoteUrl: url, InitiatingProcessVersionInfoCompanyName: company,
    ReportId: report,
  });
}

const EVENTS: Row[] = [
  // Matches: a rule domain, with the window's exact edges included.
  ev('d1', 'pc-1', 'kessel-ws.parsec.app', PARSEC, START, 1),
  ev('d1', 'pc-1', 'kessel-ws.parsec.app', PARSEC, NOW, 2),
  ev('d1', 'pc-1', 'kessel-ws.parsec.app', PARSEC, inside, 2), // duplicate ReportId
  // One tick outside either edge: dropped.
  ev('d1', 'pc-1', 'kessel-ws.parsec.app', PARSEC, addTimespan(START, tick(-1)), 3),
  ev('d1', 'pc-1', 'kessel-ws.parsec.app', PARSEC, addTimespan(NOW, tick(1)), 4),
  // Case differences: matched case-insensitively, grouped on the exact value.
  ev('d1', 'pc-1', 'KESSEL-WS.PARSEC.APP', 'PARSEC', inside, 5),
  // The same device id under a second name: its own group.
  ev('d1', 'PC-1.corp', 'kessel-ws.parsec.app', PARSEC, inside, 6),
  // A longer host that still holds the needle's terms on term boundaries.
  ev('d2', 'pc-2', 'eu.stun.parsec.app', 'parsec', inside, 7),
  ev('d2', 'pc-2', 'stun.parsec.app.cdn.example', PARSEC, inside, 8),
  // Term boundaries: not matches.
  ev('d3', 'pc-3', 'xkessel-ws.parsec.app', PARSEC, inside, 9),
  ev('d3', 'pc-3', 'stun.parsec.apps', PARSEC, inside, 10),
  ev('d3', 'pc-3', 'parsec.app', PARSEC, inside, 11),
  ev('d3', 'pc-3', 'builds.parsecgaming.co', PARSEC, inside, 12),
  // Company must hold the term 'parsec'.
  ev('d4', 'pc-4', 'builds.parsec.app', 'ParsecGaming', inside, 13),
  ev('d4', 'pc-4', 'builds.parsec.app', 'NotParsec Ltd', inside, 14),
  ev('d4', 'pc-4', 'builds.parsec.app', '', inside, 15),
  ev('d5', 'pc-5', 'parsecusercontent.com', 'Parsec-Cloud', inside, 16),
];

const iso = (d: ReturnType<typeof dt>) => d.toISOString();

test('the seed query parses cleanly with Microsoft\'s parser', () => {
  assert.match(SEED_QUERY, /^let Time_start = now\(-5d\);/);
  assertKusto(SEED_QUERY);
});

test('the seed query runs unmodified with Kusto semantics', async () => {
  const table = memoryTable(DEVICE_NETWORK_EVENTS, cols, EVENTS, 3);
  const r = await runKql(SEED_QUERY, { tables: { [DEVICE_NETWORK_EVENTS]: table }, now: NOW });
  assert.deepEqual(
    r.columns.map((c) => `${c.name}:${c.type}`),
    ['DeviceId:string', 'DeviceName:string', 'RemoteUrl:string', 'FirstSeen:datetime', 'LastSeen:datetime', 'Report:dynamic', 'Count:long'],
  );
  const rows = r.rows.map((row) => row.map((v) => (v instanceof KDateTime ? v.toISOString() : v)));
  const byText = (a: unknown[], b: unknown[]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  assert.deepEqual(rows.sort(byText), [
    ['d1', 'PC-1.corp', 'kessel-ws.parsec.app', iso(inside), iso(inside), [6], 1],
    ['d1', 'pc-1', 'KESSEL-WS.PARSEC.APP', iso(inside), iso(inside), [5], 1],
    ['d1', 'pc-1', 'kessel-ws.parsec.app', iso(START), iso(NOW), [1, 2], 3],
    ['d2', 'pc-2', 'eu.stun.parsec.app', iso(inside), iso(inside), [7], 1],
    ['d2', 'pc-2', 'stun.parsec.app.cdn.example', iso(inside), iso(inside), [8], 1],
    ['d5', 'pc-5', 'parsecusercontent.com', iso(inside), iso(inside), [16], 1],
  ].sort(byText));
});

test('the window follows the pinned clock, not the wall clock', async () => {
  const table = memoryTable(DEVICE_NETWORK_EVENTS, cols, EVENTS);
  const later = dt('2024-06-20T00:00:00Z');
  const r = await runKql(SEED_QUERY, { tables: { [DEVICE_NETWORK_EVENTS]: table }, now: new Date(later.ms) });
  assert.deepEqual(r.rows, []);
});
