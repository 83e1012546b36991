// Bulk marking through the service the CLI and the bot share: thousands at once, all or nothing, idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openApp, type TriageApp } from '../../src/triage/app.js';
import { markFindings } from '../../src/triage/marking.js';
import { parseVerdict } from '../../src/triage/taxonomy.js';
import { parseFindingFilter } from '../../src/triage/findingFilter.js';
import type { FindingInput } from '../../src/store/index.js';

const RULE = '070b55d3-eb84-4312-a116-1af9965cd6e4';

function seededApp(n: number): TriageApp {
  const dir = mkdtempSync(join(tmpdir(), 'bulk-'));
  const app = openApp(loadConfig({ TRIAGE_DB: join(dir, 'triage.sqlite') }));
  const run = app.store.runs.start({ ruleId: RULE, windowStart: new Date('2026-11-26T12:00:00Z'), windowEnd: new Date('2026-12-01T12:00:00Z'), source: 'local', kql: 'x' }, 'test');
  const rows: FindingInput[] = Array.from({ length: n }, (_, i) => ({
    deviceId: `dev-${i}`, deviceName: `wks-${i}.corp.contoso.com`, remoteUrl: i % 2 ? 'stun.parsec.app' : 'kessel-ws.parsec.app',
    firstSeen: '2026-11-30T00:00:00Z', lastSeen: '2026-11-30T01:00:00Z', reportIds: [i], count: 1,
    enrichment: { Processes: ['parsecd.exe'], ParentProcesses: ['explorer.exe'], Accounts: [i % 3 ? 'user' : 'ITSecurity'], RemoteIPs: ['203.0.113.5'], Companies: ['Parsec Cloud, Inc.'] },
  }));
  app.store.findings.mergeRunRows(RULE, run.id, rows, 'test');
  app.store.runs.finish(run.id, { status: 'ok', rowCount: n }, 'test');
  return app;
}

const count = (app: TriageApp, table: string) => (app.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

test('a bulk mark of 3,000 findings by filter is one transaction, and repeating it changes nothing', async () => {
  const app = seededApp(3000);
  try {
    const req = { where: parseFindingFilter('url=stun.parsec.app'), verdict: parseVerdict('fp', 'InaccurateData'), comment: 'sensor bug', analyst: { id: 'alice' } };
    const first = await markFindings(app, req);
    assert.equal(first.marked.length, 1500);
    assert.ok(first.bulkId);
    assert.ok(first.marked.every((f) => f.state === 'closed'));
    assert.equal(app.store.dispositions.byBulk(first.bulkId!).length, 1500);
    const audit = count(app, 'audit_log');
    // The filter defaults to open findings; name them by id to prove repetition itself is a no-op.
    const again = await markFindings(app, { ...req, where: undefined, ids: first.marked.map((f) => f.id) });
    assert.equal(again.marked.length, 0);
    assert.equal(again.unchanged.length, 1500);
    assert.equal(count(app, 'audit_log'), audit, 'no audit entry either');
    assert.equal(count(app, 'dispositions'), 1500);
  } finally {
    app.close();
  }
});

test('a failure midway through a bulk mark leaves nothing changed', async () => {
  const app = seededApp(1000);
  try {
    // A real failure inside the transaction, after hundreds of rows were written: the 700th disposition aborts.
    app.store.db.exec(`CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON dispositions
      WHEN (SELECT count(*) FROM dispositions) >= 699 BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END`);
    const before = { d: count(app, 'dispositions'), a: count(app, 'audit_log'), open: app.store.findings.list({ state: 'open' }).length };
    await assert.rejects(
      markFindings(app, { ids: app.store.findings.list({ state: 'open' }).map((f) => f.id), verdict: parseVerdict('benign'), scenario: 1, analyst: { id: 'alice' } }),
      /disk full/,
    );
    assert.equal(count(app, 'dispositions'), before.d);
    assert.equal(count(app, 'audit_log'), before.a);
    assert.equal(app.store.findings.list({ state: 'open' }).length, before.open);
    assert.equal(app.store.audit.verify().ok, true);
  } finally {
    app.close();
  }
});

test('bulk benign with --exclude learns one exclusion per identity, sourced from every disposition', async () => {
  const app = seededApp(30);
  try {
    const out = await markFindings(app, {
      where: parseFindingFilter('account=ITSecurity'), verdict: parseVerdict('benign'), scenario: 3, exclude: {}, analyst: { id: 'alice' },
    });
    assert.equal(out.marked.length, 10);
    assert.equal(out.exclusions.length, 1, 'one rule-wide account exclusion, not ten');
    const [x] = out.exclusions;
    assert.equal(x!.exclusion.state, 'active');
    assert.equal(app.store.exclusions.sources(x!.exclusion.id).length, 10);
  } finally {
    app.close();
  }
});

test('a stale version is refused and nothing is written', async () => {
  const app = seededApp(3);
  try {
    const f = app.store.findings.list({})[0]!;
    await assert.rejects(
      markFindings(app, { ids: [f.id], verdict: parseVerdict('tp'), analyst: { id: 'a' }, expectedVersions: new Map([[f.id, f.version - 1]]) }),
      /changed since it was shown/,
    );
    assert.equal(count(app, 'dispositions'), 0);
  } finally {
    app.close();
  }
});
