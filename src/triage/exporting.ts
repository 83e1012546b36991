// Everything an export needs, read from the store: the rule's exclusions (all states: the json and csv
// formats carry history, the query formats keep what a hunt would apply), their hit totals and sources.
// The CLI writes the files; the bot (later) uploads or shows them.
import type { Rule } from '../rules/index.js';
import type { Store } from '../store/index.js';
import { exportExclusions, type ExportFormat, type ExportResult } from '../exclusions/export/index.js';

export function exportRuleExclusions(store: Store, rule: Rule, format: ExportFormat, opts: { now: Date; watchlistAlias?: string | undefined }): ExportResult {
  const exclusions = store.exclusions.list({ ruleId: rule.id });
  const hits = new Map<number, number>();
  for (const x of exclusions) hits.set(x.id, store.exclusions.hitsFor(x.id).reduce((sum, h) => sum + h.hits, 0));
  const sources = new Map(
    exclusions.map((x) => [
      x.id,
      store.exclusions.sources(x.id).flatMap((id) => {
        const d = store.dispositions.get(id);
        return d ? [{ findingId: d.findingId, analystId: d.analystId, createdAt: d.createdAt }] : [];
      }),
    ]),
  );
  return exportExclusions(format, { rule, exclusions, generatedAt: opts.now, hits, sources, watchlistAlias: opts.watchlistAlias });
}
