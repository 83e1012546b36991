// CSV as Defender exports it: header mapping, RFC 4180 quoting (commas, quotes and CRLF line breaks inside
// fields), exact line numbers for malformed records, recovery after a runaway quote. Well-formed input is
// checked field for field against csv-parse.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { ColumnDef, Row } from '../../src/kql/table.js';
import { KDateTime } from '../../src/kql/values.js';
import { deviceNetworkEventsColumnIndex as COL } from '../../src/schema/deviceNetworkEvents.js';
import { SourceError } from '../../src/sources/eventSource.js';
import { openEventTable, type EventTableOptions } from '../../src/sources/readers/eventTable.js';

const dir = mkdtempSync(join(tmpdir(), 'local-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const p = join(dir, `f${n++}.csv`);
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

describe('CSV typing and header', () => {
  it('maps columns by header name, in any order, ignoring unknown ones', async () => {
    const text = [
      'ReportId,Extra,Timestamp,RemotePort,IsInitiatingProcessRemoteSession,AdditionalFields,DeviceId',
      '12,zzz,2024-05-01T12:34:56.1234567Z,443,False,"{""direction"":""In""}",d1',
      ',,,,,,',
    ].join('\r\n');
    const { rows } = await load(file(text));
    assert.equal(rows.length, 2);
    const [a, b] = rows;
    assert.equal(get(a, 'ReportId'), 12);
    assert.equal((get(a, 'Timestamp') as KDateTime).toISOString(), '2024-05-01T12:34:56.1234567Z');
    assert.equal(get(a, 'RemotePort'), 443);
    assert.equal(get(a, 'IsInitiatingProcessRemoteSession'), false);
    assert.deepEqual(get(a, 'AdditionalFields'), { direction: 'In' });
    assert.equal(get(a, 'DeviceId'), 'd1');
    assert.equal(get(a, 'DeviceName'), '', 'a column missing from the file loads empty');
    assert.equal(get(b, 'ReportId'), null);
    assert.equal(get(b, 'Timestamp'), null);
    assert.equal(get(b, 'DeviceId'), '');
    assert.equal(get(b, 'AdditionalFields'), null);
  });

  it('accepts Log Analytics-style " [UTC]" header suffixes and a BOM', async () => {
    const { rows } = await load(file('\ufeffTimestamp [UTC],DeviceId\n2026-11-30T00:00:00.0000001Z,d\n'));
    assert.equal((get(rows[0], 'Timestamp') as KDateTime).sub, 1);
    assert.equal(get(rows[0], 'DeviceId'), 'd');
  });

  it('keeps commas, doubled quotes and CRLF line breaks inside quoted fields', async () => {
    const text = 'DeviceId,InitiatingProcessCommandLine,ReportId\r\n' +
      'd1,"cmd.exe /c ""echo a, b""",1\r\n' +
      'd2,"line one\r\nline two\r\n",2\r\n' +
      'd3,"",3\r\n';
    const { rows } = await load(file(text));
    assert.deepEqual(rows.map((r) => get(r, 'InitiatingProcessCommandLine')),
      ['cmd.exe /c "echo a, b"', 'line one\r\nline two\r\n', '']);
    assert.deepEqual(rows.map((r) => get(r, 'ReportId')), [1, 2, 3]);
  });

  it('rejects a header that names no column', async () => {
    const path = file('a,b,c\n1,2,3\n');
    await assert.rejects(load(path), (err: unknown) =>
      err instanceof SourceError && err.message === `local events: ${path}: line 1: the header names none of the table's columns`);
  });
});

describe('CSV malformed records', () => {
  it('reports wrong field counts, bad values and stray quotes by their starting line, and keeps the rest', async () => {
    const text = [
      'DeviceId,InitiatingProcessCommandLine,Timestamp', // 1
      'ok1,"multi', // 2
      'line",2024-05-01T00:00:00Z', // 3
      'short,row', // 4
      '', // 5
      'bad,"quoted"junk,2024-05-01T00:00:00Z', // 6
      'ok2,plain,2024-05-01T00:00:01Z', // 7
      'typed,x,yesterday', // 8
      'ok3,a "stray" quote,2024-05-01T00:00:02Z', // 9
    ].join('\r\n');
    const path = file(text);
    const { rows, report } = await load(path);
    assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['ok1', 'ok2', 'ok3']);
    assert.equal(get(rows[2], 'InitiatingProcessCommandLine'), 'a "stray" quote');
    assert.deepEqual(report?.warnings, [
      `${path}: line 4: expected 3 fields, found 2`,
      `${path}: line 6: unexpected text after a closing quote`,
      `${path}: line 8: Timestamp: "yesterday" is not an ISO-8601 datetime`,
    ]);
  });

  it('resumes on the next line after an unterminated quote', async () => {
    const text = 'DeviceId,ReportId\n' + 'a,1\n' + 'b,"2\n' + 'c,3\n' + 'd,4\n';
    const path = file(text);
    const { rows, report } = await load(path);
    assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['a', 'c', 'd']);
    assert.deepEqual(report?.warnings, [`${path}: line 3: unterminated quoted field`]);
  });

  it('fails with SourceError when no record is valid', async () => {
    const path = file('DeviceId,ReportId\nx\ny,notanumber\n');
    await assert.rejects(load(path), (err: unknown) =>
      err instanceof SourceError && err.message === `local events: no valid rows in ${path}: line 2: expected 2 fields, found 1`);
  });
});

describe('CSV scan hints', () => {
  it('skips records without the required text, including multi-line ones, and types only the wanted columns', async () => {
    const text = 'DeviceId,InitiatingProcessVersionInfoCompanyName,InitiatingProcessCommandLine,ReportId\r\n' +
      'a,"Parsec Cloud, Inc.",x,1\r\n' +
      'b,Google LLC,"two\r\nlines",2\r\n' +
      'c,Microsoft,"the word\r\nPARSEC on line two",3\r\n' +
      'd,Google LLC,short\r\n';
    const table = openEventTable(file(text));
    const rows: Row[] = [];
    for await (const b of table.scan({ requiredText: ['parsec'], columns: ['DeviceId'] })) rows.push(...b);
    assert.deepEqual(rows.map((r) => get(r, 'DeviceId')), ['a', 'c']);
    assert.equal(get(rows[0], 'ReportId'), null, 'an unwanted column stays empty');
    assert.deepEqual(table.lastScan?.warnings.map((w) => w.replace(/^.*?: /, '')), ['line 7: expected 4 fields, found 3'],
      'structure is still checked on skipped records');
  });
});

describe('CSV agrees with csv-parse on well-formed input', () => {
  // Every schema column typed as string, so the comparison is of the field text itself.
  const columns: ColumnDef[] = ['DeviceId', 'DeviceName', 'RemoteUrl', 'InitiatingProcessCommandLine'].map((name) => ({ name, type: 'string' }));
  const pieces = ['', 'a', 'b c', 'x,y', 'say "hi"', '""', 'line1\nline2', 'crlf\r\nbreak', ' padded ', 'ünï', ',', '"'];

  function quote(s: string): string {
    return /[",\r\n]/.test(s) || s.startsWith(' ') ? `"${s.replace(/"/g, '""')}"` : s;
  }

  it('matches field for field, for LF and CRLF files, at several chunk sizes', async () => {
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    for (const eol of ['\n', '\r\n']) {
      const records = Array.from({ length: 200 }, () => columns.map(() => pieces[rand(pieces.length)]));
      const text = [columns.map((c) => c.name).join(','), ...records.map((r) => r.map(quote).join(','))].join(eol) + eol;
      const expected = (parse(text, { relax_column_count: false, skip_empty_lines: false }) as string[][]).slice(1);
      const path = file(text);
      for (const chunkSize of [3, 17, 1 << 20]) {
        const { rows, report } = await load(path, { chunkSize, columns });
        assert.equal(report?.malformed, 0);
        assert.deepEqual(rows, expected, `eol ${JSON.stringify(eol)} chunk ${chunkSize}`);
      }
    }
  });
});
