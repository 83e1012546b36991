// JSON Lines reading: typing per schema, line splitting (CRLF, blank lines, chunk boundaries inside a
// multi-byte character), malformed lines reported by number while the rest loads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Row } from '../../src/kql/table.js';
import { KDateTime, parseDateTime } from '../../src/kql/values.js';
import { parseCanonicalDateTime } from '../../src/sources/readers/typing.js';
import { deviceNetworkEventsColumnIndex as COL } from '../../src/schema/deviceNetworkEvents.js';
import { SourceError } from '../../src/sources/eventSource.js';
import { openEventTable, type EventTableOptions } from '../../src/sources/readers/eventTable.js';

const dir = mkdtempSync(join(tmpdir(), 'local-jsonl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string | Buffer, ext = '.jsonl'): string {
  const p = join(dir, `f${n++}${ext}`);
  writeFileSync(p, text);
  return p;
}

async function load(path: string, opts: EventTableOptions = {}) {
  const table = openEventTable(path, opts);
  const rows: Row[] = [];
  for await (const batch of table.scan()) rows.push(...batch);
  return { rows, report: table.lastScan };
}

const get = (row: Row, column: string) => row[COL.get(column) as number];

describe('JSONL typing', () => {
  it('types each column per the schema and ignores unknown keys', async () => {
    const line = JSON.stringify({
      Timestamp: '2024-05-01T12:34:56.1234567Z', DeviceId: 'abc', RemotePort: '443', LocalPort: 51000,
      ReportId: 9007199254740991, IsInitiatingProcessRemoteSession: 'TRUE', AdditionalFields: '{"a":[1,2]}',
      InitiatingProcessFileName: 42, NotAColumn: 'x',
    });
    const { rows } = await load(file(`${line}\n`));
    assert.equal(rows.length, 1);
    const r = rows[0];
    const ts = get(r, 'Timestamp');
    assert.ok(ts instanceof KDateTime);
    assert.equal(ts.toISOString(), '2024-05-01T12:34:56.1234567Z');
    assert.equal(ts.sub, 4567);
    assert.equal(get(r, 'DeviceId'), 'abc');
    assert.equal(get(r, 'RemotePort'), 443);
    assert.equal(get(r, 'LocalPort'), 51000);
    assert.equal(get(r, 'ReportId'), 9007199254740991);
    assert.equal(get(r, 'IsInitiatingProcessRemoteSession'), true);
    assert.deepEqual(get(r, 'AdditionalFields'), { a: [1, 2] });
    assert.equal(get(r, 'InitiatingProcessFileName'), '42');
    assert.equal(r.length, COL.size, 'a row has every schema column, aligned');
  });

  it('gives missing strings "" and missing numbers, datetimes and bools null', async () => {
    const { rows } = await load(file('{"DeviceId":"d","RemoteUrl":null,"RemotePort":""}\n'));
    const r = rows[0];
    assert.equal(get(r, 'RemoteUrl'), '');
    assert.equal(get(r, 'DeviceName'), '');
    assert.equal(get(r, 'RemotePort'), null);
    assert.equal(get(r, 'Timestamp'), null);
    assert.equal(get(r, 'IsInitiatingProcessRemoteSession'), null);
    assert.equal(get(r, 'AdditionalFields'), null);
  });

  it('keeps 7-digit fractions exactly and accepts shorter ones and offsets', async () => {
    const stamps = ['2026-11-26T12:00:00.0000001Z', '2026-11-26T12:00:00.9999999Z', '2026-11-26T12:00:00Z',
      '2026-11-26T12:00:00.5Z', '2026-11-26T13:00:00.123+01:00', '2024-02-29T23:59:59.1234567Z'];
    const { rows } = await load(file(stamps.map((t) => JSON.stringify({ Timestamp: t })).join('\n')));
    const iso = rows.map((r) => (get(r, 'Timestamp') as KDateTime).toISOString());
    assert.deepEqual(iso, ['2026-11-26T12:00:00.0000001Z', '2026-11-26T12:00:00.9999999Z', '2026-11-26T12:00:00.000Z',
      '2026-11-26T12:00:00.500Z', '2026-11-26T12:00:00.123Z', '2024-02-29T23:59:59.1234567Z']);
  });
});

describe('datetime fast path', () => {
  it('agrees with parseDateTime on canonical, out-of-range and odd forms', () => {
    let seed = 11;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    const p2 = (n: number) => String(n).padStart(2, '0');
    const cases = ['2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T23:59:59.9999999Z', '1900-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:60Z', '2024-01-01T00:00:00.Z',
      '2024-01-01T00:00:00.12345678Z', '2024-01-01t00:00:00z', '2024-01-01 00:00:00Z', '2024-1-01T00:00:00Z', '２０２４-01-01T00:00:00Z'];
    for (let i = 0; i < 3000; i++) {
      const frac = rand(9) === 0 ? '' : `.${String(rand(10_000_000)).padStart(7, '0').slice(0, 1 + rand(7))}`;
      cases.push(`${1990 + rand(50)}-${p2(1 + rand(13))}-${p2(1 + rand(31))}T${p2(rand(25))}:${p2(rand(61))}:${p2(rand(61))}${frac}Z`);
    }
    for (const c of cases) {
      const slow = parseDateTime(c);
      const fast = parseCanonicalDateTime(c) ?? parseDateTime(c);
      assert.equal(fast?.ticks(), slow?.ticks(), c);
    }
  });
});

describe('JSONL lines', () => {
  it('handles CRLF, blank lines, a BOM and a last line without a newline', async () => {
    const text = '\ufeff{"DeviceId":"a"}\r\n\r\n   \n{"DeviceId":"b"}\r\n{"DeviceId":"c"}';
    const { rows, report } = await load(file(text));
    assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['a', 'b', 'c']);
    assert.equal(report?.malformed, 0);
  });

  it('reads the same rows whatever the chunk size, even with multi-byte characters across chunks', async () => {
    const names = ['zürich-ß', '東京-01', 'emoji-😀', 'plain'];
    const text = `\ufeff${names.map((d, i) => JSON.stringify({ DeviceName: d, ReportId: i })).join('\r\n')}\r\n`;
    const path = file(Buffer.from(text, 'utf8'));
    for (const chunkSize of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const { rows } = await load(path, { chunkSize });
      assert.deepEqual(rows.map((r) => get(r, 'DeviceName')), names, `chunkSize ${chunkSize}`);
    }
  });

  it('skips and reports a line longer than the limit instead of buffering it', async () => {
    const long = JSON.stringify({ DeviceId: 'x'.repeat(500) });
    const text = `{"DeviceId":"a"}\n${long}\n{"DeviceId":"b"}\n${long}`;
    for (const chunkSize of [16, 64, 1 << 20]) {
      const { rows, report } = await load(file(text), { chunkSize, maxLineBytes: 100 });
      assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['a', 'b'], `chunkSize ${chunkSize}`);
      assert.deepEqual(report?.warnings.map((w) => w.replace(/^.*?: /, '')), ['line 2: longer than 100 bytes', 'line 4: longer than 100 bytes']);
    }
  });

  it('batches rows', async () => {
    const text = Array.from({ length: 10 }, (_, i) => JSON.stringify({ ReportId: i })).join('\n');
    const table = openEventTable(file(text), { batchSize: 4 });
    const sizes: number[] = [];
    for await (const b of table.scan()) sizes.push(b.length);
    assert.deepEqual(sizes, [4, 4, 2]);
  });
});

describe('JSONL malformed lines', () => {
  it('reports each bad line with its number and keeps the rest', async () => {
    const text = [
      '{"DeviceId":"ok1"}',
      '{"DeviceId":',
      '{"Timestamp":"yesterday"}',
      '["not","an","object"]',
      '{"RemotePort":"443x"}',
      '{"IsInitiatingProcessRemoteSession":"maybe"}',
      '"just a string"',
      '{"DeviceId":"ok2"}',
    ].join('\r\n');
    const path = file(text);
    const { rows, report } = await load(path);
    assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['ok1', 'ok2']);
    assert.equal(report?.malformed, 6);
    const w = report?.warnings ?? [];
    assert.match(w[0], /: line 2: bad JSON/);
    assert.match(w[1], /: line 3: Timestamp: "yesterday" is not an ISO-8601 datetime$/);
    assert.match(w[2], /: line 4: a JSON array/);
    assert.match(w[3], /: line 5: RemotePort: "443x" is not an int$/);
    assert.match(w[4], /: line 6: IsInitiatingProcessRemoteSession: "maybe" is not a bool$/);
    assert.match(w[5], /: line 7: not a JSON object$/);
    assert.ok(w.every((s) => s.startsWith(path) && !s.includes('\r') && !s.includes('\n')));
  });

  it('lists the first few and counts the rest', async () => {
    const lines = ['{"DeviceId":"ok"}', ...Array.from({ length: 30 }, () => 'nope')];
    const { rows, report } = await load(file(lines.join('\n')), { maxWarnings: 5 });
    assert.equal(rows.length, 1);
    assert.equal(report?.malformed, 30);
    assert.equal(report?.warnings.length, 6);
    assert.match(report?.warnings[0] ?? '', /line 2: /);
    assert.match(report?.warnings[5] ?? '', /25 more malformed lines skipped$/);
  });

  it('fails with SourceError when no line is valid', async () => {
    const path = file('garbage\n{"Timestamp":"yesterday"}\n');
    await assert.rejects(load(path), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.message, `local events: no valid rows in ${path}: line 1: bad JSON: Unexpected token 'g', "garbage" is not valid JSON`);
      return true;
    });
  });

  it('names a JSON array file for what it is', async () => {
    const path = file('[{"DeviceId":"a"},\n{"DeviceId":"b"}]\n', '.json');
    await assert.rejects(load(path), /no valid rows in .*: line 1: a JSON array; expected one JSON object per line/);
  });

  it('treats an empty file as an empty table', async () => {
    const { rows, report } = await load(file(''));
    assert.equal(rows.length, 0);
    assert.deepEqual(report?.warnings, []);
  });
});
