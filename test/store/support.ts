// Shared fixtures for the store tests: a fresh SQLite file in its own temp dir, a clock the test moves, and
// a few rows shaped like the hunt's output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openStore, type FindingInput, type Run, type Store } from '../../src/store/index.js';

export const RULE = '070b55d3-eb84-4312-a116-1af9965cd6e4';

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'triage-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Clock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function clock(start = '2024-05-10T12:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface Fixture {
  store: Store;
  path: string;
  dir: string;
  clock: Clock;
}

export function fresh(t: TestContext, name = 'triage.sqlite'): Fixture {
  const dir = tempDir(t);
  const c = clock();
  const path = join(dir, name);
  const store = openStore(path, { now: c.now });
  t.after(() => store.close());
  return { store, path, dir, clock: c };
}

export function startRun(store: Store, ruleId = RULE): Run {
  return store.runs.start(
    {
      ruleId,
      windowStart: new Date('2024-05-05T12:00:00Z'),
      windowEnd: new Date('2024-05-10T12:00:00Z'),
      source: 'local',
      sourceDetail: 'data/sample/events.jsonl',
      kql: 'DeviceNetworkEvents | take 1',
    },
    'system',
  );
}

export function row(over: Partial<FindingInput> = {}): FindingInput {
  return {
    deviceId: 'dev-1',
    deviceName: 'ws-01.contoso.com',
    remoteUrl: 'kessel-ws.parsec.app',
    firstSeen: '2024-05-06T08:00:00.1234567Z',
    lastSeen: '2024-05-07T09:30:00Z',
    reportIds: [101, 102],
    count: 2,
    enrichment: {
      Processes: ['parsecd.exe'],
      ParentProcesses: ['explorer.exe'],
      Accounts: ['alice'],
      RemoteIPs: ['203.0.113.10'],
      Companies: ['Parsec Cloud, Inc.'],
    },
    ...over,
  };
}

/** Merges rows in a new run and returns the single finding id they produced. */
export function seedFinding(store: Store, over: Partial<FindingInput> = {}): string {
  const run = startRun(store);
  const r = store.findings.mergeRunRows(RULE, run.id, [row(over)]);
  const id = r.created[0] ?? r.updated[0] ?? r.reopened[0] ?? r.unchanged[0];
  if (!id) throw new Error('seedFinding: nothing merged');
  return id;
}

export function count(store: Store, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
