// The hunt summary: what a run did. A failed run says FAILED with its error and never reads as "no findings",
// since nothing was looked at; a partial one says its results are incomplete. A scheduled run's summary is
// posted on its own (no finding cards follow it), so it lists the new and recurring findings itself.
import { adaptiveCard, callout, execute, facts, heading, subtle, text } from './elements.js';
import { plural } from './format.js';
import { clip, escapeBlock, md } from './markdown.js';
import type { AdaptiveCard, CardElement } from './types.js';
import { VERBS } from './verbs.js';

export interface HuntSummaryView {
  readonly runId: number | string;
  /** The run status: 'ok', 'partial' or 'failed'. */
  readonly status: string;
  /** Summarized rows the query returned. */
  readonly rows: number;
  readonly created: number;
  readonly reopened: number;
  readonly suppressed: readonly { readonly exclusionId: number | string; readonly hits: number }[];
  readonly warnings: readonly string[];
  readonly error?: string;
  /** The new and reopened findings still open after the run. */
  readonly fresh?: readonly FreshFindingView[];
  /** Who started it: a scheduled run says so, since nobody in the conversation asked for it. */
  readonly trigger?: 'chat' | 'schedule';
}

export interface FreshFindingView {
  readonly id: string;
  readonly device: string;
  readonly url: string;
  /** Reopened by new activity after a disposition, rather than never seen before. */
  readonly recurring: boolean;
}

const MAX_WARNINGS = 8;
const MAX_SUPPRESSED = 10;
const MAX_FRESH = 10;

const title = (h: HuntSummaryView): string => `${h.trigger === 'schedule' ? 'Scheduled hunt' : 'Hunt'} run ${String(h.runId)}`;

/** Scheduled runs only: in chat the finding cards themselves follow the summary. */
function freshBlocks(h: HuntSummaryView): CardElement[] {
  if (h.trigger !== 'schedule' || !h.fresh?.length) return [];
  const rows = h.fresh.slice(0, MAX_FRESH).map((f) => [clip(f.id, 20), `${f.recurring ? 'recurring' : 'new'} · ${clip(f.device, 60)} → ${clip(f.url, 80)}`] as const);
  const more = h.fresh.length > MAX_FRESH ? [subtle(md`(+${h.fresh.length - MAX_FRESH} more: Start triage walks through them all)`)] : [];
  return [subtle(md`To triage`, { spacing: 'Small' }), facts(rows, { spacing: 'None' }), ...more];
}

function failed(h: HuntSummaryView): AdaptiveCard {
  return adaptiveCard(
    [
      heading(md`${title(h)} FAILED`, { color: 'Attention' }),
      callout(h.error ? escapeBlock(clip(h.error, 1500)) : md`The run failed without an error message.`, 'error'),
      text(md`The run did not complete, so it says nothing about what is out there. Findings from earlier runs are unchanged.`),
      ...warningBlocks(h),
    ],
    [execute('Run again', { verb: VERBS.huntRun }), execute('Help', { verb: VERBS.help })],
  );
}

function warningBlocks(h: HuntSummaryView): CardElement[] {
  if (!h.warnings.length) return [];
  const more = h.warnings.length > MAX_WARNINGS ? [subtle(md`(+${h.warnings.length - MAX_WARNINGS} more warnings)`)] : [];
  return [
    heading(md`Warnings`, { size: 'Default', separator: true }),
    ...h.warnings.slice(0, MAX_WARNINGS).map((w) => text(md`⚠ ${clip(w, 300)}`, { color: 'Warning', size: 'Small', spacing: 'Small' })),
    ...more,
  ];
}

export function huntSummaryCard(h: HuntSummaryView): AdaptiveCard {
  if (h.status === 'failed' || h.error !== undefined) return failed(h);
  const hits = h.suppressed.reduce((n, s) => n + s.hits, 0);
  const suppressed = h.suppressed.slice(0, MAX_SUPPRESSED).map((s) => [`Exclusion ${clip(String(s.exclusionId), 20)}`, plural(s.hits, 'event')] as const);
  const moreSuppressed = h.suppressed.length > MAX_SUPPRESSED ? [subtle(md`(+${h.suppressed.length - MAX_SUPPRESSED} more exclusions)`)] : [];
  const nothingNew = h.created + h.reopened === 0 ? [text(md`Nothing new to triage from this run.`)] : [];
  return adaptiveCard(
    [
      heading(md`${title(h)} finished`),
      ...(h.status === 'partial' ? [callout(md`Partial results: the source returned only part of the data; some events may be missing.`, 'warning')] : []),
      facts([
        ['Status', clip(h.status, 40)],
        ['Rows', String(h.rows)],
        ['New findings', String(h.created)],
        ['Reopened', String(h.reopened)],
        ['Suppressed', h.suppressed.length ? `${plural(hits, 'event')} by ${plural(h.suppressed.length, 'exclusion')}` : 'none'],
      ]),
      ...nothingNew,
      ...freshBlocks(h),
      ...(suppressed.length ? [subtle(md`Suppressed per exclusion`, { spacing: 'Small' }), facts(suppressed, { spacing: 'None' }), ...moreSuppressed] : []),
      ...warningBlocks(h),
    ],
    [
      execute('Start triage', { verb: VERBS.triageNext }, 'positive'),
      execute('Bulk mark', { verb: VERBS.bulkOpen, groupBy: 'url', page: 1 }),
      execute('Exclusions', { verb: VERBS.exclusionsOpen }),
    ],
  );
}
