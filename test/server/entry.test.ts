// `npm run start:bot` as a process: it says where it listens, answers /healthz, and on SIGTERM closes the
// server and the database, then exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.js';

test('the bot entry starts, answers, and shuts down cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bot-entry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'triage.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TRIAGE_DB: db, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TRIAGE_ANALYSTS: '', TRIAGE_LEADS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = stderr.match(/^bot listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages$/m);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before listening:\n${stderr}`)));
  });
  const url = await listening;
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.match(stderr, /no analyst list configured: everyone is an analyst/);

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, null, stderr);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, '');
  assert.match(stderr, /"msg":"stopped"/);
  // A clean close checkpoints the WAL and removes it; a killed process would leave it behind.
  assert.equal(existsSync(`${db}-wal`), false);
  const reopened = new Database(db, { readonly: true });
  t.after(() => reopened.close());
  assert.ok((reopened.pragma('user_version', { simple: true }) as number) >= 3);
});
