// How the hunt's cost grows with the number of active exclusions.
import { NOW, sampleFile, worker } from '../lib.js';

interface Report { k: number; huntMs: number; hitsMs: number; rows: number; queryChars: number; maxRssMb: number }

export const exclusionsSection = {
  name: 'exclusions',
  title: 'Hunt with 0, 100 and 10,000 active exclusions (100k-row sample)',
  async run(): Promise<string> {
    const file = sampleFile(Number(process.env.BENCH_EXCLUSION_ROWS ?? 100_000));
    const reports = [0, 100, 10_000].map((k) => worker<Report>('exclusionHunt.ts', [file, NOW, String(k)]));
    const base = reports[0]!;
    const lines = [
      '| exclusions | hunt | ÷ no exclusions | hits query | findings | query size | peak RSS |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...reports.map((r) => `| ${r.k.toLocaleString('en-US')} | ${r.huntMs.toFixed(0)} ms | ${(r.huntMs / base.huntMs).toFixed(2)} | ${r.hitsMs ? `${r.hitsMs.toFixed(0)} ms` : '–'} | ${r.rows} | ${(r.queryChars / 1024).toFixed(0)} KB | ${r.maxRssMb} MB |`),
    ];
    return lines.join('\n') + '\n\nThe hits query counts, per exclusion, the events it suppressed; it runs only when exclusions are active.\n';
  },
};
