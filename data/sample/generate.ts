// npm run sample -- --rows N --seed S [--out FILE|-] [--now ISO] [--format jsonl|csv] [--lists DIR] [--quiet]
// Writes a deterministic DeviceNetworkEvents sample. Progress and the summary go to stderr; with --out -
// the events go to stdout and nothing else does.
import { parseArgs } from 'node:util';
import { extname, resolve } from 'node:path';
import { z } from 'zod';
import { LISTS_DIR, SAMPLE_FILE, SAMPLE_NOW, SAMPLE_ROWS, SAMPLE_SEED } from './defaults.js';
import { writeSample } from './generator.js';
import { loadSubnetLists } from './lists.js';

const USAGE =
  'usage: npm run sample -- [--rows N] [--seed S] [--out FILE|-] [--now ISO] [--format jsonl|csv] [--lists DIR] [--quiet]';

const Args = z.object({
  rows: z.coerce.number().int().min(1).max(50_000_000),
  seed: z.coerce.number().int().min(0).max(0xffffffff),
  now: z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 time such as 2026-12-01T12:00:00Z'),
  out: z.string().min(1),
  format: z.enum(['jsonl', 'csv']).optional(),
  lists: z.string().min(1),
  quiet: z.boolean(),
});

function fail(message: string): never {
  process.stderr.write(`sample: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rows: { type: 'string', default: String(SAMPLE_ROWS) },
        seed: { type: 'string', default: String(SAMPLE_SEED) },
        now: { type: 'string', default: SAMPLE_NOW },
        out: { type: 'string', default: SAMPLE_FILE },
        format: { type: 'string' },
        lists: { type: 'string', default: LISTS_DIR },
        quiet: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    fail(`--${key}: ${issue.message} (got ${JSON.stringify((values as Record<string, unknown>)[key])})`);
  }
  const a = parsed.data;
  const format = a.format ?? (extname(a.out).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
  const lists = loadSubnetLists(a.lists);
  const log = (line: string) => {
    if (!a.quiet) process.stderr.write(`sample: ${line}\n`);
  };
  const committed = a.out !== '-' && resolve(a.out) === SAMPLE_FILE;
  if (committed && (a.rows !== SAMPLE_ROWS || a.seed !== SAMPLE_SEED || a.now !== SAMPLE_NOW || format !== 'jsonl')) {
    log(`warning: writing the committed sample with non-default parameters; test/sample will report the drift`);
  }
  log(`scenario-5 subnets from ${lists.origin}: vpn ${lists.vpn.map((c) => c.text).join(' ')}, rdp ${lists.rdp.map((c) => c.text).join(' ')}`);
  const started = process.hrtime.bigint();
  const bytes = await writeSample({
    rows: a.rows, seed: a.seed, now: new Date(a.now), lists, out: a.out, format,
    onProgress: (n) => log(`${n}/${a.rows} rows`),
  });
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  log(`wrote ${a.rows} rows (${(bytes / 1048576).toFixed(1)} MiB, ${format}) to ${a.out} in ${secs.toFixed(1)} s; seed ${a.seed}, now ${a.now}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sample: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
