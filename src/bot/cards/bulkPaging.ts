// Grouping and paging for the bulk card. Pages count findings, not groups, so every page has a bounded size
// however the findings fall into groups; a group split across pages says so.
import type { GroupBy } from './verbs.js';

export interface BulkFinding {
  readonly id: string;
  readonly device: string;
  readonly url: string;
  readonly accounts: readonly string[];
  readonly parents: readonly string[];
  readonly lastSeen: string;
  readonly count: number;
  /** The finding's version, so a bulk submit over changed findings is detected as stale. */
  readonly version?: number;
}

export interface BulkGroup {
  readonly key: string;
  readonly findings: readonly BulkFinding[];
  /** Findings in the whole group, when this page holds only part of it. */
  readonly size?: number;
}

export interface BulkPage {
  readonly groups: BulkGroup[];
  /** 1-based, clamped to 1..pageCount. */
  readonly page: number;
  /** At least 1, even with no findings. */
  readonly pageCount: number;
  readonly total: number;
}

/** 20 one-line choices keep the card readable and far under the size limit (see the bulk size tests). */
export const BULK_PAGE_SIZE = 20;

const NONE = '(none)';

/** A finding with several accounts (or parents) is grouped under all of them together. */
export function groupKey(f: BulkFinding, groupBy: GroupBy): string {
  if (groupBy === 'url') return f.url || NONE;
  const values = groupBy === 'account' ? f.accounts : f.parents;
  return values.length ? [...values].sort().join(', ') : NONE;
}

/** Largest groups first, then by key; findings keep their given order within a group. */
export function groupFindings(findings: readonly BulkFinding[], groupBy: GroupBy): BulkGroup[] {
  const byKey = new Map<string, BulkFinding[]>();
  for (const f of findings) {
    const key = groupKey(f, groupBy);
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  return [...byKey.entries()]
    .sort(([a, fa], [b, fb]) => fb.length - fa.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, fs]) => ({ key, findings: fs }));
}

export function pageCountFor(total: number, pageSize = BULK_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function clampPage(page: number, pageCount: number): number {
  if (!Number.isFinite(page)) return 1;
  return Math.min(Math.max(1, Math.trunc(page)), pageCount);
}

/** Page `page` (1-based) of the findings, in group order. */
export function bulkPage(groups: readonly BulkGroup[], page: number, pageSize = BULK_PAGE_SIZE): BulkPage {
  const total = groups.reduce((n, g) => n + g.findings.length, 0);
  const pageCount = pageCountFor(total, pageSize);
  const at = clampPage(page, pageCount);
  const start = (at - 1) * pageSize;
  const end = start + pageSize;
  const out: BulkGroup[] = [];
  let offset = 0;
  for (const g of groups) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, g.findings.length);
    if (from < to) out.push({ key: g.key, findings: g.findings.slice(from, to), size: g.size ?? g.findings.length });
    offset += g.findings.length;
    if (offset >= end) break;
  }
  return { groups: out, page: at, pageCount, total };
}
