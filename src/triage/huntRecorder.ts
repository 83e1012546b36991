// A hunt that the store remembers: the run (window, final KQL, status), the findings merged across runs, and
// how many events each active exclusion suppressed. Queries run first; then one synchronous transaction
// persists everything, so a crash mid-way leaves the run marked failed, never half-merged.
import type { EventSource, SourceResult } from '../sources/eventSource.js';
import type { Store, FindingInput, MergeResult, Run } from '../store/index.js';
import type { Rule } from '../rules/index.js';
import { buildHitsQuery, findAnchors, hitColumn, type QueryExclusion } from '../hunt/buildQuery.js';
import { huntQuery } from '../hunt/runHunt.js';
import { huntWindow } from '../hunt/window.js';
import { KDateTime, type Value } from '../kql/values.js';
import type { ColumnDef, Row } from '../kql/table.js';

export interface RecordedHunt {
  readonly run: Run;
  readonly columns: readonly ColumnDef[];
  readonly rows: Row[];
  readonly merge: MergeResult;
  /** Events suppressed per active exclusion id. */
  readonly hits: ReadonlyMap<number, number>;
  readonly warnings: readonly string[];
}

export interface HuntRecorderDeps {
  readonly store: Store;
  /** Active, unexpired exclusions of a rule, expiring the due ones first. */
  readonly activeExclusions: (ruleId: string) => QueryExclusion[];
}

function stringSet(v: Value): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The hunt's summarized rows, as the store's FindingInput. Column positions come from the result's header. */
export function toFindingInputs(columns: readonly ColumnDef[], rows: readonly Row[]): FindingInput[] {
  const at = new Map(columns.map((c, i) => [c.name, i]));
  const need = ['DeviceId', 'DeviceName', 'RemoteUrl', 'FirstSeen', 'LastSeen', 'Report', 'Count'];
  const missing = need.filter((n) => !at.has(n));
  if (missing.length) throw new Error(`hunt: the rule's output lacks ${missing.join(', ')}, which findings are keyed and shown by`);
  const get = (r: Row, name: string): Value => (at.has(name) ? r[at.get(name)!] ?? null : null);
  return rows.map((r) => {
    const first = get(r, 'FirstSeen');
    const last = get(r, 'LastSeen');
    if (!(first instanceof KDateTime) || !(last instanceof KDateTime)) throw new Error('hunt: FirstSeen/LastSeen are not datetimes');
    const report = get(r, 'Report');
    return {
      deviceId: String(get(r, 'DeviceId') ?? ''),
      deviceName: String(get(r, 'DeviceName') ?? ''),
      remoteUrl: String(get(r, 'RemoteUrl') ?? ''),
      firstSeen: first,
      lastSeen: last,
      reportIds: Array.isArray(report) ? report.filter((x): x is number => typeof x === 'number') : [],
      count: Number(get(r, 'Count') ?? 0),
      enrichment: {
        Processes: stringSet(get(r, 'Processes')),
        ParentProcesses: stringSet(get(r, 'ParentProcesses')),
        Accounts: stringSet(get(r, 'Accounts')),
        RemoteIPs: stringSet(get(r, 'RemoteIPs')),
        Companies: stringSet(get(r, 'Companies')),
      },
    };
  });
}

function hitsFrom(res: SourceResult, exclusions: readonly QueryExclusion[]): Map<number, number> {
  const hits = new Map<number, number>();
  const row = res.rows[0] ?? [];
  const at = new Map(res.columns.map((c, i) => [c.name, i]));
  for (const x of exclusions) hits.set(x.id, Number(row[at.get(hitColumn(x.id)) ?? -1] ?? 0));
  return hits;
}

export async function recordHunt(
  deps: HuntRecorderDeps,
  req: { rule: Rule; source: EventSource; now: KDateTime; pinned: boolean; actor: string; signal?: AbortSignal },
): Promise<RecordedHunt> {
  const { store } = deps;
  const exclusions = deps.activeExclusions(req.rule.id);
  // Pinning is what makes a local run and an Azure run the same question; an unpinned Azure run keeps now().
  const clock = req.pinned || req.source.kind === 'local' ? req.now : undefined;
  const query = huntQuery({ rule: req.rule, now: clock, exclusions });
  const window = await huntWindow(req.rule.query, findAnchors(req.rule.query), req.now);
  const windowDates = window
    ? { start: new Date(window.start.ms), end: new Date(window.end.ms) }
    : { start: new Date(req.now.ms), end: new Date(req.now.ms) };
  const run = store.runs.start(
    {
      ruleId: req.rule.id,
      windowStart: windowDates.start,
      windowEnd: windowDates.end,
      source: req.source.kind,
      sourceDetail: req.source.description,
      kql: query,
    },
    req.actor,
  );

  let res: SourceResult;
  let hits = new Map<number, number>();
  let inputs: FindingInput[];
  try {
    const opts = { window: windowDates, ...(req.signal ? { signal: req.signal } : {}) };
    res = await req.source.query(query, opts);
    const hitsQuery = buildHitsQuery(req.rule.query, { now: clock, exclusions });
    if (hitsQuery) hits = hitsFrom(await req.source.query(hitsQuery, opts), exclusions);
    inputs = toFindingInputs(res.columns, res.rows);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    store.runs.finish(run.id, { status: 'failed', error: message }, req.actor);
    throw err;
  }

  const warnings = [...res.warnings, ...(res.partialError ? [`partial result: ${res.partialError}`] : [])];
  const { finished, merge } = store.transaction(() => {
    const merged = store.findings.mergeRunRows(req.rule.id, run.id, inputs, req.actor);
    if (hits.size) store.exclusions.recordHits(run.id, hits);
    const done = store.runs.finish(run.id, { status: res.status, rowCount: res.rows.length, warnings }, req.actor);
    return { finished: done, merge: merged };
  });
  return { run: finished, columns: res.columns, rows: res.rows, merge, hits, warnings };
}
