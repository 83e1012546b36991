import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';

test('`triage audit verify` passes on an untouched log and fails, naming the entry, after a row is edited', async () => {
  const env = { TRIAGE_DB: join(mkdtempSync(join(tmpdir(), 'audit-')), 'triage.sqlite') };
  assert.equal((await runCli(['hunt'], { env })).code, 0);
  const ok = await runCli(['audit', 'verify'], { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^audit chain ok: \d+ entries\n$/);

  const db = new Database(env.TRIAGE_DB);
  const target = db.prepare('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3').get() as { id: number };
  const trigger = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log' AND sql LIKE '%UPDATE%'").get() as { name: string };
  db.exec(`DROP TRIGGER ${trigger.name}`);
  db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(target.id);
  db.close();

  const bad = await runCli(['audit', 'verify'], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, new RegExp(`^triage: audit: chain broken at entry ${target.id}: `, 'm'));
});
