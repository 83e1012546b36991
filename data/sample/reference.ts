// A plain, independent reading of the seed rule over generated events: Kusto's term-based `has`, the
// inclusive 5-day window, and the summarize by exact DeviceId, DeviceName, RemoteUrl. Tests use it to check
// that each curated case lands on the intended side of the rule, and that the engine, reading the written
// file, finds exactly these findings.
import { RULE_DOMAINS } from './parsec.js';
import type { SampleEvent } from './model.js';

const DAY_MS = 86_400_000;

function isTermChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Kusto's `has`: case-insensitive, and the needle must start and end on term boundaries (ASCII letters/digits). */
export function has(haystack: string, needle: string): boolean {
  const h = haystack.toLowerCase();
  const n = needle.toLowerCase();
  if (n.length === 0) return true;
  const checkStart = isTermChar(n.charCodeAt(0));
  const checkEnd = isTermChar(n.charCodeAt(n.length - 1));
  for (let i = h.indexOf(n); i !== -1; i = h.indexOf(n, i + 1)) {
    const startOk = !checkStart || i === 0 || !isTermChar(h.charCodeAt(i - 1));
    const j = i + n.length;
    const endOk = !checkEnd || j === h.length || !isTermChar(h.charCodeAt(j));
    if (startOk && endOk) return true;
  }
  return false;
}

/** `Timestamp between (now(-5d) .. now())`, both ends included, to the 100 ns tick. */
export function inWindow(e: Pick<SampleEvent, 'ms' | 'sub'>, nowMs: number): boolean {
  const start = nowMs - 5 * DAY_MS;
  if (e.ms < start || e.ms > nowMs) return false;
  return e.ms < nowMs || e.sub === 0;
}

export function matchesUrlAndCompany(e: SampleEvent): boolean {
  return RULE_DOMAINS.some((d) => has(e.RemoteUrl, d)) && has(e.InitiatingProcessVersionInfoCompanyName, 'parsec');
}

export function matchesRule(e: SampleEvent, nowMs: number): boolean {
  return inWindow(e, nowMs) && matchesUrlAndCompany(e);
}

export interface ReferenceFinding {
  DeviceId: string;
  DeviceName: string;
  RemoteUrl: string;
  /** [ms, sub] of the first and last event. */
  first: [number, number];
  last: [number, number];
  reports: number[];
  count: number;
}

export function referenceFindings(events: Iterable<SampleEvent>, nowMs: number): ReferenceFinding[] {
  const groups = new Map<string, ReferenceFinding>();
  const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (const e of events) {
    if (!matchesRule(e, nowMs)) continue;
    const key = JSON.stringify([e.DeviceId, e.DeviceName, e.RemoteUrl]);
    const t: [number, number] = [e.ms, e.sub];
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { DeviceId: e.DeviceId, DeviceName: e.DeviceName, RemoteUrl: e.RemoteUrl, first: t, last: t, reports: [e.ReportId], count: 1 });
      continue;
    }
    if (before(t, g.first)) g.first = t;
    if (before(g.last, t)) g.last = t;
    if (!g.reports.includes(e.ReportId)) g.reports.push(e.ReportId);
    g.count += 1;
  }
  return [...groups.values()];
}
