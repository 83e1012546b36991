// The bulk card: one page of open findings, grouped by URL, account or parent, as one multi-select list, with
// the classification, scenario, exclude toggle and comment that one submit applies to every selected finding.
// It pages itself when handed more findings than fit, so every card stays under the size limit.
import { adaptiveCard, callout, choiceSet, execute, facts, heading, subtle, text } from './elements.js';
import { classificationInput, commentInput, excludeInput, fpReasonInput, scenarioInput } from './forms.js';
import { plural, shortTime } from './format.js';
import { BULK_PAGE_SIZE, bulkPage, clampPage, type BulkFinding, type BulkGroup, type BulkPage } from './bulkPaging.js';
import { clip, md } from './markdown.js';
import type { ScenarioView } from './scenarios.js';
import type { AdaptiveCard, CardAction, CardElement, Choice } from './types.js';
import { GROUP_BYS, INPUT_IDS, VERBS, type BulkOpenData, type BulkSubmitData, type GroupBy } from './verbs.js';

export interface BulkCardInput {
  readonly groupBy: GroupBy;
  /**
   * One page of groups (at most BULK_PAGE_SIZE findings; page/pageCount/total then describe it), or every
   * group: with more findings than a page holds, the card takes page `page` of them itself and works out
   * pageCount and total.
   */
  readonly groups: readonly BulkGroup[];
  /** 1-based. */
  readonly page: number;
  readonly pageCount?: number;
  readonly total?: number;
  readonly scenarios: readonly ScenarioView[];
  /** The finding filter the list was drawn with (findingFilter syntax), carried through paging. */
  readonly filter?: string;
  readonly note?: string;
}

const GROUP_WORD: Record<GroupBy, string> = { url: 'URL', account: 'account', parent: 'parent process' };
const LIST = (values: readonly string[]): string => (values.length ? values.slice(0, 3).map((v) => clip(v, 30)).join(', ') + (values.length > 3 ? ` +${values.length - 3}` : '') : '—');

function choiceTitle(key: string, f: BulkFinding, groupBy: GroupBy): string {
  const device = clip(f.device, 40);
  const url = clip(f.url, 50);
  const context = groupBy === 'url' ? [device, LIST(f.accounts), LIST(f.parents)] : groupBy === 'account' ? [url, device, LIST(f.parents)] : [url, device, LIST(f.accounts)];
  return clip(`${clip(key, 40)} › ${context.join(' · ')} · ${f.count}× · last ${shortTime(f.lastSeen)}`, 180);
}

function pageOf(b: BulkCardInput): BulkPage {
  const shown = b.groups.reduce((n, g) => n + g.findings.length, 0);
  if (shown > BULK_PAGE_SIZE) return bulkPage(b.groups, b.page);
  const pageCount = Math.max(1, b.pageCount ?? 1);
  return { groups: [...b.groups], page: clampPage(b.page, pageCount), pageCount, total: b.total ?? shown };
}

function withFilter<T extends object>(data: T, filter: string | undefined): T & { filter?: string } {
  return filter === undefined ? data : { ...data, filter: clip(filter, 300) };
}

function navigation(b: BulkCardInput, p: BulkPage): CardAction[] {
  const open = (title: string, groupBy: GroupBy, page: number): CardAction =>
    execute(title, withFilter<BulkOpenData>({ verb: VERBS.bulkOpen, groupBy, page }, b.filter));
  return [
    ...(p.page > 1 ? [open('Previous page', b.groupBy, p.page - 1)] : []),
    ...(p.page < p.pageCount ? [open('Next page', b.groupBy, p.page + 1)] : []),
    ...GROUP_BYS.filter((g) => g !== b.groupBy).map((g) => open(`Group by ${GROUP_WORD[g]}`, g, 1)),
  ];
}

export function bulkCard(b: BulkCardInput): AdaptiveCard {
  const p = pageOf(b);
  const findings = p.groups.flatMap((g) => g.findings.map((f) => ({ key: g.key, f })));
  const where = b.filter ? ` · filter ${clip(b.filter, 120)}` : '';
  const body: CardElement[] = [
    ...(b.note ? [callout(md`${clip(b.note, 400)}`, 'info')] : []),
    heading(md`Bulk marking · ${plural(p.total, 'open finding')}`),
    subtle(md`Grouped by ${GROUP_WORD[b.groupBy]} · page ${p.page} of ${p.pageCount}${where}`),
  ];
  if (!findings.length) {
    body.push(text(md`No open findings to mark here.`));
    return adaptiveCard(body, [execute('Run a hunt', { verb: VERBS.huntRun }), ...navigation(b, p)]);
  }
  const groupFacts = p.groups.map((g) => {
    const size = g.size ?? g.findings.length;
    return [clip(g.key, 60), size > g.findings.length ? `${g.findings.length} of ${size} on this page` : plural(size, 'finding')] as const;
  });
  const choices: Choice[] = findings.map(({ key, f }) => ({ title: choiceTitle(key, f, b.groupBy), value: f.id }));
  const versions = Object.fromEntries(findings.flatMap(({ f }) => (f.version === undefined ? [] : [[f.id, f.version] as const])));
  const submit: BulkSubmitData = withFilter<BulkSubmitData>(
    { verb: VERBS.bulkSubmit, groupBy: b.groupBy, page: p.page, ...(Object.keys(versions).length ? { versions } : {}) },
    b.filter,
  );
  body.push(
    facts(groupFacts, { spacing: 'Small' }),
    choiceSet(INPUT_IDS.selected, 'Findings to mark (this page)', choices, { isMultiSelect: true, style: 'expanded', separator: true }),
    classificationInput(),
    scenarioInput(b.scenarios, 'Scenario (Benign Positive only)'),
    excludeInput(),
    fpReasonInput('Reason (False Positive only)'),
    commentInput('Why? (stored with every disposition)'),
  );
  return adaptiveCard(body, [execute('Mark selected', submit, 'positive'), ...navigation(b, p)]);
}
