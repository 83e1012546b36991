// Bulk marking 10,000 findings through the product's service (dispositions, closes, audit entries, one
// transaction), against raw better-sqlite3 inserts of the same disposition rows into a bare table.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openApp } from '../../src/triage/app.js';
import { markFindings } from '../../src/triage/marking.js';
import { parseVerdict } from '../../src/triage/taxonomy.js';
import type { FindingInput } from '../../src/store/index.js';
import { elapsedMs, report } from './report.js';

const N = Number(process.argv[2] ?? 10_000);
const RULE = '070b55d3-eb84-4312-a116-1af9965cd6e4';
const dir = mkdtempSync(join(tmpdir(), 'bench-bulk-'));
const app = openApp(loadConfig({ TRIAGE_DB: join(dir, 'triage.sqlite') }));
const run = app.store.runs.start({ ruleId: RULE, windowStart: new Date('2026-11-26T12:00:00Z'), windowEnd: new Date('2026-12-01T12:00:00Z'), source: 'local', kql: 'bench' }, 'bench');
const rows: FindingInput[] = Array.from({ length: N }, (_, i) => ({
  deviceId: `dev-${i}`, deviceName: `wks-${i}.corp.contoso.com`, remoteUrl: 'stun.parsec.app',
  firstSeen: '2026-11-30T00:00:00Z', lastSeen: '2026-11-30T01:00:00Z', reportIds: [i], count: 1,
  enrichment: { Processes: ['parsecd.exe'], ParentProcesses: ['explorer.exe'], Accounts: ['user'], RemoteIPs: ['203.0.113.5'], Companies: ['Parsec Cloud, Inc.'] },
}));
app.store.findings.mergeRunRows(RULE, run.id, rows, 'bench');
const ids = app.store.findings.list({}).map((f) => f.id);

const t0 = process.hrtime.bigint();
const out = await markFindings(app, { ids, verdict: parseVerdict('fp', 'InaccurateData'), comment: 'bench', analyst: { id: 'bench' } });
const productMs = elapsedMs(t0);
if (out.marked.length !== N) throw new Error(`marked ${out.marked.length}, expected ${N}`);
app.close();

// The baseline: the same rows, nothing else (no validation, no finding updates, no audit), in one transaction.
const raw = new Database(join(dir, 'raw.sqlite'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.exec(`CREATE TABLE dispositions (id INTEGER PRIMARY KEY, finding_id TEXT, classification TEXT, reason TEXT, scenario INTEGER,
  comment TEXT, analyst_id TEXT, analyst_name TEXT, created_at TEXT, finding_last_seen_at TEXT, bulk_id TEXT)`);
const ins = raw.prepare(`INSERT INTO dispositions (finding_id, classification, reason, scenario, comment, analyst_id, analyst_name, created_at, finding_last_seen_at, bulk_id)
  VALUES (@f, 'FalsePositive', 'InaccurateData', NULL, 'bench', 'bench', NULL, @at, '2026-11-30T01:00:00.0000000Z', 'b')`);
const t1 = process.hrtime.bigint();
raw.transaction(() => { const at = new Date().toISOString(); for (const f of ids) ins.run({ f, at }); })();
const rawMs = elapsedMs(t1);
raw.close();
rmSync(dir, { recursive: true, force: true });
report({ n: N, productMs, rawMs });
