// `--format kql`: the `| where not(...)` lines to paste into a query, right before its first summarize. Each
// line is the hunt's own line for that exclusion (exclusionClauses, the same compile path), with its trailing
// `// exclusion N` comment extended by scenario, scope and expiry: numbers and fixed words only.
import { exclusionClauses } from '../../hunt/buildQuery.js';
import type { Exclusion } from '../../store/types.js';
import { exclusionLabel, isApplied, plural, queryExclusion, ruleLabel, safeInstant, type ExportRule } from './applied.js';
import { ExportError } from './exportError.js';

/** The hunt's line for one exclusion, comment extended; without the newline. */
export function kqlLine(x: Exclusion): string {
  const clause = exclusionClauses([queryExclusion(x)]).replace(/\n$/, '');
  const tail = `// exclusion ${x.id}`;
  if (!clause.endsWith(tail)) throw new ExportError(`export: exclusion ${x.id}: the hunt's clause has an unexpected form`, 'internal');
  return `${clause}${exclusionLabel(x).slice(tail.length - 3)}`;
}

export function kqlBlock(rule: ExportRule, exclusions: readonly Exclusion[], generatedAt: Date): string {
  const applied = exclusions.filter((x) => isApplied(x, generatedAt));
  const skipped = exclusions.length - applied.length;
  const header = [
    `// Parsec triage: ${plural(applied.length, 'exclusion')} of ${ruleLabel(rule)}, as applied at ${safeInstant(generatedAt)}` +
      (skipped ? ` (${skipped} more not applied: proposed, rejected, revoked or expired).` : '.'),
    "// Paste these lines right before the query's first `| summarize`, so they drop events, not whole findings;",
    "// each is the hunt's own line for that exclusion.",
  ];
  const lines = applied.length ? applied.map(kqlLine) : ['// (no exclusion applies)'];
  return `${[...header, ...lines].join('\n')}\n`;
}
