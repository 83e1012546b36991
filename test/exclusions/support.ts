// Fixtures for the exclusion tests: a fresh SQLite file per test, a clock the test moves, the real parsec rule
// and lists, findings seeded through a run, and the benign marking the mark service will do (disposition,
// close, applyProposal) in one transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ExclusionService, type ExclusionSettings, type PlanProposalInput, type ProposalOutcome, type ProposalPlan } from '../../src/exclusions/service.js';
import { loadLists, loadRules, type Rule } from '../../src/rules/index.js';
import { openStore, type Disposition, type ExclusionScope, type Finding, type FindingInput, type Store } from '../../src/store/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const lists = loadLists(join(root, 'data/lists'));
export const rules: Rule[] = loadRules(join(root, 'data/rules'), join(root, 'data/lists'));
export const parsec: Rule = rules[0]!;
export const RULE = parsec.id;

export interface Clock {
  now: () => Date;
  advanceDays(days: number): void;
}

export function clock(start = '2024-05-10T12:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advanceDays: (days) => {
      t += days * 86_400_000;
    },
  };
}

export interface Fixture {
  store: Store;
  clock: Clock;
  service(settings?: Partial<ExclusionSettings>, extra?: { maxTuples?: number; rules?: Rule[] }): ExclusionService;
}

export function fresh(t: TestContext): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'triage-exclusions-'));
  const c = clock();
  const store = openStore(join(dir, 'triage.sqlite'), { now: c.now });
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    store,
    clock: c,
    service: (settings = {}, extra = {}) =>
      new ExclusionService({
        store,
        rules: extra.rules ?? rules,
        lists,
        settings: { requireApproval: false, ttlDays: 90, widenThreshold: 3, ...settings },
        now: c.now,
        maxTuples: extra.maxTuples,
      }),
  };
}

export type Enrichment = NonNullable<FindingInput['enrichment']>;

export function row(deviceId: string, enrichment: Enrichment = {}, over: Partial<FindingInput> = {}): FindingInput {
  return {
    deviceId,
    deviceName: `${deviceId}.contoso.com`,
    remoteUrl: 'kessel-ws.parsec.app',
    firstSeen: '2024-05-06T08:00:00Z',
    lastSeen: '2024-05-07T09:30:00Z',
    reportIds: [1],
    count: 1,
    enrichment: {
      Processes: ['parsecd.exe'],
      ParentProcesses: ['explorer.exe'],
      Accounts: ['alice'],
      RemoteIPs: ['8.8.8.8'],
      Companies: ['Parsec Cloud, Inc.'],
      ...enrichment,
    },
    ...over,
  };
}

/** Merges the rows in one run; returns the findings in row order. */
export function seed(store: Store, rows: readonly FindingInput[]): Finding[] {
  const run = store.runs.start(
    {
      ruleId: RULE,
      windowStart: new Date('2024-05-05T12:00:00Z'),
      windowEnd: new Date('2024-05-10T12:00:00Z'),
      source: 'local',
      kql: 'DeviceNetworkEvents | take 1',
    },
    'system',
  );
  store.findings.mergeRunRows(RULE, run.id, rows);
  return rows.map((r) => store.findings.getByKey(RULE, r.deviceId, r.remoteUrl)!);
}

export function markTp(store: Store, findingId: string, by = 'tina'): Disposition {
  return store.dispositions.create({ findingId, classification: 'TruePositive', reason: 'SuspiciousActivity', analystId: by }, by);
}

export function markBenignOnly(store: Store, findingId: string, scenario: number, by = 'alice'): Disposition {
  return store.dispositions.create(
    { findingId, classification: 'BenignPositive', reason: 'SuspiciousButExpected', scenario, analystId: by },
    by,
  );
}

/**
 * What `triage mark ID --as benign --scenario K --exclude` does: plan first (async), then the disposition, the
 * closure and the exclusion in one transaction.
 */
export async function markBenign(
  svc: ExclusionService,
  store: Store,
  finding: Finding,
  scenario: number,
  opts: { by?: string; scope?: ExclusionScope; tpOverrideReason?: string } = {},
): Promise<{ plan: ProposalPlan; disposition: Disposition; outcome: ProposalOutcome }> {
  const by = opts.by ?? 'alice';
  const input: PlanProposalInput = { finding, scenario, author: by, scope: opts.scope, tpOverrideReason: opts.tpOverrideReason };
  const plan = await svc.planProposal(input);
  if (plan.refusal) throw plan.refusal;
  return store.transaction(() => {
    const disposition = markBenignOnly(store, finding.id, scenario, by);
    store.findings.close(finding.id, 'disposition', by);
    return { plan, disposition, outcome: svc.applyProposal(plan, { dispositionIds: [disposition.id] }) };
  });
}

export function tableCount(store: Store, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
