// The deterministic sample: the same rows, seed and clock give the same bytes. Events come out one at a
// time and go to the file in large writes, so a million rows take flat memory. The curated cases (see
// curated.ts) sit at seeded positions among the filler, which mixes everyday traffic with Parsec use.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { DAY_MS, curatedEvents } from './curated.js';
import { buildFleet } from './fleet.js';
import { csvHeader, csvLine, jsonLine, type SampleFormat } from './format.js';
import type { SubnetLists } from './lists.js';
import type { EventTag, TaggedEvent } from './model.js';
import { AddressBook } from './net.js';
import {
  lookalikeEvent, MALICIOUS, NEAR_MISSES, parsecPeer, parsecRoutine, suspiciousEvent, VARIANTS, type Time,
} from './parsec.js';
import { Rng } from './prng.js';
import { SCENARIO_VARIANTS, scenarioEvent, SCENARIOS, type ScenarioContext } from './scenarios.js';
import { trafficEvent } from './traffic.js';

export interface SampleOptions {
  readonly rows: number;
  readonly seed: number;
  /** The clock the sample is built around: events fall in the 6 days before it. */
  readonly now: Date;
  readonly lists: SubnetLists;
}

/** Filler mix, per thousand rows. */
const MIX: readonly (readonly [number, EventTag | 'scenario'])[] = [
  [820, 'traffic'], [80, 'parsec'], [20, 'parsec-p2p'], [40, 'scenario'], [20, 'near-miss'], [10, 'variant'], [10, 'malicious'],
];

const SPAN_MS = 6 * DAY_MS;

/** Where the curated events go: `count` distinct sorted indexes in [0, rows). */
function curatedPositions(rng: Rng, rows: number, count: number): number[] {
  if (rows <= count) return Array.from({ length: rows }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(rows));
  return [...chosen].sort((a, b) => a - b);
}

function filler(ctx: ScenarioContext, time: Time): TaggedEvent {
  const { rng } = ctx;
  const kind = rng.weighted(MIX);
  switch (kind) {
    case 'parsec':
      return { tag: kind, note: 'routine Parsec use', event: parsecRoutine(ctx, time) };
    case 'parsec-p2p':
      return { tag: kind, note: 'Parsec peer stream by IP', event: parsecPeer(ctx, time) };
    case 'scenario': {
      const n = rng.pick(SCENARIOS);
      return { tag: `scenario-${n}`, note: `scenario ${n}`, event: scenarioEvent(ctx, n, rng.int(SCENARIO_VARIANTS), time) };
    }
    case 'near-miss': {
      const l = rng.pick(NEAR_MISSES);
      return { tag: kind, note: l.note, event: lookalikeEvent(ctx, time, l) };
    }
    case 'variant': {
      const l = rng.pick(VARIANTS);
      return { tag: kind, note: l.note, event: lookalikeEvent(ctx, time, l) };
    }
    case 'malicious': {
      const s = rng.pick(MALICIOUS);
      return { tag: kind, note: s.note, event: suspiciousEvent(ctx, time, s) };
    }
    default:
      return { tag: 'traffic', note: 'everyday traffic', event: trafficEvent(ctx, time) };
  }
}

export function* sampleEvents(opts: SampleOptions): Generator<TaggedEvent> {
  const rng = new Rng(opts.seed);
  const nowMs = opts.now.getTime();
  const fleet = buildFleet(rng, opts.rows);
  const ctx: ScenarioContext = {
    rng, fleet, addresses: new AddressBook([...opts.lists.vpn, ...opts.lists.rdp]), vpn: opts.lists.vpn, rdp: opts.lists.rdp,
  };
  const curated = curatedEvents(ctx, nowMs);
  const positions = curatedPositions(rng, opts.rows, curated.length);
  let next = 0;
  for (let i = 0; i < opts.rows; i++) {
    if (next < positions.length && positions[next] === i) {
      yield curated[next++];
      continue;
    }
    yield filler(ctx, { ms: nowMs - SPAN_MS + rng.int(SPAN_MS), sub: rng.int(10_000) });
  }
}

export interface WriteOptions extends SampleOptions {
  /** A file path, or '-' for stdout. */
  readonly out: string;
  readonly format: SampleFormat;
  readonly onProgress?: (rowsWritten: number) => void;
  readonly progressEvery?: number;
}

const FLUSH_CHARS = 1 << 20;

/** Streams the sample to `out` (via a temporary file, renamed when complete); returns the bytes written. */
export async function writeSample(opts: WriteOptions): Promise<number> {
  const toStdout = opts.out === '-';
  const tmp = `${opts.out}.${process.pid}.tmp`;
  const stream = toStdout ? process.stdout : createWriteStream(tmp);
  const line = opts.format === 'csv' ? csvLine : jsonLine;
  const every = opts.progressEvery ?? 100_000;
  let bytes = 0;
  let buf = opts.format === 'csv' ? csvHeader() : '';
  const flush = async () => {
    bytes += Buffer.byteLength(buf);
    const ok = stream.write(buf);
    buf = '';
    if (!ok) await once(stream, 'drain');
  };
  try {
    let n = 0;
    for (const { event } of sampleEvents(opts)) {
      buf += line(event);
      n += 1;
      if (buf.length >= FLUSH_CHARS) await flush();
      if (opts.onProgress && n % every === 0) opts.onProgress(n);
    }
    await flush();
    if (!toStdout) {
      const file = stream as ReturnType<typeof createWriteStream>;
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await rename(tmp, opts.out);
    }
  } catch (err) {
    if (!toStdout) {
      (stream as ReturnType<typeof createWriteStream>).destroy();
      await rm(tmp, { force: true });
    }
    throw err;
  }
  return bytes;
}
