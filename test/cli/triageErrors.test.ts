// Triage commands refuse bad input in one line, with a non-zero exit, and write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';

async function setup(extra: Record<string, string> = {}) {
  const db = join(mkdtempSync(join(tmpdir(), 'triage-errors-')), 'triage.sqlite');
  const env = { TRIAGE_DB: db, ...extra };
  const hunt = await runCli(['hunt'], { env });
  assert.equal(hunt.code, 0, hunt.stderr);
  const list = JSON.parse((await runCli(['findings', '--format', 'json'], { env })).stdout) as Array<{ id: string; Accounts: string[] }>;
  return { env, db, list };
}

function counts(db: string) {
  const d = new Database(db, { readonly: true });
  const c = Object.fromEntries(['dispositions', 'exclusions', 'audit_log'].map((t) => [t, (d.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  d.close();
  return c;
}

async function refused(env: Record<string, string>, db: string, args: string[], pattern: RegExp) {
  const before = counts(db);
  const run = await runCli(args, { env });
  assert.notEqual(run.code, 0, `${args.join(' ')} must fail`);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('info:'));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, pattern);
  assert.deepEqual(counts(db), before, 'nothing was written');
}

test('unknown ids, bad scenarios, bad filters and misplaced flags are refused, writing nothing', async () => {
  const { env, db, list } = await setup();
  const id = list[0]!.id;
  await refused(env, db, ['mark', 'zzzzzzzz', '--as', 'tp', '--by', 'a'], /^triage: mark: no finding "zzzzzzzz"/);
  await refused(env, db, ['mark', id, 'zzzzzzzz', '--as', 'tp', '--by', 'a'], /no finding "zzzzzzzz"/);
  await refused(env, db, ['mark', id, '--as', 'benign', '--scenario', '9', '--by', 'a'], /scenario 9 is out of range 1–5/);
  await refused(env, db, ['mark', id, '--as', 'tp', '--scenario', '1', '--by', 'a'], /--scenario goes with --as benign only/);
  await refused(env, db, ['mark', id, '--as', 'fp', '--reason', 'SuspiciousActivity', '--by', 'a'], /does not go with FalsePositive/);
  await refused(env, db, ['mark', id, '--as', 'maybe', '--by', 'a'], /--as "maybe": must be one of/);
  await refused(env, db, ['mark', '--where', 'devce=x', '--as', 'tp', '--by', 'a'], /filter: unknown field 'devce'/);
  await refused(env, db, ['mark', '--where', 'url=nothing.example', '--as', 'tp', '--by', 'a'], /the filter matches no finding/);
  await refused(env, db, ['mark', id, '--as', 'tp'], /--by/);
  await refused(env, db, ['exclusions', 'approve', '42', '--by', 'x'], /exclusion 42/);
  await refused(env, db, ['show', 'nope0000'], /show: no finding/);
});

test('a misfit scenario is refused with the reason, and the whole mark writes nothing', async () => {
  const { env, db, list } = await setup();
  const notIt = list.find((f) => !f.Accounts.some((a) => /itsecurity|networkops/i.test(a)))!;
  await refused(env, db, ['mark', notIt.id, '--as', 'benign', '--scenario', '3', '--exclude', '--by', 'a'], /it_accounts/);
});

test('four-eyes: with REQUIRE_APPROVAL the author cannot approve their own exclusion; another analyst can', async () => {
  const { env, db, list } = await setup({ REQUIRE_APPROVAL: 'true' });
  const it = list.find((f) => f.Accounts.length === 1 && /^itsecurity$/i.test(f.Accounts[0]!))!;
  const mark = JSON.parse((await runCli(['mark', it.id, '--as', 'benign', '--scenario', '3', '--exclude', '--by', 'alice', '--format', 'json'], { env })).stdout);
  assert.equal(mark.exclusions[0].state, 'proposed');
  const id = String(mark.exclusions[0].id);
  await refused(env, db, ['exclusions', 'approve', id, '--by', 'alice'], /alice/);
  const ok = await runCli(['exclusions', 'approve', id, '--by', 'bob', '--format', 'json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).state, 'active');
});

test('an exclusion that would match a True Positive is refused unless overridden with a reason, and the override is audited', async () => {
  const { env, db, list } = await setup();
  const its = list.filter((f) => f.Accounts.length === 1 && /^itsecurity$/i.test(f.Accounts[0]!));
  assert.ok(its.length >= 2);
  assert.equal((await runCli(['mark', its[1]!.id, '--as', 'tp', '--by', 'carol'], { env })).code, 0);
  await refused(env, db, ['mark', its[0]!.id, '--as', 'benign', '--scenario', '3', '--exclude', '--by', 'alice'], new RegExp(its[1]!.id));
  const ok = await runCli(['mark', its[0]!.id, '--as', 'benign', '--scenario', '3', '--exclude', '--override-tp', 'TP was a red-team test on an IT box', '--by', 'alice', '--format', 'json'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  const audit = JSON.parse((await runCli(['audit', '--format', 'json', '--limit', '200'], { env })).stdout) as Array<{ action: string }>;
  assert.ok(audit.some((a) => a.action === 'exclusion.tp_override'), 'the override is in the audit log');
  const tp = JSON.parse((await runCli(['show', its[1]!.id, '--format', 'json'], { env })).stdout);
  assert.equal(tp.closedBy, 'disposition', 'an exclusion never closes a True Positive');
});
