// The finding card: what an analyst needs at a glance, the documented benign scenarios with the condition each
// one applies, and the marking actions. Once the finding is closed the card shows who decided what and when,
// and offers no marking actions; `refresh` lets every viewer's client fetch that state (Universal Actions).
import type { FindingView } from '../../triage/findingView.js';
import {
  actionSet, adaptiveCard, callout, container, execute, facts, fitCard, heading, monospace, showCard, subtle, text,
  toggleVisibility,
} from './elements.js';
import { commentInput, excludeInput, fpReasonInput, MAX_SCENARIOS, scenarioInput, scopeInput } from './forms.js';
import { timeText, shortIds, words } from './format.js';
import { clip, escapeBlock, listShort, md } from './markdown.js';
import type { ScenarioView } from './scenarios.js';
import type { AdaptiveCard, CardAction, CardElement, Markdown } from './types.js';
import { VERBS, type FindingActionData, type MarkVerb } from './verbs.js';

export interface FindingCardOptions {
  readonly scenarios: readonly ScenarioView[];
  /** False for viewers who may not mark findings: the card is read-only and says so. */
  readonly canAct: boolean;
  /** A line shown on top, e.g. why the card was replaced ("that card was out of date"). */
  readonly note?: string;
  /** Who auto-refreshes the card (Teams allows up to 60); no refresh when absent. */
  readonly userIds?: readonly string[];
}

const MAX_REFRESH_USERS = 60;
// Teams user ids ("29:1f…", AAD object ids) are short printable ASCII; anything else is not one.
const USER_ID = /^[\x21-\x7e]{1,128}$/;

/** Progressively smaller renderings: full scenario details, one line each, titles only with shorter lists. */
type Detail = 'full' | 'compact' | 'minimal';
const LIST_LIMITS: Record<Detail, readonly [values: number, chars: number]> = { full: [6, 80], compact: [6, 80], minimal: [3, 60] };

const isClosed = (v: FindingView): boolean => v.state === 'closed';

function atAGlance(v: FindingView, detail: Detail): CardElement[] {
  const [values, chars] = LIST_LIMITS[detail];
  const others = v.DeviceNames.filter((n) => n !== v.DeviceName);
  const device = others.length ? `${clip(v.DeviceName, 120)} (also seen as ${listShort(others, 3, 60)})` : clip(v.DeviceName, 120);
  return [
    heading(md`${clip(v.DeviceName, 120)} → ${clip(v.RemoteUrl, 160)}`),
    subtle(md`Finding ${clip(v.id, 40)} · ${v.state} · version ${v.version}`),
    facts([
      ['Device', device],
      ['Device id', clip(v.DeviceId, 80)],
      ['URL', clip(v.RemoteUrl, 200)],
      ['First seen', timeText(v.FirstSeen)],
      ['Last seen', timeText(v.LastSeen)],
      ['Count', String(v.Count)],
      ['Reports', shortIds(v.Report)],
      ['Processes', listShort(v.Processes, values, chars)],
      ['Parents', listShort(v.ParentProcesses, values, chars)],
      ['Accounts', listShort(v.Accounts, values, chars)],
      ['Remote IPs', listShort(v.RemoteIPs, values, chars)],
    ]),
  ];
}

function verdictText(v: FindingView, scenarios: readonly ScenarioView[]): Markdown | undefined {
  const d = v.disposition;
  if (!d) return undefined;
  const scenario = d.scenario === null ? undefined : scenarios.find((s) => s.number === d.scenario);
  const under = d.scenario === null ? '' : scenario ? ` (scenario ${d.scenario}: ${clip(scenario.title, 120)})` : ` (scenario ${d.scenario})`;
  const reason = d.classification === 'FalsePositive' && d.reason ? ` — ${words(d.reason)}` : '';
  return md`${words(d.classification)}${under}${reason} by ${clip(d.byName ?? d.by, 100)} at ${timeText(d.at)}`;
}

function commentBlock(v: FindingView): CardElement[] {
  const c = v.disposition?.comment;
  return c ? [subtle(md`Comment`, { spacing: 'Small' }), text(escapeBlock(clip(c, 1000)), { spacing: 'None' })] : [];
}

/** Closed: the verdict (or the exclusion) as the headline. Open or recurring: an earlier verdict, if any. */
function stateSection(v: FindingView, scenarios: readonly ScenarioView[]): CardElement[] {
  const verdict = verdictText(v, scenarios);
  const exclusion = v.closedBy?.startsWith('exclusion ') ? v.closedBy.slice('exclusion '.length) : undefined;
  if (isClosed(v)) {
    if (exclusion !== undefined) return [callout(md`Suppressed by exclusion ${clip(exclusion, 20)}`, 'good')];
    return [callout(verdict ?? md`Closed`, 'good'), ...commentBlock(v)];
  }
  const earlier = verdict ? [subtle(md`Last marked`, { spacing: 'Small' }), text(verdict, { spacing: 'None' }), ...commentBlock(v)] : [];
  if (v.state === 'recurring') return [callout(md`Recurring: new events arrived after it was closed`, 'warning'), ...earlier];
  return earlier;
}

const detailsId = (s: ScenarioView): string => `scenario-${s.number}-details`;

function scenarioSection(scenarios: readonly ScenarioView[], detail: Detail): CardElement[] {
  const shown = scenarios.slice(0, MAX_SCENARIOS);
  if (!shown.length) return [];
  const rows = shown.flatMap((s): CardElement[] => {
    const title = text(md`**${s.number}.** ${clip(s.title, 160)}`, { spacing: 'Small' });
    if (detail === 'minimal') return [text(md`**${s.number}.** ${clip(s.title, 100)}`, { spacing: 'Small' })];
    if (detail === 'compact') return [title, subtle(md`Applies: ${clip(s.applies, 200)}`)];
    const lint = s.lint.slice(0, 6).map((l) => text(md`⚠ ${clip(l, 700)}`, { color: 'Warning', size: 'Small', spacing: 'Small' }));
    const body = container(
      [
        subtle(md`Documented filter`, { spacing: 'Small' }),
        monospace(md`${clip(s.documentedFilter, 500)}`, { spacing: 'None' }),
        subtle(md`Applies${s.scope ? ` (${s.scope === 'rule' ? 'rule-wide' : 'this device'})` : ''}`, { spacing: 'Small' }),
        text(md`${clip(s.applies, 600)}`, { size: 'Small', spacing: 'None' }),
        ...lint,
      ],
      { id: detailsId(s), isVisible: false, spacing: 'None' },
    );
    return [title, body];
  });
  const toggler = detail === 'full' ? actionSet([toggleVisibility('Show or hide scenario details', shown.map(detailsId))], { spacing: 'Small' }) : [];
  return [heading(md`Benign scenarios`, { size: 'Default', separator: true }), ...rows, ...toggler];
}

function markActions(v: FindingView, scenarios: readonly ScenarioView[]): CardAction[] {
  const data = (verb: MarkVerb | typeof VERBS.findingSkip): FindingActionData => ({ verb, findingId: v.id, version: v.version });
  return [
    showCard(
      'Benign…',
      [scenarioInput(scenarios), excludeInput(), scopeInput()],
      [execute('Mark Benign Positive', data(VERBS.findingBenign), 'positive')],
      'positive',
    ),
    execute('True Positive', data(VERBS.findingTp), 'destructive'),
    showCard('False Positive…', [fpReasonInput()], [execute('Mark False Positive', data(VERBS.findingFp))]),
    execute('Undetermined', data(VERBS.findingUndetermined)),
    execute('Skip', data(VERBS.findingSkip)),
  ];
}

function build(v: FindingView, opts: FindingCardOptions, detail: Detail): AdaptiveCard {
  const note = opts.note ? [callout(md`${clip(opts.note, 400)}`, 'info')] : [];
  const closed = isClosed(v);
  const readOnly = !closed && !opts.canAct ? [callout(md`Read-only: only analysts can mark findings.`, 'warning')] : [];
  const marking = !closed && opts.canAct ? [commentInput()] : [];
  const actions = closed ? [execute('Next finding', { verb: VERBS.triageNext })] : opts.canAct ? markActions(v, opts.scenarios) : [];
  const body = [...note, ...atAGlance(v, detail), ...stateSection(v, opts.scenarios), ...(closed ? [] : scenarioSection(opts.scenarios, detail)), ...readOnly, ...marking];
  const card = adaptiveCard(body, actions);
  if (opts.userIds) {
    card.refresh = {
      action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.findingRefresh, data: { verb: VERBS.findingRefresh, findingId: v.id } },
      userIds: opts.userIds.filter((u) => USER_ID.test(u)).slice(0, MAX_REFRESH_USERS),
    };
  }
  return card;
}

/** The card for one finding; scenario details shrink if the full card would pass MAX_CARD_BYTES. */
export function findingCard(view: FindingView, opts: FindingCardOptions): AdaptiveCard {
  return fitCard<Detail>(['full', 'compact', 'minimal'], (detail) => build(view, opts, detail));
}
