// Exporting a rule's tuned exclusions in the forms SOC engineers paste into Sentinel and Defender, and the
// canonical form `triage import` reads back. Pure: the caller loads the rule and the exclusions (all of the
// rule's, any state; the query formats apply only those a hunt would apply at `generatedAt`).
import type { Exclusion } from '../../store/types.js';
import { fileStem, ruleExclusions, type ExportRule } from './applied.js';
import { peopleCsv } from './csv.js';
import { ExportError } from './exportError.js';
import { exclusionsFile, exclusionsJson, type ExclusionSourceRef } from './json.js';
import { kqlBlock } from './kql.js';
import { ruleYaml } from './rule.js';
import { DEFAULT_WATCHLIST_ALIAS, watchlistExport } from './watchlist.js';

export const EXPORT_FORMATS = ['kql', 'rule', 'watchlist', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput {
  readonly rule: ExportRule;
  readonly exclusions: readonly Exclusion[];
  readonly generatedAt: Date;
  /** The watchlist's alias for `_GetWatchlist` (watchlist format; default parsec_exclusions). */
  readonly watchlistAlias?: string | undefined;
  /** Suppressed-event counts per exclusion id, for the csv format's hits column. */
  readonly hits?: ReadonlyMap<number, number> | undefined;
  /** What each exclusion was learned from, for the json format. */
  readonly sources?: ReadonlyMap<number, readonly ExclusionSourceRef[]> | undefined;
}

export interface ExportFile {
  readonly name: string;
  readonly mediaType: string;
  readonly content: string;
}

export interface ExportResult {
  /** One file; two for the watchlist format (the CSV, then the query that applies it). */
  readonly files: ExportFile[];
  /** Things the caller should tell the user (e.g. a watchlist query still over Sentinel's limit). */
  readonly warnings: string[];
}

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

export function exportExclusions(format: ExportFormat, input: ExportInput): ExportResult {
  const { rule, generatedAt } = input;
  if (!Number.isFinite(generatedAt.getTime())) throw new ExportError('export: generatedAt is not a valid time', 'invalid');
  const exclusions = ruleExclusions(rule, input.exclusions);
  const stem = fileStem(rule);
  switch (format) {
    case 'kql':
      return one(`${stem}.exclusions.kql`, 'text/plain; charset=utf-8', kqlBlock(rule, exclusions, generatedAt));
    case 'rule':
      return one(`${stem}.tuned.yaml`, 'application/yaml', ruleYaml(rule, exclusions, generatedAt));
    case 'json':
      return one(`${stem}.exclusions.json`, 'application/json', exclusionsJson(exclusionsFile(rule, exclusions, generatedAt, input.sources)));
    case 'csv':
      return one(`${stem}.exclusions.csv`, 'text/csv; charset=utf-8; header=present', peopleCsv(exclusions, input.hits));
    case 'watchlist': {
      const w = watchlistExport(rule, exclusions, generatedAt, input.watchlistAlias);
      const alias = input.watchlistAlias ?? DEFAULT_WATCHLIST_ALIAS;
      return {
        files: [
          { name: `${alias}.csv`, mediaType: 'text/csv; charset=utf-8; header=present', content: w.csv },
          { name: `${alias}.kql`, mediaType: 'text/plain; charset=utf-8', content: w.kql },
        ],
        warnings: w.warnings,
      };
    }
    default:
      throw new ExportError(`export: unknown format '${String(format)}' (formats: ${EXPORT_FORMATS.join(', ')})`, 'invalid');
  }
}

function one(name: string, mediaType: string, content: string): ExportResult {
  return { files: [{ name, mediaType, content }], warnings: [] };
}

export { ExportError, type ExportErrorCode } from './exportError.js';
export { SENTINEL_QUERY_LIMIT, type ExportRule } from './applied.js';
export { DEFAULT_WATCHLIST_ALIAS };
export { neutralizeFormula } from './csvText.js';
export {
  EXCLUSIONS_FILE_FORMAT,
  EXCLUSIONS_FILE_VERSION,
  type ExclusionsFile,
  type ExclusionsFileEntry,
  type ExclusionSourceRef,
} from './json.js';
