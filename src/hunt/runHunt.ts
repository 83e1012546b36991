// One hunt: build the final query for a rule, send it to the source, and hand back typed findings.
import type { EventSource } from '../sources/eventSource.js';
import type { ColumnDef, Row } from '../kql/table.js';
import { KDateTime } from '../kql/values.js';
import { buildHuntQuery, findAnchors, type QueryExclusion } from './buildQuery.js';
import { huntWindow, type HuntWindow } from './window.js';

export interface HuntRule {
  readonly id: string;
  readonly query: string;
}

export interface HuntRequest {
  readonly rule: HuntRule;
  readonly source: EventSource;
  /** Pinned clock; otherwise the current time. */
  readonly now?: KDateTime | undefined;
  readonly exclusions?: readonly QueryExclusion[];
  readonly signal?: AbortSignal;
}

export interface HuntOutcome {
  readonly ruleId: string;
  readonly query: string;
  readonly window: HuntWindow | undefined;
  readonly columns: readonly ColumnDef[];
  readonly rows: Row[];
  readonly status: 'ok' | 'partial';
  readonly partialError: string | undefined;
  readonly warnings: readonly string[];
}

/** The final KQL, exactly as it would be sent (also what `triage query` prints). */
export function huntQuery(req: Pick<HuntRequest, 'rule' | 'now' | 'exclusions'>): string {
  return buildHuntQuery(req.rule.query, { now: req.now, exclusions: req.exclusions ?? [] });
}

export async function runHunt(req: HuntRequest): Promise<HuntOutcome> {
  const now = req.now ?? KDateTime.fromDate(new Date());
  const query = huntQuery(req);
  const window = await huntWindow(req.rule.query, findAnchors(req.rule.query), now);
  const res = await req.source.query(query, {
    ...(window ? { window: { start: new Date(window.start.ms), end: new Date(window.end.ms) } } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });
  return {
    ruleId: req.rule.id,
    query,
    window,
    columns: res.columns,
    rows: res.rows,
    status: res.status,
    partialError: res.partialError,
    warnings: res.warnings,
  };
}
