// Bad input of any kind: one line on stderr, a non-zero exit, nothing on stdout, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/cli.js';

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function assertOneLineError(run: CliRun, pattern: RegExp): void {
  assert.notEqual(run.code, 0, 'exit code is non-zero');
  assert.equal(run.stdout, '', 'nothing on stdout');
  const lines = run.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('{'));
  assert.equal(lines.length, 1, `one line, got: ${run.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

test('a missing event file names the path', async () => {
  assertOneLineError(await runCli(['hunt', '--events', '/nonexistent/e.jsonl', '--now', '2026-12-01T12:00:00Z']), /^triage: .*\/nonexistent\/e\.jsonl/);
});

test('a file of bad JSON says so with a line number', async () => {
  assertOneLineError(await runCli(['hunt', '--events', file('bad.jsonl', '{not json\n{"also": \n'), '--now', '2026-12-01T12:00:00Z']), /^triage: .*line 1/);
});

test('a broken CSV says so', async () => {
  assertOneLineError(await runCli(['hunt', '--events', file('bad.csv', 'Timestamp,DeviceId\n"unterminated,x\n'), '--now', '2026-12-01T12:00:00Z']), /^triage: .*bad\.csv/);
});

test('an unknown rule lists what is known', async () => {
  assertOneLineError(await runCli(['hunt', '--rule', 'no-such-rule']), /^triage: .*no-such-rule.*070b55d3-eb84-4312-a116-1af9965cd6e4/);
});

test('bad KQL gives line:column', async () => {
  assertOneLineError(await runCli(['kql', 'DeviceNetworkEvents\n| where NoSuchColumn == 1']), /^triage: 2:9: .*NoSuchColumn/);
  assertOneLineError(await runCli(['kql', 'DeviceNetworkEvents | wher x']), /^triage: 1:23: /);
});

test('a bad --now is refused before anything runs', async () => {
  assertOneLineError(await runCli(['hunt', '--now', 'tomorrow']), /^triage: config: --now "tomorrow"/);
});

test('an unknown command or option is a usage error (exit 2)', async () => {
  const run = await runCli(['hnut']);
  assertOneLineError(run, /^triage: unknown command 'hnut'/);
  assert.equal(run.code, 2);
  const bad = await runCli(['hunt', '--format', 'xml']);
  assertOneLineError(bad, /^triage: option '--format <format>' argument 'xml' is invalid/);
});
