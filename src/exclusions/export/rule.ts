// `--format rule`: the tuned Sentinel hunting query YAML. The rule's own Sentinel fields and its other
// top-level fields (version, tags, entityMappings, ...) are kept; the product's own fields (scenarios, implied
// clauses) are not, since Sentinel does not know them. The query is the hunt's build of the rule's query with
// the exclusions before the first summarize, without the pinned clock or the triage enrichment, written as a
// block scalar that parses back to the same text.
import { Document, isScalar, parse, Scalar } from 'yaml';
import { buildHuntQuery } from '../../hunt/buildQuery.js';
import type { Exclusion } from '../../store/types.js';
import { isApplied, plural, queryExclusion, ruleLabel, safeId, safeInstant, SENTINEL_QUERY_LIMIT, type ExportRule } from './applied.js';
import { ExportError } from './exportError.js';

const PRODUCT_ONLY_KEYS = new Set(['scenarios', 'impliedClauses']);
const SENTINEL_KEYS = ['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query'];

/** The tuned query text, refused past Sentinel's limit. */
export function tunedQuery(rule: ExportRule, applied: readonly Exclusion[]): string {
  const query = buildHuntQuery(rule.query, { exclusions: applied.map(queryExclusion), enrich: false });
  if (query.length > SENTINEL_QUERY_LIMIT) {
    throw new ExportError(
      `export: the tuned query is ${query.length.toLocaleString('en-US')} characters with ${plural(applied.length, 'exclusion')} inline, ` +
        `over Sentinel's ${SENTINEL_QUERY_LIMIT.toLocaleString('en-US')}-character limit for a rule query; ` +
        'use --format watchlist, which keeps the exclusions in a Sentinel watchlist',
      'query_too_long',
    );
  }
  return query;
}

export function ruleYaml(rule: ExportRule, exclusions: readonly Exclusion[], generatedAt: Date): string {
  const applied = exclusions.filter((x) => isApplied(x, generatedAt));
  const query = tunedQuery(rule, applied);
  const fields: Record<string, unknown> = {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    requiredDataConnectors: rule.requiredDataConnectors,
    tactics: rule.tactics,
    relevantTechniques: rule.relevantTechniques,
    query,
  };
  for (const [k, v] of Object.entries(rule.extra)) {
    if (!PRODUCT_ONLY_KEYS.has(k) && !SENTINEL_KEYS.includes(k)) fields[k] = v;
  }
  const doc = new Document(fields);
  const node = doc.get('query', true);
  if (!isScalar(node)) throw new ExportError('export: the query did not become a YAML scalar', 'internal');
  node.type = Scalar.BLOCK_LITERAL;
  const description = doc.get('description', true);
  if (isScalar(description) && rule.description.includes('\n')) description.type = Scalar.BLOCK_LITERAL;
  const ids = applied.map((x) => safeId(x.id)).join(', ');
  doc.commentBefore = [
    ` Tuned by Parsec triage at ${safeInstant(generatedAt)}: ${ruleLabel(rule)} with ${plural(applied.length, 'exclusion')} applied${ids ? ` (${ids})` : ''}.`,
    " The query is the rule's own, plus one `| where not(...)` line per exclusion right before its first summarize.",
  ].join('\n');
  const text = doc.toString({ lineWidth: 0 });
  // The query must survive the trip through YAML byte for byte, and stay a block a person can read and edit.
  const back = parse(text) as { query?: unknown };
  if (back.query !== query || !/^query: \|[-+0-9]*$/m.test(text)) {
    throw new ExportError('export: the tuned query does not round-trip through YAML as a block scalar', 'internal');
  }
  return text;
}
