// Finding rows as SQLite holds them, the mapping to and from the domain shape, and the list filter's SQL.
import { normalizeFindingId } from './findingId.js';
import type { ClosedReason, Finding, FindingEnrichment, FindingFilter, FindingState } from './types.js';

export interface FindingRow {
  id: string;
  rule_id: string;
  device_id: string;
  remote_url: string;
  device_name: string;
  device_names: string;
  first_seen: string;
  last_seen: string;
  report_ids: string;
  count: number;
  enrichment: string;
  state: FindingState;
  closed_reason: ClosedReason | null;
  closed_by_exclusion_id: number | null;
  closed_at: string | null;
  closed_last_seen: string | null;
  created_run_id: number | null;
  last_run_id: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export type Params = Record<string, string | number | null>;

export const COLUMNS = `id, rule_id, device_id, remote_url, device_name, device_names, first_seen, last_seen,
  report_ids, count, enrichment, state, closed_reason, closed_by_exclusion_id, closed_at, closed_last_seen,
  created_run_id, last_run_id, created_at, updated_at, version`;

/** The closure fields of a finding that is not closed. */
export const OPEN_FIELDS = {
  closedReason: null,
  closedByExclusionId: null,
  closedAt: null,
  closedLastSeen: null,
} as const;

export function listQuery(filter: FindingFilter): { sql: string; params: Params; shape: string } {
  const where: string[] = [];
  const params: Params = {};
  const state = filter.state ?? 'all';
  if (state === 'open') where.push("f.state IN ('open', 'recurring')");
  else if (state !== 'all') {
    where.push('f.state = @state');
    params.state = state;
  }
  const add = (key: keyof FindingFilter, clause: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    params[key] = value;
  };
  add('ruleId', 'f.rule_id = @ruleId', filter.ruleId);
  add('deviceId', 'f.device_id = @deviceId', filter.deviceId);
  add('remoteUrl', 'f.remote_url = @remoteUrl COLLATE NOCASE', filter.remoteUrl);
  add('deviceName', anyElement('f.device_names', '$', 'deviceName'), filter.deviceName);
  add('account', anyElement('f.enrichment', '$.Accounts', 'account'), filter.account);
  add('parent', anyElement('f.enrichment', '$.ParentProcesses', 'parent'), filter.parent);
  if (filter.closedByExclusionId !== undefined) {
    where.push('f.closed_by_exclusion_id = @closedByExclusionId');
    params.closedByExclusionId = filter.closedByExclusionId;
  }
  if (filter.ids !== undefined) {
    where.push('f.id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify(filter.ids.map(normalizeFindingId));
  }
  if (filter.limit !== undefined) params.limit = filter.limit;
  const sql = `SELECT ${COLUMNS} FROM findings f ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY f.last_seen DESC, f.id ${filter.limit !== undefined ? 'LIMIT @limit' : ''}`;
  return { sql, params, shape: `${state}|${Object.keys(params).sort().join(',')}` };
}

function anyElement(column: string, path: string, param: string): string {
  return `EXISTS (SELECT 1 FROM json_each(${column}, '${path}') j WHERE j.value = @${param} COLLATE NOCASE)`;
}

export function toFinding(r: FindingRow): Finding {
  return {
    id: r.id,
    ruleId: r.rule_id,
    deviceId: r.device_id,
    remoteUrl: r.remote_url,
    deviceName: r.device_name,
    deviceNames: JSON.parse(r.device_names) as string[],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    reportIds: JSON.parse(r.report_ids) as number[],
    count: r.count,
    enrichment: JSON.parse(r.enrichment) as FindingEnrichment,
    state: r.state,
    closedReason: r.closed_reason,
    closedByExclusionId: r.closed_by_exclusion_id,
    closedAt: r.closed_at,
    closedLastSeen: r.closed_last_seen,
    createdRunId: r.created_run_id,
    lastRunId: r.last_run_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function toParams(f: Finding): Params {
  return {
    id: f.id,
    rule_id: f.ruleId,
    device_id: f.deviceId,
    remote_url: f.remoteUrl,
    device_name: f.deviceName,
    device_names: JSON.stringify(f.deviceNames),
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    report_ids: JSON.stringify(f.reportIds),
    count: f.count,
    enrichment: JSON.stringify(f.enrichment),
    state: f.state,
    closed_reason: f.closedReason,
    closed_by_exclusion_id: f.closedByExclusionId,
    closed_at: f.closedAt,
    closed_last_seen: f.closedLastSeen,
    created_run_id: f.createdRunId,
    last_run_id: f.lastRunId,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    version: f.version,
  };
}

/** The state columns only: closing and reopening touch nothing else. */
export function stateParams(f: Finding): Params {
  return {
    id: f.id,
    state: f.state,
    closed_reason: f.closedReason,
    closed_by_exclusion_id: f.closedByExclusionId,
    closed_at: f.closedAt,
    closed_last_seen: f.closedLastSeen,
    updated_at: f.updatedAt,
    version: f.version,
  };
}
