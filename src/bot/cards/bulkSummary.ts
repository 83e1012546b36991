// The result of one bulk submit: what was marked, what already was, and the exclusions it proposed.
import { adaptiveCard, execute, facts, heading, subtle } from './elements.js';
import { plural, shortIds, words } from './format.js';
import { clip, md } from './markdown.js';
import type { AdaptiveCard } from './types.js';
import { VERBS } from './verbs.js';

export interface BulkSummaryView {
  /** A mark word (benign, tp, fp, undetermined) or Sentinel's classification. */
  readonly classification: string;
  readonly marked: readonly string[];
  /** Already so: nothing was written for them. */
  readonly unchanged: readonly string[];
  readonly exclusions: readonly { readonly id: number | string; readonly state: string; readonly closed: number }[];
  readonly by: string;
}

const CLASSIFICATION_WORDS: Record<string, string> = { benign: 'Benign Positive', tp: 'True Positive', fp: 'False Positive', undetermined: 'Undetermined' };
const SHOWN_IDS = 10;
const SHOWN_EXCLUSIONS = 10;

export function bulkSummaryCard(s: BulkSummaryView): AdaptiveCard {
  const as = CLASSIFICATION_WORDS[s.classification] ?? words(s.classification);
  const ids = (list: readonly string[]): string => shortIds(list.map((id) => clip(id, 40)), SHOWN_IDS);
  const rows: (readonly [string, string])[] = [['Marked', s.marked.length ? ids(s.marked) : 'none']];
  if (s.unchanged.length) rows.push(['Already so', ids(s.unchanged)]);
  const exclusions = s.exclusions.slice(0, SHOWN_EXCLUSIONS).map((x) => [`Exclusion ${clip(String(x.id), 20)}`, `${clip(x.state, 20)} · closed ${plural(x.closed, 'finding')}`] as const);
  const more = s.exclusions.length > SHOWN_EXCLUSIONS ? [subtle(md`(+${s.exclusions.length - SHOWN_EXCLUSIONS} more exclusions)`)] : [];
  return adaptiveCard(
    [
      heading(md`${clip(s.by, 100)} marked ${plural(s.marked.length, 'finding')} ${as}`),
      facts(rows),
      ...(exclusions.length ? [subtle(md`Exclusions`, { spacing: 'Small' }), facts(exclusions, { spacing: 'None' }), ...more] : []),
    ],
    [
      execute('Next finding', { verb: VERBS.triageNext }, 'positive'),
      execute('Bulk mark more', { verb: VERBS.bulkOpen, groupBy: 'url', page: 1 }),
      ...(s.exclusions.length ? [execute('Exclusions', { verb: VERBS.exclusionsOpen })] : []),
    ],
  );
}
