// Scan hints: what the engine asks of each table scan (the columns it can read, the text every kept row's
// record must hold), for many query shapes; and, over real event files with escapes, mixed case, a Kelvin
// sign and needles sitting in other columns, that a hinted scan never changes a query's result.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeSample } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';
import { huntQuery } from '../../src/hunt/runHunt.js';
import type { Env } from '../../src/kql/compile/types.js';
import { SourceMap } from '../../src/kql/diagnostics.js';
import { deriveScanHint } from '../../src/kql/exec/scanHint.js';
import { commonPiece, verbatimPieces } from '../../src/kql/exec/scanText.js';
import { parseKql, runKql } from '../../src/kql/index.js';
import { memoryTable, type QueryResult, type Row, type ScanHint, type TableSource } from '../../src/kql/table.js';
import { parseDateTime } from '../../src/kql/values.js';
import { findRule, loadRules } from '../../src/rules/loader.js';
import { DEVICE_NETWORK_EVENTS as T, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { openEventTable } from '../../src/sources/readers/eventTable.js';
import { kustoErrors } from '../support/kustoParser.js';
import { seedQuery } from '../support/seed.js';

const NOW = parseDateTime('2026-12-01T12:00:00Z')!;

const SEED = seedQuery();

/** Wraps a table so every scan's hint is recorded. */
function spy(inner: TableSource): { table: TableSource; hints: Array<ScanHint | undefined> } {
  const hints: Array<ScanHint | undefined> = [];
  return {
    hints,
    table: { name: inner.name, columns: inner.columns, scan: (h?: ScanHint) => (hints.push(h), inner.scan(h)) },
  };
}

async function hintsOf(query: string): Promise<Array<ScanHint | undefined>> {
  const s = spy(memoryTable(T, deviceNetworkEventsColumns, []));
  await runKql(query, { tables: { [T]: s.table }, now: NOW });
  return s.hints;
}

async function hintOf(query: string): Promise<ScanHint | undefined> {
  const hints = await hintsOf(query);
  assert.equal(hints.length, 1, `one scan for: ${query}`);
  return hints[0];
}

const text = async (q: string) => (await hintOf(q))?.requiredText ?? [];
const columns = async (q: string) => (await hintOf(q))?.columns;
/** Columns whose type can reject a raw value: typed in every hinted scan, so malformed records stay so. */
const CHECKED = deviceNetworkEventsColumns.filter((c) => c.type !== 'string' && c.type !== 'dynamic').map((c) => c.name);
const typed = (names: string[]) => deviceNetworkEventsColumns.map((c) => c.name).filter((n) => names.includes(n) || CHECKED.includes(n));
const ALL_BUT_INITIATING = typed(deviceNetworkEventsColumns.map((c) => c.name).filter((n) => !n.startsWith('Initiating')));

const huntRule = findRule(loadRules('data/rules', 'data/lists'), undefined);
const HUNT = huntQuery({ rule: huntRule, now: NOW });

describe('scan hints: derivation', () => {
  it('gives the seed query "parsec" and exactly the columns it reads', async () => {
    const h = await hintOf(SEED);
    assert.deepEqual(h?.requiredText, ['parsec']);
    assert.deepEqual(h?.columns, typed(['Timestamp', 'RemoteUrl', 'InitiatingProcessVersionInfoCompanyName', 'ReportId', 'DeviceId', 'DeviceName']));
  });

  it('gives the product hunt query (enriched summarize) its enrichment columns too', async () => {
    const h = await hintOf(HUNT);
    assert.deepEqual(h?.requiredText, ['parsec']);
    assert.deepEqual(h?.columns, typed([
      'Timestamp', 'RemoteUrl', 'InitiatingProcessVersionInfoCompanyName', 'ReportId', 'DeviceId', 'DeviceName',
      'InitiatingProcessFileName', 'InitiatingProcessParentFileName', 'InitiatingProcessAccountName', 'RemoteIP',
    ]));
  });

  it('takes nothing from or, negations, not(), regexes or non-string columns', async () => {
    assert.deepEqual(await text(`${T} | where RemoteUrl has "parsec" or DeviceName has "kessel"`), []);
    assert.deepEqual(await text(`${T} | where (RemoteUrl has "parsec" or DeviceName has "kessel") and ActionType == "ConnectionSuccess"`), ['connectionsuccess']);
    assert.deepEqual(await text(`${T} | where RemoteUrl !has "parsec"`), []);
    assert.deepEqual(await text(`${T} | where RemoteUrl !contains "parsec" and RemoteUrl != "parsec.app" and RemoteUrl !~ "parsec.app"`), []);
    assert.deepEqual(await text(`${T} | where not(RemoteUrl has "parsec")`), []);
    assert.deepEqual(await text(`${T} | where RemoteUrl !in ("parsec.app") and RemoteUrl !has_cs "parsec"`), []);
    assert.deepEqual(await text(`${T} | where RemoteUrl matches regex "parsec"`), []);
    assert.deepEqual(await text(`${T} | where tostring(RemotePort) == "443" and tolower(RemoteUrl) has "parsec"`), []);
    assert.deepEqual(await text(`${T} | where AdditionalFields has "parsec"`), [], 'a dynamic column is re-serialized, not verbatim');
  });

  it('takes every containing operator, either side of == and =~, and a let-bound needle', async () => {
    assert.deepEqual(await text(`${T} | where DeviceName startswith "srv-" and RemoteUrl endswith ".parsec.app" and InitiatingProcessFileName contains_cs "parsecd"`), ['srv-', '.parsec.app', 'parsecd']);
    assert.deepEqual(await text(`${T} | where "ConnectionSuccess" == ActionType and "Parsecd.EXE" =~ InitiatingProcessFileName`), ['connectionsuccess', 'parsecd.exe']);
    assert.deepEqual(await text(`${T} | where RemoteUrl hasprefix "stun" and RemoteUrl hassuffix_cs "app" and DeviceName has_cs "WKS"`), ['stun', 'app', 'wks']);
    assert.deepEqual(await text(`let company = "parsec"; ${T} | where InitiatingProcessVersionInfoCompanyName has company`), ['parsec']);
    assert.deepEqual(await text(`let n = 5; ${T} | where RemoteUrl has "x" | take n`), [], 'too short to pay for itself');
  });

  it('cuts needles where the raw text may spell them otherwise', async () => {
    assert.deepEqual(await text(`${T} | where InitiatingProcessFolderPath startswith @"C:\\Program Files\\Parsec"`), ['program files', 'parsec']);
    assert.deepEqual(await text(`${T} | where RemoteUrl contains "parsec.app/v1"`), ['parsec.app']);
    assert.deepEqual(await text(`${T} | where DeviceName == "café-ws"`), ['caf', '-ws']);
    assert.deepEqual(await text(`${T} | where InitiatingProcessCommandLine contains '"parsecd.exe" --x'`), ['parsecd.exe', ' --x']);
    // A case-insensitive 'k' also matches the Kelvin sign, which a file spells as three UTF-8 bytes.
    assert.deepEqual(await text(`${T} | where RemoteUrl has "kessel-ws.parsec.app"`), ['essel-ws.parsec.app']);
    assert.deepEqual(await text(`${T} | where RemoteUrl has_cs "kessel-ws.parsec.app"`), ['kessel-ws.parsec.app']);
    assert.deepEqual(await text(`${T} | where DeviceName startswith "wks-"`), [], "what is left of 'wks-' is too short");
    assert.deepEqual(await text(`${T} | where RemoteUrl == ""`), []);
    assert.deepEqual(verbatimPieces('a\tb\u0001cde"fgh\\ijk/lmn\u00e9opq', true), ['cde', 'fgh', 'ijk', 'lmn', 'opq']);
  });

  it('takes a substring common to every value of has_any / in / in~, and every value of has_all', async () => {
    assert.deepEqual(await text(`${T} | where RemoteUrl has_any ("stun.parsec.app", "builds.parsecgaming.com")`), ['.parsec']);
    assert.deepEqual(await text(`${T} | where RemoteUrl has_any ("stun.parsec.app", "parsecgaming.com")`), ['parsec']);
    assert.deepEqual(await text(`${T} | where RemoteUrl has_any ("alpha.example", "beta.example")`), ['a.example']);
    assert.deepEqual(await text(`${T} | where RemoteUrl has_any ("parsec.app", "example.com")`), []);
    assert.deepEqual(await text(`let urls = dynamic(["a.parsec.app", "b.parsec.app"]); ${T} | where RemoteUrl in~ (urls)`), ['.parsec.app']);
    assert.deepEqual(await text(`${T} | where RemoteUrl in ("parsec.app")`), ['parsec.app']);
    assert.deepEqual(await text(`${T} | where RemoteUrl has_all ("parsec", "stun")`), ['parsec', 'stun']);
    assert.deepEqual(await text(`${T} | where RemoteUrl in ("parsec.app", DeviceName)`), [], 'a column in the list');
    assert.equal(commonPiece([['stun.parsec.app'], []]), undefined, 'an alternative with no verbatim text');
  });

  it('follows a column through project, extend copies, rename and sort, and stops where rows regroup', async () => {
    assert.deepEqual(await hintOf(`${T} | project DeviceName, RemoteUrl | where RemoteUrl has "parsec.app"`), { columns: typed(['DeviceName', 'RemoteUrl']), requiredText: ['parsec.app'] });
    assert.deepEqual(await text(`${T} | project Url = RemoteUrl | where Url has "parsec"`), ['parsec']);
    assert.deepEqual(await text(`${T} | extend U = RemoteUrl | where U has "parsec"`), ['parsec']);
    assert.deepEqual(await text(`${T} | project-rename Url = RemoteUrl | where Url has "parsec"`), ['parsec']);
    assert.deepEqual(await text(`${T} | sort by Timestamp asc | where RemoteUrl has "parsec"`), ['parsec']);
    assert.deepEqual(await text(`${T} | project-away Initiating* | where RemoteUrl has "parsec"`), ['parsec']);
    assert.deepEqual(await text(`${T} | take 5 | where RemoteUrl has "parsec"`), []);
    assert.deepEqual(await text(`${T} | top 5 by Timestamp | where RemoteUrl has "parsec"`), []);
    assert.deepEqual(await text(`${T} | summarize count() by RemoteUrl | where RemoteUrl has "parsec"`), []);
    assert.deepEqual(await text(`${T} | distinct RemoteUrl | where RemoteUrl has "parsec"`), []);
  });

  it('gives nothing after an extend that replaces the column, but keeps what came before it', async () => {
    assert.deepEqual(await text(`${T} | extend RemoteUrl = tolower(RemoteUrl) | where RemoteUrl has "parsec"`), []);
    assert.deepEqual(await text(`${T} | extend RemoteUrl = DeviceName | where RemoteUrl has "parsec"`), ['parsec'], 'a copy of another column');
    assert.deepEqual(await text(`${T} | where DeviceName has "srv" | extend RemoteUrl = strcat("x", RemoteUrl) | where RemoteUrl has "parsec"`), ['srv']);
    assert.deepEqual(await text(`${T} | project-rename Url = RemoteUrl | extend RemoteUrl = "parsec" | where RemoteUrl has "parsec"`), []);
  });

  it('reads every column when the output has them all, or when something reads the whole row', async () => {
    assert.equal(await hintOf(`${T} | take 5`), undefined);
    assert.deepEqual(await hintOf(`${T} | where RemoteUrl has "parsec" | take 5`), { requiredText: ['parsec'] });
    assert.equal(await columns(`${T} | distinct *`), undefined);
    assert.equal(await columns(`${T} | summarize arg_max(Timestamp, *) by DeviceId`), undefined);
    assert.equal(await columns(`${T} | extend X = 1 | project-away X`), undefined);
    assert.deepEqual(await columns(`${T} | project-away Initiating*`), ALL_BUT_INITIATING);
    assert.deepEqual(await columns(`${T} | project-keep Device*, RemoteUrl`), typed(['DeviceId', 'DeviceName', 'RemoteUrl']));
    assert.deepEqual(await columns(`${T} | count`), typed([]));
    assert.deepEqual(await columns(`${T} | extend Url = RemoteUrl, RemoteUrl = DeviceName | project Url, RemotePort`), typed(['DeviceName', 'RemoteUrl', 'RemotePort']));
    assert.deepEqual(await columns(`${T} | project-rename Url = RemoteUrl | summarize count() by Url`), typed(['RemoteUrl']));
    assert.deepEqual(await columns(`${T} | where Timestamp > ago(1d) | top 3 by RemotePort | project DeviceName`), typed(['Timestamp', 'DeviceName', 'RemotePort']));
    assert.deepEqual(await columns(`${T} | summarize make_set(AdditionalFields.Proto) by bin(Timestamp, 1h)`), typed(['Timestamp', 'AdditionalFields']));
  });

  it('hints both sides of a join, each from its own pipeline', async () => {
    const hints = await hintsOf(`${T} | where RemoteUrl has "parsec" | project DeviceId, RemoteUrl
      | join kind=inner (${T} | where InitiatingProcessFileName =~ "parsecd.exe" | project DeviceId, InitiatingProcessAccountName) on DeviceId`);
    assert.equal(hints.length, 2);
    const byText = new Map(hints.map((h) => [h?.requiredText?.join(','), h]));
    assert.deepEqual(byText.get('parsec')?.columns, typed(['DeviceId', 'RemoteUrl']));
    assert.deepEqual(byText.get('parsecd.exe')?.columns, typed(['DeviceId', 'InitiatingProcessFileName', 'InitiatingProcessAccountName']));

    const [right, left] = await hintsOf(`${T} | join (${T} | where RemoteUrl has "parsec") on DeviceId | summarize count() by DeviceName`);
    assert.deepEqual(right, { requiredText: ['parsec'] }, 'the right side is output whole');
    assert.deepEqual(left, { columns: typed(['DeviceId', 'DeviceName']) });
    const [, semiLeft] = await hintsOf(`${T} | join kind=rightsemi (${T} | where RemoteUrl has "parsec") on $left.DeviceName == $right.DeviceName`);
    assert.deepEqual(semiLeft, { columns: typed(['DeviceName']) }, 'a right-only join reads the left keys alone');
  });

  it('scans a let used twice once per use, both hinted, and hints a subquery scan on its own', async () => {
    const twice = await hintsOf(`let p = ${T} | where InitiatingProcessVersionInfoCompanyName has "parsec"; p | join kind=leftsemi (p | where RemoteUrl has "stun") on DeviceId | count`);
    assert.deepEqual(twice, [{ requiredText: ['parsec'] }, { requiredText: ['parsec'] }]);
    const sub = await hintsOf(`${T} | where DeviceId in ((${T} | where RemoteUrl has "parsec" | project DeviceId)) | summarize count() by DeviceName`);
    assert.deepEqual(sub, [{ columns: typed(['DeviceId', 'RemoteUrl']), requiredText: ['parsec'] }, { columns: typed(['DeviceId', 'DeviceName']) }]);
  });

  it('walks a 10,000-operand and without recursing', () => {
    const terms = Array.from({ length: 10_000 }, (_, i) => `DeviceName != "host-${i}"`).join(' and ');
    const query = `${T} | where RemoteUrl has "parsec" and InitiatingProcessAccountName =~ "svc-parsec" and ${terms} | where not(${terms}) | count`;
    const stmt = parseKql(query).query!.statements[0]!;
    assert.ok(stmt.kind === 'expr' && stmt.expr.kind === 'pipeline');
    const env: Env = { src: new SourceMap(query), now: NOW, tables: new Map(), lets: new Map(), preps: [] };
    const cols = deviceNetworkEventsColumns;
    const hint = deriveScanHint(memoryTable(T, cols, []), stmt.expr.operators, [cols, cols, cols, [{ name: 'Count', type: 'long' }]], env);
    assert.deepEqual(hint, { columns: typed(['RemoteUrl', 'InitiatingProcessAccountName', 'DeviceName']), requiredText: ['svc-parsec'] }, "'parsec' is implied");
  });

  it('leaves memoryTable results alone (it ignores hints)', async () => {
    const rows: Row[] = [[...deviceNetworkEventsColumns.map((c) => (c.type === 'string' ? 'x-parsec-x' : null))]];
    const s = spy(memoryTable(T, deviceNetworkEventsColumns, rows));
    const r = await runKql(`${T} | where RemoteUrl has "parsec" | project DeviceName`, { tables: { [T]: s.table }, now: NOW });
    assert.deepEqual(s.hints, [{ columns: typed(['DeviceName', 'RemoteUrl']), requiredText: ['parsec'] }]);
    assert.deepEqual(r.rows, [['x-parsec-x']]);
  });
});

// ---- Equivalence over real files ------------------------------------------------------------------------

const STRING_COLS = new Set(deviceNetworkEventsColumns.filter((c) => c.type === 'string').map((c) => c.name));
const ts = (d: number) => new Date(NOW.ms - d * 3_600_000).toISOString();

/** Hard cases, as JSON text written by hand where the escape matters. */
const CRAFTED_JSONL = [
  // The company only through an escape: the record holds "\u0050arsec", never "parsec".
  `{"Timestamp":"${ts(2)}","DeviceId":"dev-esc","DeviceName":"esc-ws","RemoteUrl":"stun.parsec.app","InitiatingProcessVersionInfoCompanyName":"\\u0050arsec Cloud, Inc.","ReportId":9001}`,
  `{"Timestamp":"${ts(3)}","DeviceId":"dev-cafe","DeviceName":"caf\\u00e9-ws","RemoteUrl":"public.parsec.app","InitiatingProcessVersionInfoCompanyName":"PARSEC CLOUD","ReportId":9002}`,
  // Kelvin sign written as UTF-8: the engine folds it to 'k'.
  `{"Timestamp":"${ts(4)}","DeviceId":"dev-kelvin","DeviceName":"kelvin-ws","RemoteUrl":"\u212Aessel-ws.parsec.app","InitiatingProcessVersionInfoCompanyName":"Parsec Cloud, Inc.","ReportId":9003}`,
  // The Ohm sign folds to Greek omega, but a case-insensitive regex does not take it for one.
  `{"Timestamp":"${ts(4)}","DeviceId":"dev-ohm","DeviceName":"\u2126mega-ws","RemoteUrl":"stun.parsec.app","ReportId":9007}`,
  // Escaped slashes and backslashes.
  `{"Timestamp":"${ts(5)}","DeviceId":"dev-slash","DeviceName":"slash-ws","RemoteUrl":"https:\\/\\/parsec.app\\/v1","InitiatingProcessFolderPath":"C:\\\\Program Files\\\\Parsec\\\\parsecd.exe","InitiatingProcessCommandLine":"\\"C:\\\\Program Files\\\\Parsec\\\\parsecd.exe\\" --x","InitiatingProcessVersionInfoCompanyName":"Parsec Cloud, Inc.","ReportId":9004}`,
  // The needle only in another column.
  `{"Timestamp":"${ts(6)}","DeviceId":"dev-other","DeviceName":"parsec-lab-01","RemoteUrl":"kessel-ws.parsec.app.evil.example","InitiatingProcessVersionInfoCompanyName":"Microsoft Corporation","InitiatingProcessFileName":"PARSECD.EXE","ReportId":9005}`,
  // Malformed in a column few queries read: dropped (and reported) by a hinted scan as by a full one.
  `{"Timestamp":"${ts(2)}","DeviceId":"dev-bad","DeviceName":"bad-ws","RemoteUrl":"stun.parsec.app","InitiatingProcessVersionInfoCompanyName":"Parsec","ReportId":"x"}`,
  `{"Timestamp":"yesterday","DeviceId":"dev-bad-time","DeviceName":"bad-ws","RemoteUrl":"stun.parsec.app","InitiatingProcessVersionInfoCompanyName":"Parsec","ReportId":1}`,
  // Mixed case, and a string column holding a JSON number.
  `{"Timestamp":"${ts(7)}","DeviceId":"dev-case","DeviceName":12345,"RemoteUrl":"Builds.ParsecGaming.com","InitiatingProcessVersionInfoCompanyName":"pArSeC cloud","ActionType":"ConnectionSuccess","ReportId":9006}`,
];

/** The same kind of rows as CSV (Defender's export shape: quoted, "" for a quote). */
const CRAFTED_CSV_ROWS: Array<Record<string, string>> = [
  { Timestamp: ts(2), DeviceId: 'dev-q', DeviceName: 'quote-ws', RemoteUrl: 'stun.parsec.app', InitiatingProcessVersionInfoCompanyName: 'Parsec "Cloud"', InitiatingProcessCommandLine: '"C:\\Program Files\\Parsec\\parsecd.exe" --x', ReportId: '1' },
  { Timestamp: ts(3), DeviceId: 'dev-k', DeviceName: 'kelvin-ws', RemoteUrl: '\u212Aessel-ws.parsec.app', InitiatingProcessVersionInfoCompanyName: 'PARSEC', ReportId: '2' },
  { Timestamp: ts(4), DeviceId: 'dev-e', DeviceName: 'café-ws', RemoteUrl: 'parsec.app/v1', InitiatingProcessVersionInfoCompanyName: 'Microsoft, parsec reseller', ReportId: '3' },
  { Timestamp: ts(4), DeviceId: 'dev-o', DeviceName: '\u2126mega-ws', RemoteUrl: 'stun.parsec.app', ReportId: '5' },
  { Timestamp: ts(5), DeviceId: 'dev-bad', DeviceName: 'bad-ws', RemoteUrl: 'stun.parsec.app', InitiatingProcessVersionInfoCompanyName: 'Parsec', ReportId: 'x' },
  { Timestamp: ts(5), DeviceId: 'dev-n', DeviceName: 'parsec-lab', RemoteUrl: 'example.com', InitiatingProcessVersionInfoCompanyName: 'Contoso\nParsec', ReportId: '4' },
];

function csvText(rows: Array<Record<string, string>>): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const field = (v: string | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;
  return [names.join(','), ...rows.map((r) => names.map((n) => field(r[n])).join(','))].join('\r\n') + '\r\n';
}

const EQUIVALENT = [
  SEED,
  HUNT,
  `${T} | where InitiatingProcessVersionInfoCompanyName has "parsec" | project DeviceId, DeviceName, RemoteUrl, InitiatingProcessVersionInfoCompanyName`,
  `${T} | where RemoteUrl has "kessel-ws.parsec.app" | project DeviceId, RemoteUrl`,
  `${T} | where RemoteUrl =~ "kessel-ws.parsec.app" or RemoteUrl contains "parsec.app/v1" | project DeviceId`,
  `${T} | where DeviceName startswith "café" | project DeviceId, DeviceName`,
  `${T} | where DeviceName startswith "\u03c9mega" | project DeviceId, DeviceName`,
  `${T} | where RemoteUrl contains "parsec.app/v1" | project DeviceId, RemoteUrl`,
  `${T} | where InitiatingProcessFolderPath startswith @"C:\\Program Files\\Parsec" | summarize count() by DeviceId`,
  `${T} | where InitiatingProcessCommandLine contains '"C:\\\\Program Files\\\\Parsec' | project DeviceId`,
  `${T} | where InitiatingProcessVersionInfoCompanyName has_cs "Parsec" | project DeviceId, InitiatingProcessVersionInfoCompanyName`,
  `${T} | where RemoteUrl has "parsec" or DeviceName has "kessel" | count`,
  `${T} | where RemoteUrl !has "parsec" | summarize dcount(DeviceId)`,
  `${T} | extend RemoteUrl = tolower(RemoteUrl) | where RemoteUrl has "parsec" | summarize count() by RemoteUrl`,
  `${T} | project-rename Url = RemoteUrl | where Url has_cs "Parsec" | project Url, DeviceName`,
  `${T} | where RemoteUrl has_any ("stun.parsec.app", "builds.parsecgaming.com", "kessel-ws.parsec.app") | project DeviceId, RemoteUrl`,
  `${T} | where RemoteUrl in~ ("STUN.parsec.app", "public.PARSEC.app") | project DeviceId`,
  `${T} | where DeviceName in ("12345", "parsec-lab-01") | project DeviceId, DeviceName`,
  `${T} | where ActionType == "ConnectionSuccess" and RemoteUrl endswith ".parsec.app" | take 3`,
  `${T} | where InitiatingProcessFileName =~ "parsecd.exe" | take 5`,
  `${T} | take 5`,
  `${T} | where RemoteUrl has "parsec" | project DeviceId, RemoteUrl | join kind=inner (${T} | where InitiatingProcessFileName =~ "parsecd.exe" | distinct DeviceId, InitiatingProcessAccountName) on DeviceId | summarize count() by DeviceId, InitiatingProcessAccountName`,
  `${T} | where RemoteUrl has "stun" | join kind=inner (${T} | where InitiatingProcessFileName =~ "parsecd.exe" | distinct DeviceId) on DeviceId | summarize count() by DeviceName, RemoteUrl`,
  `let p = ${T} | where InitiatingProcessVersionInfoCompanyName has "parsec"; p | join kind=leftsemi (p | where RemoteUrl has "stun") on DeviceId | count`,
  `${T} | summarize arg_max(Timestamp, *) by DeviceId | where RemoteUrl has "parsec" | count`,
  `${T} | project-away Initiating* | where RemoteUrl has "parsec" | take 20`,
  `let c = "parsec"; ${T} | where InitiatingProcessVersionInfoCompanyName has c | distinct DeviceName`,
  `${T} | where DeviceId in ((${T} | where RemoteUrl has "parsec" | project DeviceId)) | summarize count() by DeviceName`,
  `${T} | sort by Timestamp asc | extend U = RemoteUrl | where U has "parsec" | project Timestamp, U | take 10`,
];

describe('scan hints: a hinted file scan gives the same result as the same rows in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scan-hint-'));
  const files = { jsonl: join(dir, 'events.jsonl'), csv: join(dir, 'events.csv'), crafted: join(dir, 'crafted.csv') };
  const memory = new Map<string, TableSource>();
  let lines = 0;
  before(async () => {
    const opts = { rows: 1500, seed: 11, now: new Date(NOW.ms), lists: loadSubnetLists(join(dir, 'no-lists')) };
    await writeSample({ ...opts, out: files.jsonl, format: 'jsonl' });
    await writeSample({ ...opts, out: files.csv, format: 'csv' });
    appendFileSync(files.jsonl, CRAFTED_JSONL.join('\n') + '\n');
    writeFileSync(files.crafted, csvText(CRAFTED_CSV_ROWS));
    for (const [kind, path] of Object.entries(files)) {
      const t = openEventTable(path);
      const rows: Row[] = [];
      for await (const b of t.scan()) rows.push(...b);
      assert.equal(t.lastScan?.malformed, { jsonl: 2, csv: 0, crafted: 1 }[kind], path);
      if (kind === 'jsonl') lines = rows.length;
      memory.set(kind, memoryTable(T, deviceNetworkEventsColumns, rows));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const onFile = async (q: string, path: string) => {
    const s = spy(openEventTable(path));
    const r = await runKql(q, { tables: { [T]: s.table }, now: NOW });
    return { r, hints: s.hints };
  };
  const onMemory = (q: string, kind: string): Promise<QueryResult> => runKql(q, { tables: { [T]: memory.get(kind)! }, now: NOW });

  it('uses only valid KQL for the real schema', () => {
    for (const q of EQUIVALENT) assert.deepEqual(kustoErrors(q), [], q);
  });

  const minRows = { jsonl: 200, csv: 200, crafted: 20 };
  for (const kind of ['jsonl', 'csv', 'crafted'] as const) {
    it(`matches for every query over ${kind}`, async () => {
      let hinted = 0;
      let rows = 0;
      for (const q of EQUIVALENT) {
        const file = await onFile(q, files[kind]);
        assert.deepEqual(file.r, await onMemory(q, kind), `${kind}: ${q}`);
        assert.ok(!file.r.rows.some((row) => typeof row[0] === 'string' && row[0].startsWith('dev-bad')), `${kind}: a malformed row: ${q}`);
        if (file.hints.some((h) => h?.requiredText?.length)) hinted++;
        rows += file.r.rows.length;
      }
      assert.ok(hinted >= 20, `most queries carry a text hint (${hinted})`);
      assert.ok(rows >= minRows[kind], `the queries keep rows (${rows})`);
    });
  }

  it('skips lines for the seed query, yet keeps the escaped, Kelvin and mixed-case rows', async () => {
    const t = openEventTable(files.jsonl);
    const r = await runKql(SEED, { tables: { [T]: t }, now: NOW });
    assert.ok(t.lastScan!.rows < lines / 2, `rows parsed: ${t.lastScan!.rows} of ${lines}`);
    const devices = new Set(r.rows.map((row) => row[0]));
    for (const d of ['dev-esc', 'dev-cafe', 'dev-case']) assert.ok(devices.has(d), d);
    assert.ok(!devices.has('dev-other'), 'the needle in another column does not make a finding');
  });

  it('keeps a row that only a non-ASCII case fold matches', async () => {
    const q = `${T} | where RemoteUrl =~ "kessel-ws.parsec.app" | project DeviceId`;
    const { r, hints } = await onFile(q, files.jsonl);
    assert.deepEqual(hints, [{ columns: typed(['DeviceId', 'RemoteUrl']), requiredText: ['essel-ws.parsec.app'] }]);
    assert.ok(r.rows.some((row) => row[0] === 'dev-kelvin'));
  });

  it('types the columns a query reads, and shows the ones it outputs in full', async () => {
    const q = `${T} | where RemoteUrl has "parsec" | take 3`;
    const { r, hints } = await onFile(q, files.jsonl);
    assert.deepEqual(hints, [{ requiredText: ['parsec'] }]);
    const filled = r.rows[0]!.filter((v, i) => STRING_COLS.has(deviceNetworkEventsColumns[i]!.name) && v !== '').length;
    assert.ok(filled > 5, `output rows carry their other columns (${filled} non-empty strings)`);
  });
});
