// LocalEventSource end to end: the seed query runs unmodified on the local engine over the committed sample,
// and its findings equal an independent reading of the rule over the generated events (term boundaries,
// case, window edges, duplicate ReportIds, the renamed device). Errors arrive as one-line SourceErrors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LISTS_DIR, SAMPLE_FILE, SAMPLE_NOW, SAMPLE_ROWS, SAMPLE_SEED } from '../../data/sample/defaults.js';
import { sampleEvents } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';
import { referenceFindings } from '../../data/sample/reference.js';
import { KqlError } from '../../src/kql/index.js';
import { KDateTime } from '../../src/kql/values.js';
import { SourceError } from '../../src/sources/eventSource.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { formatTimestamp } from '../../data/sample/format.js';
import { seedQuery } from '../support/seed.js';

const SEED_QUERY = seedQuery();

const dir = mkdtempSync(join(tmpdir(), 'local-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date(SAMPLE_NOW);

describe('LocalEventSource', () => {
  it('runs the seed query over the committed sample and finds exactly what the rule means', async () => {
    const source = new LocalEventSource({ path: SAMPLE_FILE, now: NOW });
    assert.equal(source.kind, 'local');
    assert.equal(source.description, SAMPLE_FILE);
    const result = await source.query(SEED_QUERY);
    assert.equal(result.status, 'ok');
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.columns.map((c) => c.name), ['DeviceId', 'DeviceName', 'RemoteUrl', 'FirstSeen', 'LastSeen', 'Report', 'Count']);

    const events = [...sampleEvents({ rows: SAMPLE_ROWS, seed: SAMPLE_SEED, now: NOW, lists: loadSubnetLists(LISTS_DIR) })];
    const expected = referenceFindings(events.map((t) => t.event), NOW.getTime())
      .map((f) => [f.DeviceId, f.DeviceName, f.RemoteUrl, formatTimestamp(...f.first), formatTimestamp(...f.last), [...f.reports].sort((a, b) => a - b), f.count]);
    const stamp = (v: unknown) => formatTimestamp((v as KDateTime).ms, (v as KDateTime).sub);
    const actual = result.rows.map((r) => [r[0], r[1], r[2], stamp(r[3]), stamp(r[4]), [...(r[5] as number[])].sort((a, b) => a - b), r[6]]);
    const key = (r: unknown[]) => JSON.stringify(r.slice(0, 3));
    const sort = (rows: unknown[][]) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    assert.ok(expected.length > 50, `${expected.length} findings`);
    assert.deepEqual(sort(actual), sort(expected));

    // The hard cases, spelled out.
    const urls = new Set(result.rows.map((r) => r[2]));
    for (const u of ['KESSEL-WS.PARSEC.APP', 'eu.kessel-ws.parsec.app', 'kessel-api.parsec.app.']) assert.ok(urls.has(u), u);
    for (const u of ['xparsec.app', 'stun.parsec.apps', 'parsec.app', 'stun7.parsec.app']) assert.ok(!urls.has(u), u);
    const edge = events.find((t) => t.tag === 'edge-in')?.event;
    const edgeRow = result.rows.find((r) => r[0] === edge?.DeviceId && r[2] === 'kessel-ws.parsec.app' && r[1] === edge?.DeviceName);
    assert.equal((edgeRow?.[3] as KDateTime).toISOString(), '2026-11-26T12:00:00.000Z');
    assert.equal((edgeRow?.[4] as KDateTime).toISOString(), '2026-12-01T12:00:00.000Z');
    const dup = events.filter((t) => t.tag === 'duplicate-report').map((t) => t.event)[0];
    const dupRow = result.rows.find((r) => r[0] === dup.DeviceId && r[1] === dup.DeviceName && r[2] === dup.RemoteUrl);
    const reports = dupRow?.[5] as number[];
    assert.equal(reports.filter((x) => x === dup.ReportId).length, 1, 'make_set keeps a repeated ReportId once');
    assert.ok((dupRow?.[6] as number) > reports.length, 'while Count counts both rows');
    const renamed = events.find((t) => t.tag === 'renamed-device')?.event.DeviceId;
    assert.equal(new Set(result.rows.filter((r) => r[0] === renamed).map((r) => r[1])).size, 2);
  });

  it('pins the clock: a KDateTime and a Date give the same answer, and a later clock finds less', async () => {
    const q = 'DeviceNetworkEvents | where Timestamp > ago(1d) | count';
    const a = await new LocalEventSource({ path: SAMPLE_FILE, now: NOW }).query(q);
    const b = await new LocalEventSource({ path: SAMPLE_FILE, now: KDateTime.fromDate(NOW) }).query(q);
    const c = await new LocalEventSource({ path: SAMPLE_FILE, now: new Date('2026-12-02T00:00:00Z') }).query(q);
    assert.deepEqual(a.rows, b.rows);
    assert.ok((a.rows[0][0] as number) > (c.rows[0][0] as number));
  });

  it('returns malformed lines as warnings with their line numbers', async () => {
    const path = join(dir, 'some-bad.jsonl');
    writeFileSync(path, '{"DeviceId":"a","ReportId":1}\n{oops\n{"DeviceId":"b","ReportId":"x"}\n{"DeviceId":"c","ReportId":3}\n');
    const r = await new LocalEventSource({ path, now: NOW }).query('DeviceNetworkEvents | project DeviceId | order by DeviceId asc');
    assert.deepEqual(r.rows, [['a'], ['c']]);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0], /some-bad\.jsonl: line 2: bad JSON/);
    assert.match(r.warnings[1], /some-bad\.jsonl: line 3: ReportId: "x" is not a long/);
  });

  it('reports progress through onProgress', async () => {
    const calls: number[] = [];
    await new LocalEventSource({ path: SAMPLE_FILE, now: NOW, onProgress: (rows) => calls.push(rows) }).query('DeviceNetworkEvents | count');
    assert.equal(calls.at(-1), SAMPLE_ROWS);
  });

  it('fails with the file\'s own SourceError for a missing or entirely malformed file', async () => {
    const missing = join(dir, 'nope.jsonl');
    await assert.rejects(new LocalEventSource({ path: missing, now: NOW }).query('DeviceNetworkEvents | count'), (err: unknown) =>
      err instanceof SourceError && err.message === `local events: cannot read ${missing}: no such file`);
    const bad = join(dir, 'all-bad.jsonl');
    writeFileSync(bad, 'x\ny\n');
    await assert.rejects(new LocalEventSource({ path: bad, now: NOW }).query('DeviceNetworkEvents | count'), (err: unknown) =>
      err instanceof SourceError && err.message.startsWith(`local events: no valid rows in ${bad}: line 1: bad JSON`));
  });

  it('turns bad KQL into a SourceError that keeps the diagnostics', async () => {
    await assert.rejects(new LocalEventSource({ path: SAMPLE_FILE, now: NOW }).query('DeviceNetworkEvents | where NoSuchColumn == 1'), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.code, 'KqlError');
      assert.ok(err.cause instanceof KqlError);
      assert.ok(err.cause.diagnostics.length > 0);
      assert.match(err.message, /^local query: .*NoSuchColumn/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });
});
