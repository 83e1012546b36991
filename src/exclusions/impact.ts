// Impact preview: which stored findings of a rule an exclusion would suppress. A finding is an aggregate, so
// what it "holds" is the set of events it could stand for: every combination of its context (the cartesian
// product of its device names and enrichment sets, with its DeviceId and RemoteUrl). Each combination is one
// row of an in-memory DeviceNetworkEvents table, and the local engine runs the very `where not(...)` text the
// hunt sends over it. Every real event of the finding is one of these rows, so:
// - full: every row is suppressed, hence every event the finding can hold is (sound: safe to close it);
// - partial: some rows are: some of its events may be hidden (enough to refuse over a True Positive);
// - no row suppressed: none of its events can be.
import { runKql } from '../kql/index.js';
import { memoryTable, type ColumnDef, type Row } from '../kql/table.js';
import { DEVICE_NETWORK_EVENTS } from '../schema/deviceNetworkEvents.js';
import type { Store } from '../store/index.js';
import type { Classification, Finding, FindingState } from '../store/types.js';
import { effectiveConditions, type ScopedConditions } from './compile.js';
import { compileConditions, type Condition } from './model.js';

/**
 * Past this many context combinations a finding is not enumerated: each condition is evaluated on its own
 * column's values instead (the same engine, the condition's own compiled text). Conditions are AND-ed and each
 * tests one column, and `where not(a and b)` drops a row exactly when no condition is false (KQL's null
 * counts as not false), so the verdict is the same as enumerating; only the cost differs.
 */
export const MAX_TUPLES_PER_FINDING = 10_000;
const ROWS_PER_QUERY = 50_000;
const ROW_INDEX = 'ImpactRow';

type ContextColumn = readonly [column: string, values: (f: Finding) => readonly string[]];

// An empty set means the finding's events carry no such value: they read as "" (KQL strings are never null).
const orEmpty = (values: readonly string[]): readonly string[] => (values.length ? values : ['']);

export const CONTEXT_COLUMNS: readonly ContextColumn[] = [
  ['DeviceId', (f) => [f.deviceId]],
  ['DeviceName', (f) => orEmpty(f.deviceNames.length ? f.deviceNames : [f.deviceName])],
  ['RemoteUrl', (f) => [f.remoteUrl]],
  ['InitiatingProcessFileName', (f) => orEmpty(f.enrichment.Processes)],
  ['InitiatingProcessParentFileName', (f) => orEmpty(f.enrichment.ParentProcesses)],
  ['InitiatingProcessAccountName', (f) => orEmpty(f.enrichment.Accounts)],
  ['RemoteIP', (f) => orEmpty(f.enrichment.RemoteIPs)],
  ['InitiatingProcessVersionInfoCompanyName', (f) => orEmpty(f.enrichment.Companies)],
];
const CONTEXT_NAMES = new Set(CONTEXT_COLUMNS.map(([c]) => c));

export interface ImpactedFinding {
  readonly findingId: string;
  readonly state: FindingState;
  readonly deviceName: string;
  readonly remoteUrl: string;
  readonly full: boolean;
  readonly latestClassification: Classification | null;
  /** The context the verdict was computed from: a write relying on `full` first checks it is unchanged. */
  readonly contextKey: string;
}

export interface Impact {
  /** The compiled conditions, as the hunt puts them inside `where not(...)`. */
  readonly kql: string;
  /** Stored findings of the rule that were evaluated. */
  readonly considered: number;
  /** Most recently seen first. */
  readonly matched: readonly ImpactedFinding[];
  /** Matched findings that are open (or recurring), and closed. */
  readonly open: number;
  readonly closed: number;
  /** Matched findings (full or partial) whose latest disposition is TruePositive. */
  readonly truePositives: readonly string[];
  /** Findings decided per condition because their context passed MAX_TUPLES_PER_FINDING. */
  readonly overCap: readonly string[];
  /** Columns the conditions test that no finding records: such conditions can never show a finding as full. */
  readonly undecidedColumns: readonly string[];
}

export interface ImpactOptions {
  /** The query clock (now()/ago() in conditions would read it). */
  readonly now: Date;
  /** Override MAX_TUPLES_PER_FINDING (0 forces the per-condition path for every finding). */
  readonly maxTuples?: number | undefined;
}

/** The inputs of a finding's verdict, as one comparable string. */
export function findingContextKey(f: Finding): string {
  return JSON.stringify([f.ruleId, ...CONTEXT_COLUMNS.map(([, values]) => values(f))]);
}

function tupleCount(f: Finding, cap: number): number {
  let n = 1;
  for (const [, values] of CONTEXT_COLUMNS) {
    n *= values(f).length;
    if (n > cap) return n;
  }
  return n;
}

/** Every combination of the finding's context, in CONTEXT_COLUMNS order. */
export function* contextTuples(f: Finding): Generator<string[]> {
  const sets = CONTEXT_COLUMNS.map(([, values]) => values(f));
  const at = sets.map(() => 0);
  for (;;) {
    yield sets.map((s, i) => s[at[i]!]!);
    let k = sets.length - 1;
    while (k >= 0 && ++at[k]! === sets[k]!.length) at[k--] = 0;
    if (k < 0) return;
  }
}

interface Verdict {
  any: boolean;
  all: boolean;
}

/** Runs `T | where not(kql)` over rows whose last value is their index; returns the indexes it keeps. */
async function keptRows(columns: readonly string[], rows: Row[], kql: string, now: Date): Promise<Set<number>> {
  const defs: ColumnDef[] = [...columns.map((name) => ({ name, type: 'string' as const })), { name: ROW_INDEX, type: 'long' }];
  const table = memoryTable(DEVICE_NETWORK_EVENTS, defs, rows);
  const res = await runKql(`${DEVICE_NETWORK_EVENTS}\n| where not(${kql})\n| project ${ROW_INDEX}`, {
    tables: { [DEVICE_NETWORK_EVENTS]: table },
    now,
  });
  return new Set(res.rows.map((r) => Number(r[0])));
}

/**
 * Streams (owner, values) rows through the query in bounded batches; per owner, whether any and whether all of
 * its rows were suppressed.
 */
async function suppressed(
  columns: readonly string[],
  owners: number,
  rowsOf: (owner: number) => Iterable<string[]>,
  kql: string,
  now: Date,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = Array.from({ length: owners }, () => ({ any: false, all: true }));
  let rows: Row[] = [];
  let rowOwner: number[] = [];
  const flush = async (): Promise<void> => {
    if (!rows.length) return;
    const kept = await keptRows(columns, rows, kql, now);
    rowOwner.forEach((o, i) => {
      if (kept.has(i)) verdicts[o]!.all = false;
      else verdicts[o]!.any = true;
    });
    rows = [];
    rowOwner = [];
  };
  for (let o = 0; o < owners; o++) {
    for (const values of rowsOf(o)) {
      rows.push([...values, rows.length]);
      rowOwner.push(o);
      if (rows.length >= ROWS_PER_QUERY) await flush();
    }
  }
  await flush();
  return verdicts;
}

async function verdictsFor(findings: readonly Finding[], known: readonly Condition[], now: Date, cap: number): Promise<{ verdicts: Verdict[]; overCap: Finding[] }> {
  const verdicts: Verdict[] = findings.map(() => ({ any: true, all: true }));
  if (!known.length) return { verdicts, overCap: [] };
  const small = findings.flatMap((f, i) => (tupleCount(f, cap) <= cap ? [i] : []));
  const large = findings.flatMap((f, i) => (tupleCount(f, cap) > cap ? [i] : []));
  const columns = CONTEXT_COLUMNS.map(([c]) => c);
  const enumerated = await suppressed(columns, small.length, (o) => contextTuples(findings[small[o]!]!), compileConditions(known), now);
  enumerated.forEach((v, o) => (verdicts[small[o]!] = v));
  for (const [column, values] of CONTEXT_COLUMNS) {
    const on = known.filter((c) => c.column === column);
    if (!on.length || !large.length) continue;
    const perValue = await suppressed([column], large.length, (o) => values(findings[large[o]!]!).map((v) => [v]), compileConditions(on), now);
    perValue.forEach((v, o) => {
      const target = verdicts[large[o]!]!;
      target.any &&= v.any;
      target.all &&= v.all;
    });
  }
  return { verdicts, overCap: large.map((i) => findings[i]!) };
}

/** The findings of `ruleId` that an exclusion (a candidate or a stored row) would suppress. */
export async function previewImpact(store: Store, ruleId: string, candidate: ScopedConditions, opts: ImpactOptions): Promise<Impact> {
  const conditions = effectiveConditions(candidate, `exclusions: impact on rule ${ruleId}`);
  const known = conditions.filter((c) => CONTEXT_NAMES.has(c.column));
  const undecidedColumns = [...new Set(conditions.filter((c) => !CONTEXT_NAMES.has(c.column)).map((c) => c.column))];
  const findings = store.findings.list({ ruleId });
  const cap = opts.maxTuples ?? MAX_TUPLES_PER_FINDING;
  const { verdicts, overCap } = await verdictsFor(findings, known, opts.now, cap);
  const hit = findings.flatMap((f, i) => (verdicts[i]!.any ? [{ f, full: verdicts[i]!.all && undecidedColumns.length === 0 }] : []));
  const latest = store.dispositions.latestForMany(hit.map((h) => h.f.id));
  const matched: ImpactedFinding[] = hit.map(({ f, full }) => ({
    findingId: f.id,
    state: f.state,
    deviceName: f.deviceName,
    remoteUrl: f.remoteUrl,
    full,
    latestClassification: latest.get(f.id)?.classification ?? null,
    contextKey: findingContextKey(f),
  }));
  return {
    kql: compileConditions(conditions),
    considered: findings.length,
    matched,
    open: matched.filter((m) => m.state !== 'closed').length,
    closed: matched.filter((m) => m.state === 'closed').length,
    truePositives: matched.filter((m) => m.latestClassification === 'TruePositive').map((m) => m.findingId),
    overCap: overCap.map((f) => f.id),
    undecidedColumns,
  };
}
