// The pure half of merging a run into the findings: validate and normalize the run's rows, fold rows that share
// a key (the query groups by DeviceName too, so one DeviceId + RemoteUrl can come back as two rows), and widen
// a stored finding with what a run saw.
import { StoreError } from './errors.js';
import { eventTime } from './time.js';
import { ENRICHMENT_KEYS, type FindingEnrichment, type FindingInput } from './types.js';

/** The fields a run contributes to a finding. */
export interface SeenFields {
  deviceName: string;
  deviceNames: string[];
  firstSeen: string;
  lastSeen: string;
  reportIds: number[];
  count: number;
  enrichment: FindingEnrichment;
}

export interface RunGroup extends SeenFields {
  deviceId: string;
  remoteUrl: string;
}

export function emptyEnrichment(): FindingEnrichment {
  return { Processes: [], ParentProcesses: [], Accounts: [], RemoteIPs: [], Companies: [] };
}

export function combineRunRows(rows: readonly FindingInput[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  rows.forEach((row, i) => {
    const g = normalizeRow(row, i);
    const key = JSON.stringify([g.deviceId, g.remoteUrl]);
    const prev = groups.get(key);
    if (!prev) {
      groups.set(key, g);
      return;
    }
    // Same run, same window, different DeviceName group: disjoint events, so counts add.
    groups.set(key, { ...prev, ...widen(prev, g), count: prev.count + g.count });
  });
  return [...groups.values()];
}

/** A stored finding widened by a run: seen-times widen, sets union, count is the run's. */
export function widen(existing: SeenFields, incoming: SeenFields): SeenFields {
  const enrichment = emptyEnrichment();
  for (const k of ENRICHMENT_KEYS) enrichment[k] = unionStrings(existing.enrichment[k], incoming.enrichment[k]);
  return {
    deviceName: incoming.lastSeen >= existing.lastSeen ? incoming.deviceName : existing.deviceName,
    deviceNames: unionStrings(existing.deviceNames, incoming.deviceNames),
    firstSeen: incoming.firstSeen < existing.firstSeen ? incoming.firstSeen : existing.firstSeen,
    lastSeen: incoming.lastSeen > existing.lastSeen ? incoming.lastSeen : existing.lastSeen,
    reportIds: unionNumbers(existing.reportIds, incoming.reportIds),
    count: incoming.count,
    enrichment,
  };
}

export function sameSeen(a: SeenFields, b: SeenFields): boolean {
  return (
    a.deviceName === b.deviceName &&
    a.firstSeen === b.firstSeen &&
    a.lastSeen === b.lastSeen &&
    a.count === b.count &&
    sameList(a.deviceNames, b.deviceNames) &&
    sameList(a.reportIds, b.reportIds) &&
    ENRICHMENT_KEYS.every((k) => sameList(a.enrichment[k], b.enrichment[k]))
  );
}

function normalizeRow(row: FindingInput, i: number): RunGroup {
  const where = `findings: rows[${i}]`;
  for (const k of ['deviceId', 'deviceName', 'remoteUrl'] as const) {
    if (typeof row[k] !== 'string') {
      throw new StoreError(`${where}.${k}: expected a string, got ${show(row[k])}`, 'invalid');
    }
  }
  const firstSeen = eventTime(row.firstSeen);
  if (firstSeen === null) throw new StoreError(`${where}.firstSeen: not a datetime: ${show(row.firstSeen)}`, 'invalid');
  const lastSeen = eventTime(row.lastSeen);
  if (lastSeen === null) throw new StoreError(`${where}.lastSeen: not a datetime: ${show(row.lastSeen)}`, 'invalid');
  if (firstSeen > lastSeen) {
    throw new StoreError(`${where}: firstSeen ${firstSeen} is after lastSeen ${lastSeen}`, 'invalid');
  }
  if (!Number.isSafeInteger(row.count) || row.count < 0) {
    throw new StoreError(`${where}.count: expected a non-negative integer, got ${show(row.count)}`, 'invalid');
  }
  if (!Array.isArray(row.reportIds) || !row.reportIds.every((r) => typeof r === 'number' && Number.isFinite(r))) {
    throw new StoreError(`${where}.reportIds: expected an array of numbers`, 'invalid');
  }
  const enrichment = emptyEnrichment();
  for (const k of ENRICHMENT_KEYS) {
    const values = row.enrichment?.[k] ?? [];
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
      throw new StoreError(`${where}.enrichment.${k}: expected an array of strings`, 'invalid');
    }
    enrichment[k] = unionStrings([], values);
  }
  return {
    deviceId: row.deviceId,
    remoteUrl: row.remoteUrl,
    deviceName: row.deviceName,
    deviceNames: [row.deviceName],
    firstSeen,
    lastSeen,
    reportIds: unionNumbers([], row.reportIds),
    count: row.count,
    enrichment,
  };
}

function unionStrings(a: readonly string[], b: readonly string[]): string[] {
  // Code-unit order, the same in every process and locale.
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function unionNumbers(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
