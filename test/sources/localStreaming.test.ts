// Streaming: a generated 200k-row file (~160 MB of JSONL) loads with memory that does not grow with the
// file. In process, growth is measured loosely; in a child process capped at a 64 MB heap, holding the file
// (or its rows) would be fatal, so finishing at all proves the scan is streamed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { writeSample } from '../../data/sample/generator.js';
import { loadSubnetLists } from '../../data/sample/lists.js';
import { openEventTable } from '../../src/sources/readers/eventTable.js';

const ROWS = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'local-stream-'));
const path = join(dir, 'big.jsonl');
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  await writeSample({
    rows: ROWS, seed: 5, now: new Date('2026-12-01T12:00:00Z'), lists: loadSubnetLists(join(dir, 'none')), out: path, format: 'jsonl',
  });
});

describe('streaming a large event file', () => {
  it('scans every row with memory growth well under the file size', async () => {
    const size = statSync(path).size;
    assert.ok(size > 100e6, `the file is large (${size} bytes)`);
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const table = openEventTable(path, {
      progressEvery: 5000,
      onProgress: () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      },
    });
    let rows = 0;
    for await (const batch of table.scan()) rows += batch.length;
    assert.equal(rows, ROWS);
    assert.equal(table.lastScan?.malformed, 0);
    assert.ok(peakRss - base.rss < size * 0.75, `rss grew ${((peakRss - base.rss) / 1e6).toFixed(0)} MB for a ${(size / 1e6).toFixed(0)} MB file`);
    assert.ok(peakHeap - base.heapUsed < size * 0.75, `heap grew ${((peakHeap - base.heapUsed) / 1e6).toFixed(0)} MB`);
  });

  it('scans it in a child process whose heap is capped far below the file size', () => {
    const script = join(dir, 'scan.ts');
    const tableModule = fileURLToPath(new URL('../../src/sources/readers/eventTable.ts', import.meta.url));
    writeFileSync(script, [
      `import { openEventTable } from ${JSON.stringify(tableModule)};`,
      `let rows = 0;`,
      `for await (const b of openEventTable(${JSON.stringify(path)}).scan()) rows += b.length;`,
      `process.stdout.write(String(rows));`,
    ].join('\n'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const res = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr.slice(-500));
    assert.equal(res.stdout, String(ROWS));
  });
});
