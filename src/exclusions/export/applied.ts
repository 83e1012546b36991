// What every export format starts from: the rule's exclusions checked against the rule, the subset a hunt at
// the export time would apply (the same filter and order as ExclusionsRepo.active), and comment text that is
// built from numbers and fixed words only, so no user value can ever reach a KQL or YAML comment.
import type { QueryExclusion } from '../../hunt/buildQuery.js';
import type { Rule } from '../../rules/types.js';
import type { Exclusion } from '../../store/types.js';
import { ExclusionError } from '../errors.js';
import { toQueryExclusion } from '../compile.js';
import { ExportError } from './exportError.js';

/** The rule fields an export reads (a loaded Rule has them all). */
export type ExportRule = Pick<
  Rule,
  'id' | 'name' | 'description' | 'requiredDataConnectors' | 'tactics' | 'relevantTechniques' | 'query' | 'slug' | 'extra'
>;

/** Sentinel's limit on a scheduled rule's query text. */
export const SENTINEL_QUERY_LIMIT = 10_000;

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The rule's exclusions sorted by id; an exclusion of another rule is the caller's mistake. */
export function ruleExclusions(rule: ExportRule, exclusions: readonly Exclusion[]): Exclusion[] {
  for (const x of exclusions) {
    if (x.ruleId !== rule.id) {
      throw new ExportError(`export: exclusion ${x.id} belongs to another rule than ${ruleLabel(rule)}`, 'invalid');
    }
  }
  return [...exclusions].sort((a, b) => a.id - b.id);
}

/** Active and not past its expiry at `at`: what a hunt at that moment applies. */
export function isApplied(x: Exclusion, at: Date): boolean {
  return x.state === 'active' && (x.expiresAt === null || x.expiresAt > at.toISOString());
}

/** The hunt's own compilation of a stored exclusion, with a stored row's validation failure as an export error. */
export function queryExclusion(x: Exclusion): QueryExclusion {
  try {
    return toQueryExclusion(x);
  } catch (e) {
    if (e instanceof ExclusionError) throw new ExportError(`export: ${e.message}`, 'internal');
    throw e;
  }
}

/** The rule id when it is a GUID (it is, for a loaded rule), else a fixed word: safe inside a comment. */
export function ruleLabel(rule: Pick<ExportRule, 'id'>): string {
  return GUID_RE.test(rule.id) ? `rule ${rule.id}` : 'the rule';
}

/** An ISO-8601 instant re-rendered from its parsed value, so only digits and fixed characters come out. */
export function safeInstant(text: string | Date): string {
  const d = typeof text === 'string' ? new Date(text) : text;
  if (!Number.isFinite(d.getTime())) throw new ExportError(`export: not a valid time: ${JSON.stringify(String(text))}`, 'internal');
  return d.toISOString();
}

/** `exclusion 4: scenario 3, device scope, expires 2024-08-08T12:00:00.000Z`: ids, numbers and fixed words. */
export function exclusionLabel(x: Exclusion): string {
  const scenario = Number.isSafeInteger(x.scenario) ? `scenario ${x.scenario}` : 'no scenario';
  const scope = x.scope === 'device' ? 'device scope' : 'rule scope';
  const expires = x.expiresAt === null ? 'no expiry' : `expires ${safeInstant(x.expiresAt)}`;
  return `exclusion ${safeId(x.id)}: ${scenario}, ${scope}, ${expires}`;
}

export function safeId(id: number): number {
  if (!Number.isSafeInteger(id)) throw new ExportError(`export: exclusion id ${String(id)} is not an integer`, 'internal');
  return id;
}

/** A file-name stem from the rule's slug, reduced to characters every file system and shell takes. */
export function fileStem(rule: Pick<ExportRule, 'slug'>): string {
  const stem = rule.slug.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return stem || 'rule';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
