// The seed hunt over generated samples: the local engine against SQLite (load + one SQL statement).
import { NOW, sampleFile, worker } from '../lib.js';

interface EngineReport { totalMs: number; rows: number; groups: string[]; maxRssMb: number }
interface SqliteReport extends EngineReport { loadMs: number; queryMs: number }

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const huntSection = {
  name: 'hunt',
  title: 'Hunt: local engine vs SQLite baseline (seed query, 5-day window)',
  async run(): Promise<string> {
    const sizes = (process.env.BENCH_HUNT_ROWS ?? '100000,1000000').split(',').map(Number);
    const lines = [
      '| rows | engine | engine peak RSS | SQLite load + query | SQLite query only | SQLite peak RSS | engine ÷ SQLite (total) | engine ÷ SQLite (query only) | same findings |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
    ];
    for (const n of sizes) {
      const file = sampleFile(n);
      const e = worker<EngineReport>('engineHunt.ts', [file, NOW]);
      const s = worker<SqliteReport>('sqliteHunt.ts', [file, NOW]);
      const same = e.rows === s.rows && e.groups.join('\n') === s.groups.join('\n');
      lines.push(`| ${n.toLocaleString('en-US')} | ${fmt(e.totalMs)} | ${e.maxRssMb} MB | ${fmt(s.totalMs)} | ${fmt(s.queryMs)} | ${s.maxRssMb} MB | ${(e.totalMs / s.totalMs).toFixed(2)} | ${(e.totalMs / s.queryMs).toFixed(2)} | ${same ? 'yes' : `NO (${e.rows} vs ${s.rows})`} |`);
    }
    return lines.join('\n') + '\n\nA ratio below 1 means the engine is faster. "SQLite query only" leaves out loading the file into SQLite, which the engine has to do on every hunt.\n';
  },
};
