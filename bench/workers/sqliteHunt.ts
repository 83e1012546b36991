// The baseline: the same events loaded into SQLite (better-sqlite3), then the seed hunt as one SQL statement.
// `has` is term-based: GLOB with a non-alphanumeric class on both sides of the needle, over the value padded
// with spaces, is the same test for ASCII terms; the window is inclusive at both ends, as `between` is.
import Database from 'better-sqlite3';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseDateTime, KDateTime } from '../../src/kql/values.js';
import { report, elapsedMs } from './report.js';

const [file, nowIso] = process.argv.slice(2);
const now = parseDateTime(nowIso!)!;
const lo = new KDateTime(now.ms - 5 * 86400_000, now.sub).toISOString();
const hi = now.toISOString();

const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
const db = new Database(join(dir, 'events.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
const COLS = ['Timestamp', 'DeviceId', 'DeviceName', 'RemoteUrl', 'RemoteIP', 'ReportId', 'InitiatingProcessFileName',
  'InitiatingProcessParentFileName', 'InitiatingProcessAccountName', 'InitiatingProcessVersionInfoCompanyName'];
db.exec(`CREATE TABLE events (${COLS.map((c) => `${c} ${c === 'ReportId' ? 'INTEGER' : 'TEXT'}`).join(', ')})`);
const insert = db.prepare(`INSERT INTO events VALUES (${COLS.map((c) => `@${c}`).join(', ')})`);

// Datetimes are stored in one fixed-width form so text order is time order.
const fixed = (s: string) => {
  const d = parseDateTime(s);
  if (!d) return null;
  return `${new Date(d.ms).toISOString().slice(0, -1)}${String(d.sub).padStart(4, '0')}Z`;
};

const start = process.hrtime.bigint();
const batch: Record<string, unknown>[] = [];
const flush = db.transaction((rows: Record<string, unknown>[]) => { for (const r of rows) insert.run(r); });
for await (const line of createInterface({ input: createReadStream(file!), crlfDelay: Infinity })) {
  if (!line) continue;
  const e = JSON.parse(line) as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const c of COLS) row[c] = e[c] ?? (c === 'ReportId' ? null : '');
  row.Timestamp = fixed(String(e.Timestamp));
  batch.push(row);
  if (batch.length === 10_000) { flush(batch); batch.length = 0; }
}
flush(batch);
const loadMs = elapsedMs(start);

const needles = ['kessel-ws.parsec.app', 'kessel-api.parsec.app', 'builds.parsec.app', 'builds.parsecgaming.com',
  'public.parsec.app', 'parsecusercontent.com', 'stun.parsec.app', 'stun6.parsec.app'];
const has = (col: string, n: string) => `(' ' || lower(${col}) || ' ') GLOB '*[^a-z0-9]${n}[^a-z0-9]*'`;
const sql = `
SELECT DeviceId, DeviceName, RemoteUrl, min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,
       json_group_array(DISTINCT ReportId) AS Report, count(*) AS Count,
       json_group_array(DISTINCT InitiatingProcessFileName) AS Processes,
       json_group_array(DISTINCT InitiatingProcessParentFileName) AS ParentProcesses,
       json_group_array(DISTINCT InitiatingProcessAccountName) AS Accounts,
       json_group_array(DISTINCT RemoteIP) AS RemoteIPs,
       json_group_array(DISTINCT InitiatingProcessVersionInfoCompanyName) AS Companies
FROM events
WHERE Timestamp BETWEEN @lo AND @hi
  AND (${needles.map((n) => has('RemoteUrl', n)).join(' OR ')})
  AND ${has('InitiatingProcessVersionInfoCompanyName', 'parsec')}
GROUP BY DeviceId, DeviceName, RemoteUrl`;
const q0 = process.hrtime.bigint();
const rows = db.prepare(sql).all({ lo: fixed(lo), hi: fixed(hi) }) as Array<Record<string, unknown>>;
const queryMs = elapsedMs(q0);
db.close();
rmSync(dir, { recursive: true, force: true });
report({
  loadMs, queryMs, totalMs: loadMs + queryMs, rows: rows.length,
  groups: rows.map((r) => `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}|${r.Count}`).sort(),
});
