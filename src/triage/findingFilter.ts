// The `--where` filter for bulk marking: `field=value` (case-insensitive equality) or `field~value`
// (case-insensitive substring), AND-ed, with optional "quotes" around values that hold spaces. Small on
// purpose: it selects findings, and every field maps to one the store can show back.
import type { Finding, FindingFilter } from '../store/index.js';
import { TriageError } from './errors.js';

export const FILTER_FIELDS = ['device', 'deviceid', 'url', 'account', 'parent', 'process', 'state'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export interface FilterClause {
  readonly field: FilterField;
  readonly op: '=' | '~';
  readonly value: string;
}

const CLAUSE_RE = /\s*([A-Za-z]+)\s*(=|~)\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s"']+))\s*/y;

export function parseFindingFilter(text: string): FilterClause[] {
  const clauses: FilterClause[] = [];
  let pos = 0;
  const src = text.trim();
  if (!src) throw new TriageError('bad-input', 'filter: empty; write e.g. url=stun.parsec.app account=ITSecurity');
  while (pos < src.length) {
    CLAUSE_RE.lastIndex = pos;
    const m = CLAUSE_RE.exec(src);
    if (!m) throw new TriageError('bad-input', `filter: cannot read ${JSON.stringify(src.slice(pos))}; write field=value or field~value`);
    const field = m[1]!.toLowerCase();
    if (!(FILTER_FIELDS as readonly string[]).includes(field)) {
      throw new TriageError('bad-input', `filter: unknown field '${m[1]}'; fields: ${FILTER_FIELDS.join(', ')}`);
    }
    const raw = m[3] ?? m[4] ?? m[5] ?? '';
    const value = raw.replace(/\\(.)/g, '$1');
    if (field === 'state' && !['open', 'recurring', 'closed', 'all'].includes(value.toLowerCase())) {
      throw new TriageError('bad-input', `filter: state=${JSON.stringify(value)}: must be open, recurring, closed or all`);
    }
    clauses.push({ field: field as FilterField, op: m[2] as '=' | '~', value });
    pos = CLAUSE_RE.lastIndex;
    // "and" between clauses reads naturally; allow it.
    const and = /^and\s+/i.exec(src.slice(pos));
    if (and) pos += and[0].length;
  }
  return clauses;
}

/** What the store can filter on directly (exact, case-insensitive); the rest is checked in memory. */
export function storeFilter(clauses: readonly FilterClause[], defaultState: FindingFilter['state']): FindingFilter {
  const f: FindingFilter = { state: defaultState };
  for (const c of clauses) {
    if (c.op !== '=') continue;
    if (c.field === 'state') f.state = c.value.toLowerCase() as FindingFilter['state'];
    else if (c.field === 'deviceid') f.deviceId = c.value;
    else if (c.field === 'url') f.remoteUrl = c.value;
    else if (c.field === 'account') f.account = c.value;
    else if (c.field === 'parent') f.parent = c.value;
  }
  return f;
}

function values(f: Finding, field: FilterField): string[] {
  switch (field) {
    case 'device': return [f.deviceName, ...f.deviceNames, f.deviceId];
    case 'deviceid': return [f.deviceId];
    case 'url': return [f.remoteUrl];
    case 'account': return f.enrichment.Accounts;
    case 'parent': return f.enrichment.ParentProcesses;
    case 'process': return f.enrichment.Processes;
    case 'state': return [f.state];
  }
}

export function matchesFilter(f: Finding, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => {
    const want = c.value.toLowerCase();
    if (c.field === 'state' && c.op === '=') {
      return want === 'all' || f.state === want || (want === 'open' && f.state === 'recurring');
    }
    return values(f, c.field).some((v) => (c.op === '=' ? v.toLowerCase() === want : v.toLowerCase().includes(want)));
  });
}
