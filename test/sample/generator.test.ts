// The sample generator: byte-for-byte determinism, and the content the hunt's hard cases need: every rule
// domain, every scenario shape, variants that match and near misses that do not, suspicious cases, window
// edges, duplicate ReportIds, one device under two names, and plenty of unrelated traffic.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeSample, sampleEvents, type SampleOptions } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';
import type { EventTag, TaggedEvent } from '../../data/sample/model.js';
import { inCidr } from '../../data/sample/net.js';
import { RULE_DOMAINS } from '../../data/sample/parsec.js';
import { has, inWindow, matchesRule, matchesUrlAndCompany } from '../../data/sample/reference.js';
import { formatTimestamp } from '../../data/sample/format.js';

const dir = mkdtempSync(join(tmpdir(), 'sample-gen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-12-01T12:00:00Z');
const NOW_MS = NOW.getTime();
const DAY = 86_400_000;
const lists = loadSubnetLists(join(dir, 'no-lists'));
const base: SampleOptions = { rows: 3000, seed: 42, now: NOW, lists };

async function bytes(opts: SampleOptions, format: 'jsonl' | 'csv' = 'jsonl'): Promise<Buffer> {
  const out = join(dir, `s-${opts.seed}-${opts.rows}-${Math.random().toString(36).slice(2)}.${format}`);
  await writeSample({ ...opts, out, format });
  return readFileSync(out);
}

const events: TaggedEvent[] = [...sampleEvents(base)];
const tagged = (tag: EventTag) => events.filter((t) => t.tag === tag);

describe('sample generator: determinism', () => {
  it('writes the same bytes for the same seed, rows and clock', async () => {
    const a = await bytes(base);
    const b = await bytes(base);
    assert.ok(a.length > 100_000);
    assert.ok(a.equals(b));
    assert.ok((await bytes(base, 'csv')).equals(await bytes(base, 'csv')));
  });

  it('writes different bytes for a different seed or clock', async () => {
    const a = await bytes(base);
    assert.ok(!a.equals(await bytes({ ...base, seed: 43 })));
    assert.ok(!a.equals(await bytes({ ...base, now: new Date('2026-12-02T12:00:00Z') })));
  });

  it('writes exactly the requested number of rows, even fewer than the curated cases', async () => {
    for (const rows of [1, 10, 3000]) {
      const text = (await bytes({ ...base, rows })).toString('utf8');
      assert.equal(text.split('\n').filter(Boolean).length, rows);
    }
  });
});

describe('sample generator: content', () => {
  it('fills the columns that matter, with MDE-like identifiers and 7-digit timestamps', () => {
    for (const { event: e } of events) {
      assert.match(e.DeviceId, /^[0-9a-f]{40}$/);
      assert.match(e.DeviceName, /^[a-z0-9-]+\.corp\.contoso\.com$/);
      assert.ok(e.ActionType.length > 0 && e.InitiatingProcessFileName.length > 0 && e.InitiatingProcessAccountName.length > 0);
      assert.ok(Number.isInteger(e.ReportId) && e.ReportId > 0);
      assert.match(formatTimestamp(e.ms, e.sub), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    }
    const actions = new Set(events.map((t) => t.event.ActionType));
    for (const a of ['ConnectionSuccess', 'ConnectionFailed', 'ConnectionAttempt', 'InboundConnectionAccepted']) assert.ok(actions.has(a), a);
  });

  it('spreads timestamps over the 6 days before now, some outside the 5-day window', () => {
    const outside = events.filter((t) => !inWindow(t.event, NOW_MS));
    assert.ok(events.every((t) => t.event.ms >= NOW_MS - 6 * DAY - 1 && (t.event.ms < NOW_MS || t.tag.startsWith('edge'))));
    assert.ok(outside.length > events.length / 10, `${outside.length} outside`);
    assert.ok(outside.some((t) => matchesUrlAndCompany(t.event)), 'Parsec traffic just too old to be found');
  });

  it('is mostly unrelated traffic: browsers, Teams, Windows Update', () => {
    const traffic = tagged('traffic');
    assert.ok(traffic.length > events.length * 0.7);
    const files = new Set(traffic.map((t) => t.event.InitiatingProcessFileName));
    for (const f of ['chrome.exe', 'msedge.exe', 'ms-teams.exe', 'svchost.exe', 'OUTLOOK.EXE']) assert.ok(files.has(f), f);
    assert.ok(traffic.some((t) => t.event.RemoteUrl === 'ctldl.windowsupdate.com'));
    assert.ok(traffic.every((t) => !matchesUrlAndCompany(t.event)));
  });

  it('has rule findings for every rule domain, with Parsec as the company', () => {
    for (const d of RULE_DOMAINS) {
      const hits = events.filter((t) => t.event.RemoteUrl === d && matchesRule(t.event, NOW_MS));
      assert.ok(hits.length > 0, d);
      assert.ok(hits.some((t) => t.event.InitiatingProcessVersionInfoCompanyName === 'Parsec Cloud, Inc.'), d);
    }
  });

  it('has variants the rule still matches and near misses it does not', () => {
    const variants = tagged('variant');
    const urls = new Set(variants.map((t) => t.event.RemoteUrl));
    for (const u of ['KESSEL-WS.PARSEC.APP', 'eu.kessel-ws.parsec.app']) assert.ok(urls.has(u), u);
    assert.ok(variants.every((t) => matchesUrlAndCompany(t.event)));
    const misses = tagged('near-miss');
    const missUrls = new Set(misses.map((t) => t.event.RemoteUrl));
    for (const u of ['xparsec.app', 'stun.parsec.apps']) assert.ok(missUrls.has(u), u);
    assert.ok(misses.some((t) => t.event.InitiatingProcessVersionInfoCompanyName === 'Parsecure Ltd'));
    assert.ok(misses.some((t) => t.event.InitiatingProcessFileName === 'chrome.exe' && RULE_DOMAINS.some((d) => has(t.event.RemoteUrl, d))),
      'a non-Parsec process talking to a rule domain');
    assert.ok(misses.every((t) => !matchesUrlAndCompany(t.event)));
    assert.ok(!has('Parsecure Ltd', 'parsec') && !has('xparsec.app', 'parsec.app') && has('KESSEL-WS.PARSEC.APP', 'kessel-ws.parsec.app'));
  });

  it('has every benign scenario in each documented shape, all found by the rule', () => {
    const shape: Record<number, (t: TaggedEvent) => string> = {
      1: (t) => t.event.InitiatingProcessParentFileName,
      2: (t) => t.event.InitiatingProcessParentFileName,
      3: (t) => t.event.InitiatingProcessAccountName,
      4: (t) => t.event.InitiatingProcessParentFileName,
      5: (t) => (lists.vpn.some((c) => inCidr(t.event.RemoteIP, c)) ? 'vpn' : lists.rdp.some((c) => inCidr(t.event.RemoteIP, c)) ? 'rdp' : 'none'),
    };
    const expected: Record<number, string[]> = {
      1: ['System', 'services.exe'], 2: ['taskeng.exe', 'taskhostw.exe'], 3: ['ITSecurity', 'NetworkOps'],
      4: ['msiexec.exe', 'setup.exe'], 5: ['rdp', 'vpn'],
    };
    for (const n of [1, 2, 3, 4, 5]) {
      const inst = tagged(`scenario-${n}` as EventTag);
      assert.ok(inst.length >= 4, `scenario ${n}: ${inst.length}`);
      assert.deepEqual([...new Set(inst.map(shape[n]))].sort(), expected[n].sort(), `scenario ${n}`);
      assert.ok(inst.filter((t) => matchesRule(t.event, NOW_MS)).length >= 2, `scenario ${n} has findings`);
      assert.ok(inst.every((t) => matchesUrlAndCompany(t.event)));
    }
    assert.ok(tagged('scenario-1').every((t) => /^srv-/.test(t.event.DeviceName)), 'scenario 1 runs on servers');
    assert.ok(tagged('scenario-1').every((t) => t.event.InitiatingProcessAccountName.startsWith('adm-')), 'by admins');
  });

  it('keeps scenario-5 addresses out of ordinary traffic', () => {
    const inLists = (ip: string) => [...lists.vpn, ...lists.rdp].some((c) => /^\d+\.\d+\.\d+\.\d+$/.test(ip) && inCidr(ip, c));
    const others = events.filter((t) => t.tag !== 'scenario-5' && matchesUrlAndCompany(t.event));
    assert.ok(others.every((t) => !inLists(t.event.RemoteIP)));
  });

  it('has suspicious Parsec launches the rule finds', () => {
    const bad = tagged('malicious');
    assert.ok(bad.every((t) => matchesUrlAndCompany(t.event)));
    const parents = new Set(bad.map((t) => t.event.InitiatingProcessParentFileName));
    for (const p of ['powershell.exe', 'cmd.exe', 'rundll32.exe']) assert.ok(parents.has(p), p);
    assert.ok(bad.some((t) => /\\AppData\\Local\\Temp\\/.test(t.event.InitiatingProcessFolderPath)));
    const servers = new Set(bad.map((t) => t.event.DeviceName).filter((d) => /^(dc|srv-sql)-/.test(d)));
    assert.equal(servers.size, 2, 'a DC and a SQL server');
    const routine = events.filter((t) => !['malicious'].includes(t.tag) && matchesUrlAndCompany(t.event));
    assert.ok(routine.every((t) => !servers.has(t.event.DeviceName)), 'those servers never run Parsec otherwise');
  });

  it('has events exactly at both window edges and one tick outside each', () => {
    const edges = [...tagged('edge-in'), ...tagged('edge-out')].map((t) => formatTimestamp(t.event.ms, t.event.sub));
    assert.deepEqual(edges, ['2026-11-26T12:00:00.0000000Z', '2026-12-01T12:00:00.0000000Z', '2026-11-26T11:59:59.9999999Z',
      '2026-12-01T12:00:00.0000001Z']);
    assert.ok(tagged('edge-in').every((t) => matchesRule(t.event, NOW_MS)));
    assert.ok(tagged('edge-out').every((t) => !matchesRule(t.event, NOW_MS) && matchesUrlAndCompany(t.event)));
  });

  it('has a ReportId twice in one finding and once more on another device', () => {
    const [first, again, elsewhere] = tagged('duplicate-report').map((t) => t.event);
    assert.equal(again.ReportId, first.ReportId);
    assert.equal(again.DeviceId, first.DeviceId);
    assert.equal(again.RemoteUrl, first.RemoteUrl);
    assert.equal(elsewhere.ReportId, first.ReportId);
    assert.notEqual(elsewhere.DeviceId, first.DeviceId);
  });

  it('has one DeviceId under two DeviceNames, both found', () => {
    const names = new Map<string, Set<string>>();
    for (const { event: e } of events.filter((t) => matchesRule(t.event, NOW_MS))) {
      names.set(e.DeviceId, (names.get(e.DeviceId) ?? new Set()).add(e.DeviceName));
    }
    const twoNamed = [...names].filter(([, s]) => s.size > 1);
    assert.equal(twoNamed.length, 1);
    assert.equal(twoNamed[0][0], tagged('renamed-device')[0].event.DeviceId);
  });
});
