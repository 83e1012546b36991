// The closed loop, through the real `triage` bin on the committed sample: hunt → mark benign with --exclude
// → the next hunt drops what the exclusion's preview named, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { seedQuery } from '../support/seed.js';

type Row = Record<string, unknown> & { DeviceId: string; DeviceName: string; RemoteUrl: string; Count: number };
const key = (r: Row) => `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}`;

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const run = await runCli(args, { env });
  assert.equal(run.code, 0, `triage ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function freshDb(): Record<string, string> {
  return { TRIAGE_DB: join(mkdtempSync(join(tmpdir(), 'loop-')), 'triage.sqlite') };
}

test('mark benign with --exclude: the next hunt drops the finding and every finding the preview named as fully covered, and keeps the rest', async () => {
  const env = freshDb();
  const before = JSON.parse(await cli(['hunt', '--format', 'json'], env)) as Row[];
  const findings = JSON.parse(await cli(['findings', '--format', 'json'], env)) as Array<{ id: string; DeviceName: string; ParentProcesses: string[]; Accounts: string[] }>;
  // Scenario 4 (Intune: msiexec.exe / setup.exe parent), device scope: pick a finding whose only parent fits.
  const target = findings.find((f) => f.ParentProcesses.length === 1 && /^(msiexec|setup)\.exe$/i.test(f.ParentProcesses[0]!));
  assert.ok(target, 'the sample holds a scenario-4 finding');

  const mark = JSON.parse(await cli(['mark', target.id, '--as', 'benign', '--scenario', '4', '--exclude', '--by', 'alice', '--format', 'json'], env));
  assert.equal(mark.marked[0], target.id);
  const [x] = mark.exclusions;
  assert.equal(x.state, 'active', 'without REQUIRE_APPROVAL a benign --exclude activates at once');

  const shown = JSON.parse(await cli(['exclusions', 'show', String(x.id), '--format', 'json'], env));
  const full = new Set<string>(shown.impact.matched.filter((m: { full: boolean }) => m.full).map((m: { id: string }) => m.id));
  const partial = new Set<string>(shown.impact.matched.filter((m: { full: boolean }) => !m.full).map((m: { id: string }) => m.id));
  assert.ok(full.has(target.id));

  const after = JSON.parse(await cli(['hunt', '--format', 'json'], env)) as Row[];
  const stored = JSON.parse(await cli(['findings', '--state', 'all', '--format', 'json'], env)) as Array<{ id: string; DeviceId: string; RemoteUrl: string; DeviceNames: string[] }>;
  const idOf = (r: Row) => stored.find((f) => f.DeviceId === r.DeviceId && f.RemoteUrl === r.RemoteUrl)!.id;

  const afterKeys = new Map(after.map((r) => [key(r), r]));
  for (const r of before) {
    const id = idOf(r);
    if (full.has(id)) assert.ok(!afterKeys.has(key(r)), `finding ${id} (${key(r)}) is suppressed`);
    else if (partial.has(id)) assert.ok(!afterKeys.has(key(r)) || afterKeys.get(key(r))!.Count < r.Count, `finding ${id} lost its matching events`);
    else assert.deepEqual(afterKeys.get(key(r)), r, `finding ${id} outside the exclusion is unchanged`);
  }
  const beforeKeys = new Set(before.map(key));
  assert.ok(after.every((r) => beforeKeys.has(key(r))), 'an exclusion adds no finding');

  const hits = JSON.parse(await cli(['exclusions', 'show', String(x.id), '--format', 'json'], env)).hits;
  assert.ok(hits.length === 1 && hits[0].hits > 0, 'the second hunt recorded how many events the exclusion suppressed');
});

test('the exported kql block, run with `triage kql` over the same events, removes the same rows the hunt removes', async () => {
  const env = freshDb();
  const findings = JSON.parse((await cli(['hunt', '--format', 'json'], env), await cli(['findings', '--format', 'json'], env))) as Array<{ id: string; Accounts: string[] }>;
  const it = findings.find((f) => f.Accounts.length === 1 && /^networkops$/i.test(f.Accounts[0]!));
  assert.ok(it, 'the sample holds a scenario-3 finding');
  await cli(['mark', it.id, '--as', 'benign', '--scenario', '3', '--exclude', '--by', 'bob'], env);
  const hunted = JSON.parse(await cli(['hunt', '--format', 'json'], env)) as Row[];

  const block = await cli(['export', '--format', 'kql'], env);
  const seed = seedQuery();
  const at = seed.indexOf('| summarize');
  const query = seed.slice(0, at) + block + seed.slice(at);
  const dir = mkdtempSync(join(tmpdir(), 'loop-kql-'));
  writeFileSync(join(dir, 'q.kql'), query);
  const run = await runCli(['kql', '-', '--format', 'json'], { env: { ...env, TRIAGE_NOW: '2026-12-01T12:00:00Z' }, input: readFileSync(join(dir, 'q.kql'), 'utf8') });
  assert.equal(run.code, 0, run.stderr);
  const viaKql = JSON.parse(run.stdout) as Row[];
  const strip = (rows: Row[]) => rows.map((r) => `${key(r)}|${r.Count}|${r.FirstSeen}|${r.LastSeen}`).sort();
  assert.deepEqual(strip(viaKql), strip(hunted));
});

test('exporting json and importing it into an empty database gives the same next hunt', async () => {
  const source = freshDb();
  const findings = JSON.parse((await cli(['hunt'], source), await cli(['findings', '--format', 'json'], source))) as Array<{ id: string; Accounts: string[]; ParentProcesses: string[] }>;
  const a = findings.find((f) => f.Accounts.length === 1 && /^itsecurity$/i.test(f.Accounts[0]!))!;
  const b = findings.find((f) => f.ParentProcesses.length === 1 && /^(taskeng|taskhostw)\.exe$/i.test(f.ParentProcesses[0]!))!;
  await cli(['mark', a.id, '--as', 'benign', '--scenario', '3', '--exclude', '--by', 'alice'], source);
  await cli(['mark', b.id, '--as', 'benign', '--scenario', '2', '--exclude', '--by', 'alice'], source);
  const exported = await cli(['export', '--format', 'json'], source);
  const file = join(mkdtempSync(join(tmpdir(), 'loop-json-')), 'x.json');
  writeFileSync(file, exported);

  const target = freshDb();
  const report = JSON.parse(await cli(['import', file], target));
  assert.equal(report.created.length, 2);
  const again = JSON.parse(await cli(['import', file], target));
  assert.deepEqual([again.created.length, again.updated.length, again.unchanged.length], [0, 0, 2], 'a second import changes nothing');

  const fromSource = await cli(['hunt', '--format', 'json'], source);
  const fromTarget = await cli(['hunt', '--format', 'json'], target);
  assert.deepEqual(JSON.parse(fromTarget), JSON.parse(fromSource));
  assert.equal(await cli(['query'], target), await cli(['query'], source));
});
