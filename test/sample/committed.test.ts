// The committed sample cannot drift: it must equal a fresh run of the generator with the documented
// parameters (data/sample/defaults.ts, README), stay under 2 MB, and load without a malformed line. The CLI
// is checked here too: its defaults are those parameters, and bad flags fail in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { LISTS_DIR, SAMPLE_FILE, SAMPLE_NOW, SAMPLE_ROWS, SAMPLE_SEED } from '../../data/sample/defaults.js';
import { writeSample } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';
import { openEventTable } from '../../src/sources/readers/eventTable.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sample-committed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'data/sample/generate.ts', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
}

describe('the committed sample', () => {
  it('equals a regeneration with the documented rows, seed and now', async () => {
    const out = join(dir, 'regen.jsonl');
    await writeSample({
      rows: SAMPLE_ROWS, seed: SAMPLE_SEED, now: new Date(SAMPLE_NOW), lists: loadSubnetLists(LISTS_DIR), out, format: 'jsonl',
    });
    const fresh = readFileSync(out);
    const committed = readFileSync(SAMPLE_FILE);
    assert.ok(committed.equals(fresh),
      'data/sample/events.jsonl differs from a regeneration: run `npm run sample` and commit the result');
  });

  it('is a few thousand rows, under 2 MB, and loads cleanly', async () => {
    assert.ok(statSync(SAMPLE_FILE).size < 2_000_000);
    const table = openEventTable(SAMPLE_FILE);
    let rows = 0;
    for await (const b of table.scan()) rows += b.length;
    assert.equal(rows, SAMPLE_ROWS);
    assert.ok(rows >= 2000);
    assert.deepEqual(table.lastScan?.warnings, []);
  });

  it('is documented in the README with the same parameters', () => {
    const readme = readFileSync(join(root, 'data/sample/README.md'), 'utf8');
    for (const v of [String(SAMPLE_ROWS), String(SAMPLE_SEED), SAMPLE_NOW]) assert.ok(readme.includes(v), v);
  });
});

describe('the sample CLI', () => {
  it('defaults to the committed parameters (stdout with --out -)', () => {
    const res = cli(['--out', '-', '--quiet']);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout, readFileSync(SAMPLE_FILE, 'utf8'));
    assert.equal(res.stderr, '');
  });

  it('writes CSV for a .csv output, with progress on stderr', () => {
    const out = join(dir, 'cli.csv');
    const res = cli(['--rows', '250', '--seed', '3', '--out', out]);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /wrote 250 rows .*csv/);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.startsWith('Timestamp,DeviceId,DeviceName,'));
    assert.equal(text.split('\r\n').filter(Boolean).length, 251);
  });

  it('rejects bad flags with a one-line message and exit code 2', () => {
    for (const [args, pattern] of [
      [['--rows', 'abc'], /^sample: --rows: .*"abc"/],
      [['--rows', '0'], /^sample: --rows: /],
      [['--now', 'yesterday'], /^sample: --now: expected an ISO-8601 time/],
      [['--seed=-1'], /^sample: --seed: /],
      [['--bogus'], /^sample: Unknown option '--bogus'/],
    ] as const) {
      const res = cli([...args, '--out', join(dir, 'never.jsonl')]);
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr.split('\n')[0], pattern);
      assert.ok(!res.stderr.includes('    at '), 'no stack trace');
    }
  });
});
