// The card-action round trip (Action.Execute → the bot's update at the local Bot Connector) through the real
// triage bot, against an echo bot on the same server stack, at 1 and 20 concurrent analysts. One driver worker
// per concurrency plays Teams (analysts + connector) and measures both bots, each server in a process of its
// own; the database is seeded once, by a real hunt of the 100k-row sample (~3,000 open findings), and copied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW, sampleFile, worker } from '../lib.js';

interface SeedReport { open: number; seedMs: number }
interface Figures { n: number; p50: number; p99: number; max: number; perSecond: number; serverCpuMsPerAction: number; serverRssMb: number }
interface RoundTrip { c: number; warmup: number; echo: Figures; product: Figures }

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

export const roundtripSection = {
  name: 'roundtrip',
  title: 'Card-action round trip: triage bot vs echo bot on the same server (1 and 20 concurrent analysts)',
  async run(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-roundtrip-'));
    try {
      const seed = worker<SeedReport>('roundtripSeed.ts', [sampleFile(100_000), NOW, dir]);
      const samples = process.env.BENCH_ROUNDTRIP_SAMPLES ?? '800';
      const lines = [
        '| analysts | samples | product p50 | product p99 | echo p50 | echo p99 | ÷ echo p50 | ÷ echo p99 | actions/s product · echo | server CPU/action product · echo | server peak RSS product · echo |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ];
      for (const c of (process.env.BENCH_ROUNDTRIP_ANALYSTS ?? '1,20').split(',')) {
        const { product: p, echo: e } = worker<RoundTrip>('roundtrip.ts', [c, samples, dir]);
        lines.push(`| ${c} | ${p.n} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(e.p50)} | ${ms(e.p99)} | ${(p.p50 / e.p50).toFixed(1)}× | ${(p.p99 / e.p99).toFixed(1)}× | ${p.perSecond.toFixed(0)} · ${e.perSecond.toFixed(0)} | ${ms(p.serverCpuMsPerAction)} · ${ms(e.serverCpuMsPerAction)} | ${p.serverRssMb} MB · ${e.serverRssMb} MB |`);
      }
      return lines.join('\n') + [
        '',
        '',
        'Timed: from the POST of an Action.Execute invoke marking a finding (True Positive, False Positive, Undetermined in turn) until the POST is answered with the new card and that card\'s PUT over the posted one has reached the local Bot Connector; each analyst marks its own findings in its own chat, one after another, after a warm-up; the echo bot answers the same invokes with a card and the same PUT.',
        `The store holds ${seed.open.toLocaleString('en-US')} open findings from a real hunt of the 100k-row sample. Each bot server runs in its own process, the analysts and the connector in a third; the two bots are measured in alternating rounds. Peak RSS grows with the number of actions (V8 keeps the heap it grew into), so it compares the two bots within a row, not across runs of different lengths.`,
        '',
      ].join('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
