// Shared by benchmark sections: generated samples and child-process workers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const OUT = join(process.cwd(), 'bench', 'out');
export const NOW = '2026-12-01T12:00:00Z';

/** A generated sample of `rows` rows, made once and kept under bench/out (ignored by git). */
export function sampleFile(rows: number, seed = 7): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `events-${rows}-s${seed}.jsonl`);
  if (!existsSync(file)) {
    process.stderr.write(`bench: generating ${rows.toLocaleString('en-US')} rows → ${file}\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'data/sample/generate.ts', '--rows', String(rows), '--seed', String(seed), '--now', NOW, '--out', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return file;
}

/** Runs a worker script in a fresh process and returns its JSON report. */
export function worker<T>(script: string, args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', join('bench', 'workers', script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

