// `npm start` as an analyst runs it: both processes come up, the URL is printed, Ctrl+C stops everything;
// and a bot that cannot start is reported with its own output. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { freePort } from '../../scripts/start.js';

const SETTINGS = /^(TRIAGE_|MicrosoftApp|LOG_ANALYTICS_|PORT$|HOST$)/;

function startScript(t: { after: (fn: () => void) => void }, env: Record<string, string>, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'triage-start-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SETTINGS.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'start.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...base, TRIAGE_DB: join(dir, 'triage.sqlite'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdout.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const bounded = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms; output:\n${stderr}`)), ms).unref())]);
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const output = (match: RegExp) =>
    bounded(
      new Promise<string>((resolveMatch) => {
        const check = () => (match.test(stderr) ? resolveMatch(stderr) : undefined);
        child.stderr.on('data', check);
        child.stdout.on('data', check);
        check();
      }),
      120_000,
      `no ${match}`,
    );
  return { child, exited: (ms: number) => bounded(exited, ms, 'no exit'), output, stderr: () => stderr };
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

test('npm start runs the bot and the playground, prints the URL, and SIGINT stops both cleanly', async (t) => {
  const [botPort, pgPort] = [await freePort(), await freePort()];
  const run = startScript(t, { PORT: String(botPort) }, ['--playground-port', String(pgPort)]);
  const out = await run.output(/Agents Playground: (\S+)/);
  assert.match(out, new RegExp(`Agents Playground: http://localhost:${pgPort}\\b`));
  assert.match(out, new RegExp(`Bot: +http://127\\.0\\.0\\.1:${botPort}/api/messages`));
  assert.match(out, /everyone is an analyst/, "the bot's start-up lines are shown");
  assert.equal((await fetch(`http://127.0.0.1:${botPort}/healthz`)).status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${pgPort}/`)).status, 200);

  run.child.kill('SIGINT');
  assert.equal(await run.exited(30_000), 0, run.stderr());
  assert.match(run.stderr(), /"msg":"stopped"/, 'the bot shut down gracefully, not killed');
  assert.ok(await refused(`http://127.0.0.1:${botPort}/healthz`), 'bot gone');
  assert.ok(await refused(`http://127.0.0.1:${pgPort}/`), 'playground gone');
});

test('npm start reports a bot that fails to start, with its output, and exits non-zero', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'triage-norules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [botPort, pgPort] = [await freePort(), await freePort()];
  const run = startScript(t, { PORT: String(botPort), TRIAGE_RULES_DIR: join(dir, 'missing') }, ['--playground-port', String(pgPort)]);
  assert.equal(await run.exited(120_000), 1);
  assert.match(run.stderr(), /npm start: the bot did not start \(exit 1\)/);
  assert.match(run.stderr(), /--- bot output ---[\s\S]*bot failed to start/);
  assert.doesNotMatch(run.stderr(), /Agents Playground:/);
  assert.ok(await refused(`http://127.0.0.1:${pgPort}/`), 'no playground was left behind');
});

test('npm start refuses a bot port that is already taken instead of talking to someone else', async (t) => {
  const { createServer } = await import('node:http');
  const squatter = createServer((_req, res) => res.end('{"status":"ok"}'));
  await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
  t.after(() => squatter.close());
  const port = (squatter.address() as { port: number }).port;
  const run = startScript(t, { PORT: String(port) }, ['--playground-port', String(await freePort())]);
  assert.equal(await run.exited(60_000), 1);
  assert.match(run.stderr(), new RegExp(`bot \\(PORT\\): 127\\.0\\.0\\.1:${port} is not available \\(EADDRINUSE\\)`));
});
