// `npm run start:bot` as a process: it says where it listens, answers /healthz, and on SIGTERM closes the
// server and the database, then exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { startBotProcess } from '../support/botProcess.js';

test('the bot entry starts, answers, and shuts down cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bot-entry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'triage.sqlite');
  const bot = await startBotProcess(t, { TRIAGE_DB: db });
  const { child, url } = bot;
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.match(bot.stderr(), /no analyst list configured: everyone is an analyst/);

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, null, bot.stderr());
  assert.equal(code, 0, bot.stderr());
  assert.equal(bot.stdout(), '');
  assert.match(bot.stderr(), /"msg":"stopped"/);
  // A clean close checkpoints the WAL and removes it; a killed process would leave it behind.
  assert.equal(existsSync(`${db}-wal`), false);
  const reopened = new Database(db, { readonly: true });
  t.after(() => reopened.close());
  assert.ok((reopened.pragma('user_version', { simple: true }) as number) >= 3);
});
