// The event file as a table: file errors, progress, scan hints, and the same generated events read from
// JSONL and from CSV giving identical typed rows.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Row } from '../../src/kql/table.js';
import { deviceNetworkEventsColumnIndex as COL, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { SourceError } from '../../src/sources/eventSource.js';
import { openEventTable, type EventTableOptions, type ScanHint } from '../../src/sources/readers/eventTable.js';
import { writeSample } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';

const dir = mkdtempSync(join(tmpdir(), 'local-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function load(path: string, opts: EventTableOptions = {}, hint?: ScanHint) {
  const table = openEventTable(path, opts);
  const rows: Row[] = [];
  for await (const batch of table.scan(hint)) rows.push(...batch);
  return { rows, report: table.lastScan, table };
}

const get = (row: Row, column: string) => row[COL.get(column) as number];

describe('event table: files', () => {
  it('exposes DeviceNetworkEvents with the schema columns', () => {
    const t = openEventTable(join(dir, 'any.jsonl'));
    assert.equal(t.name, 'DeviceNetworkEvents');
    assert.deepEqual(t.columns, deviceNetworkEventsColumns);
    assert.equal(t.format, 'jsonl');
    assert.equal(openEventTable(join(dir, 'x.CSV')).format, 'csv');
    assert.equal(openEventTable(join(dir, 'x.ndjson')).format, 'jsonl');
  });

  it('fails with a one-line SourceError naming a missing file', async () => {
    const path = join(dir, 'missing.jsonl');
    await assert.rejects(load(path), (err: unknown) =>
      err instanceof SourceError && err.message === `local events: cannot read ${path}: no such file`);
  });

  it('fails with SourceError for a directory', async () => {
    const path = join(dir, 'adir.jsonl');
    mkdirSync(path);
    await assert.rejects(load(path), (err: unknown) =>
      err instanceof SourceError && err.message === `local events: cannot read ${path}: is a directory`);
  });

  it('refuses an unsupported extension up front', () => {
    assert.throws(() => openEventTable(join(dir, 'events.txt')), (err: unknown) =>
      err instanceof SourceError && /events\.txt: unsupported file type '\.txt'/.test(err.message));
  });

  it('re-reads the file on every scan', async () => {
    const path = join(dir, 'again.jsonl');
    writeFileSync(path, '{"DeviceId":"a"}\n');
    const t = openEventTable(path);
    const count = async () => {
      let k = 0;
      for await (const b of t.scan()) k += b.length;
      return k;
    };
    assert.equal(await count(), 1);
    writeFileSync(path, '{"DeviceId":"a"}\n{"DeviceId":"b"}\n');
    assert.equal(await count(), 2);
    assert.equal(t.lastScan?.rows, 2);
  });

  it('stops when the signal aborts', async () => {
    const path = join(dir, 'abort.jsonl');
    writeFileSync(path, '{"DeviceId":"a"}\n'.repeat(10_000));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(load(path, { signal: ac.signal }), { name: 'AbortError' });
  });
});

describe('event table: progress and hints', () => {
  const path = join(dir, 'hint.jsonl');
  before(() => {
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({
      DeviceId: `d${i}`, ReportId: i, InitiatingProcessVersionInfoCompanyName: i % 10 === 0 ? 'Parsec Cloud, Inc.' : 'Google LLC',
    }));
    lines.splice(500, 0, '{"broken": ', 'not json at all');
    writeFileSync(path, `${lines.join('\n')}\n`);
  });

  it('reports progress every N lines and once at the end, with byte counts', async () => {
    const calls: [number, number, number][] = [];
    await load(path, { progressEvery: 300, chunkSize: 4096, onProgress: (r, b, t) => calls.push([r, b, t]) });
    assert.ok(calls.length >= 4, `got ${calls.length} calls`);
    const last = calls[calls.length - 1];
    assert.equal(last[0], 1002);
    assert.equal(last[1], last[2], 'every byte read by the end');
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0] && calls[i][1] >= calls[i - 1][1]);
  });

  it('with requiredText, yields only rows containing it and still reports unframed lines', async () => {
    const { rows, report } = await load(path, {}, { requiredText: ['PARSEC'] });
    assert.equal(rows.length, 100);
    assert.ok(rows.every((r) => get(r, 'InitiatingProcessVersionInfoCompanyName') === 'Parsec Cloud, Inc.'));
    assert.equal(report?.malformed, 2, 'the broken line and the non-JSON line are still reported');
  });

  it('with columns, types only those and leaves the rest empty', async () => {
    const { rows } = await load(path, {}, { columns: ['ReportId'] });
    assert.equal(rows.length, 1000);
    assert.equal(get(rows[7], 'ReportId'), 7);
    assert.equal(get(rows[7], 'DeviceId'), '');
  });

  it('keeps a line whose text may be escaped (\\u) rather than risk skipping a match', async () => {
    const p = join(dir, 'escaped.jsonl');
    writeFileSync(p, '{"InitiatingProcessVersionInfoCompanyName":"\\u0050arsec Cloud"}\n{"DeviceId":"x"}\n');
    const { rows } = await load(p, {}, { requiredText: ['parsec'] });
    assert.equal(rows.length, 1);
    assert.equal(get(rows[0], 'InitiatingProcessVersionInfoCompanyName'), 'Parsec Cloud');
  });
});

describe('event table: JSONL and CSV of the same sample agree', () => {
  it('types the generator output identically from both formats', async () => {
    const lists = loadSubnetLists(join(dir, 'no-lists'));
    const opts = { rows: 1500, seed: 99, now: new Date('2026-12-01T12:00:00Z'), lists };
    const jsonl = join(dir, 'same.jsonl');
    const csv = join(dir, 'same.csv');
    await writeSample({ ...opts, out: jsonl, format: 'jsonl' });
    await writeSample({ ...opts, out: csv, format: 'csv' });
    const a = await load(jsonl);
    const b = await load(csv);
    assert.equal(a.rows.length, 1500);
    assert.equal(a.report?.malformed, 0);
    assert.equal(b.report?.malformed, 0);
    assert.deepEqual(b.rows, a.rows);
  });
});
