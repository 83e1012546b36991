// Bulk marking through the product vs raw inserts of the same rows.
import { worker } from '../lib.js';

interface BulkReport { n: number; productMs: number; rawMs: number; maxRssMb: number }

export const bulkSection = {
  name: 'bulk',
  title: 'Bulk marking: 10,000 findings in one transaction vs raw better-sqlite3 inserts',
  async run(): Promise<string> {
    const r = worker<BulkReport>('bulkMark.ts', ['10000']);
    return [
      '| findings | product (validate, dispositions, close, audit) | raw inserts | ratio | peak RSS |',
      '|---:|---:|---:|---:|---:|',
      `| ${r.n.toLocaleString('en-US')} | ${r.productMs.toFixed(0)} ms | ${r.rawMs.toFixed(0)} ms | ${(r.productMs / r.rawMs).toFixed(1)}× | ${r.maxRssMb} MB |`,
      '',
      'The product writes per finding a disposition, the finding\'s close, and a hash-chained audit entry for each change; the baseline writes only the disposition row.',
      '',
    ].join('\n');
  },
};
