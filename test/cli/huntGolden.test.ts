// `triage hunt --format json` must give exactly the rows Kusto gives for the seed query. Each event below is a
// hard case, with the reason it is in or out of the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const NOW = '2026-12-01T12:00:00Z';
const PARSEC = 'Parsec Cloud, Inc.';

interface Ev { t: string; dev: string; name?: string; url: string; company?: string | null; rid: number; acct?: string; parent?: string; ip?: string }

const events: Ev[] = [
  // window edges: between is inclusive at both ends
  { t: '2026-11-26T12:00:00Z', dev: 'A', url: 'kessel-ws.parsec.app', rid: 1 },
  { t: '2026-12-01T12:00:00Z', dev: 'A', url: 'kessel-ws.parsec.app', rid: 1 }, // duplicate ReportId
  { t: '2026-11-26T11:59:59.9999999Z', dev: 'A', url: 'kessel-ws.parsec.app', rid: 2 }, // one tick early: out
  { t: '2026-12-01T12:00:00.0000001Z', dev: 'A', url: 'kessel-ws.parsec.app', rid: 3 }, // one tick late: out
  // term boundaries on the URL
  { t: '2026-11-30T00:00:00Z', dev: 'B', url: 'xstun.parsec.app', rid: 10 }, // 'x' glued to the needle: out
  { t: '2026-11-30T00:00:01Z', dev: 'B', url: 'stun.parsec.apps', rid: 11 }, // trailing 's': out
  { t: '2026-11-30T00:00:02Z', dev: 'B', url: 'EU.KESSEL-API.PARSEC.APP', rid: 12 }, // case and a subdomain: in
  { t: '2026-11-30T00:00:03Z', dev: 'B', url: 'https://builds.parsecgaming.com/win/x.exe', rid: 13 }, // in
  // term boundaries on the company
  { t: '2026-11-30T00:00:04Z', dev: 'C', url: 'public.parsec.app', company: 'Parsecure Ltd', rid: 20 }, // out
  { t: '2026-11-30T00:00:05Z', dev: 'C', url: 'public.parsec.app', company: 'PARSEC', rid: 21 }, // in
  { t: '2026-11-30T00:00:06Z', dev: 'C', url: 'stun6.parsec.app', company: null, rid: 22 }, // out
  // one device id, two names: two rows
  { t: '2026-11-29T00:00:00Z', dev: 'D', name: 'd-old.contoso.com', url: 'builds.parsec.app', rid: 30 },
  { t: '2026-11-29T01:00:00Z', dev: 'D', name: 'd-new.contoso.com', url: 'builds.parsec.app', rid: 31 },
  // grouping is on exact values: URLs differing only in case are two rows
  { t: '2026-11-28T00:00:00Z', dev: 'E', url: 'stun.parsec.app', rid: 40, acct: 'alice' },
  { t: '2026-11-28T00:00:01Z', dev: 'E', url: 'STUN.PARSEC.APP', rid: 41, acct: 'bob' },
  { t: '2026-11-28T00:00:02Z', dev: 'E', url: 'stun.parsec.app', rid: 42, acct: 'carol', parent: 'msiexec.exe', ip: '10.8.1.1' },
];

function eventFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-golden-'));
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, events.map((e) => JSON.stringify({
    Timestamp: e.t, DeviceId: e.dev, DeviceName: e.name ?? `${e.dev.toLowerCase()}.contoso.com`, ActionType: 'ConnectionSuccess',
    RemoteIP: e.ip ?? '203.0.113.9', RemotePort: 443, RemoteUrl: e.url, InitiatingProcessFileName: 'parsecd.exe',
    InitiatingProcessParentFileName: e.parent ?? 'explorer.exe', InitiatingProcessAccountName: e.acct ?? 'user1',
    ...(e.company === null ? {} : { InitiatingProcessVersionInfoCompanyName: e.company ?? PARSEC }), ReportId: e.rid,
  })).join('\n') + '\n');
  return file;
}

const key = (r: Record<string, unknown>) => `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}`;

test('hunt --format json gives exactly the rows Kusto gives for the seed query', async () => {
  const run = await runCli(['hunt', '--events', eventFile(), '--now', NOW, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
  const got = new Map(rows.map((r) => [key(r), r]));
  assert.deepEqual([...got.keys()].sort(), [
    'A|a.contoso.com|kessel-ws.parsec.app',
    'B|b.contoso.com|EU.KESSEL-API.PARSEC.APP',
    'B|b.contoso.com|https://builds.parsecgaming.com/win/x.exe',
    'C|c.contoso.com|public.parsec.app',
    'D|d-new.contoso.com|builds.parsec.app',
    'D|d-old.contoso.com|builds.parsec.app',
    'E|e.contoso.com|STUN.PARSEC.APP',
    'E|e.contoso.com|stun.parsec.app',
  ]);
  const a = got.get('A|a.contoso.com|kessel-ws.parsec.app')!;
  assert.deepEqual(Object.keys(a), ['DeviceId', 'DeviceName', 'RemoteUrl', 'FirstSeen', 'LastSeen', 'Report', 'Count',
    'Processes', 'ParentProcesses', 'Accounts', 'RemoteIPs', 'Companies']);
  assert.equal(a.FirstSeen, '2026-11-26T12:00:00.000Z');
  assert.equal(a.LastSeen, '2026-12-01T12:00:00.000Z');
  assert.deepEqual(a.Report, [1]);
  assert.equal(a.Count, 2);
  const e = got.get('E|e.contoso.com|stun.parsec.app')!;
  assert.equal(e.Count, 2);
  assert.deepEqual([...(e.Report as number[])].sort(), [40, 42]);
  assert.deepEqual([...(e.Accounts as string[])].sort(), ['alice', 'carol']);
  assert.deepEqual([...(e.ParentProcesses as string[])].sort(), ['explorer.exe', 'msiexec.exe']);
  assert.deepEqual([...(e.RemoteIPs as string[])].sort(), ['10.8.1.1', '203.0.113.9']);
  assert.deepEqual(got.get('C|c.contoso.com|public.parsec.app')!.Companies, ['PARSEC']);
});

test('the same events through csv and table formats carry the same findings', async () => {
  const file = eventFile();
  const csv = await runCli(['hunt', '--events', file, '--now', NOW, '--format', 'csv']);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trimEnd().split('\r\n');
  assert.equal(lines[0], 'DeviceId,DeviceName,RemoteUrl,FirstSeen,LastSeen,Report,Count,Processes,ParentProcesses,Accounts,RemoteIPs,Companies');
  assert.equal(lines.length, 1 + 8);
  const table = await runCli(['hunt', '--events', file, '--now', NOW]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^DeviceId\s+DeviceName\s+RemoteUrl/);
  assert.equal(table.stdout.trimEnd().split('\n').length, 2 + 8);
});
