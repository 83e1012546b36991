// The exclusions card: proposed (approve / reject), active (revoke / extend, hit counts, expiry) and expired
// exclusions. Each action names the exclusion and the version shown, so a decision on a changed exclusion is
// refused as stale. One shared "days" input serves every Extend button (input ids are unique per card).
import { adaptiveCard, callout, container, execute, fitCard, heading, numberInput, subtle, text } from './elements.js';
import { plural, timeText } from './format.js';
import { clip, md } from './markdown.js';
import type { AdaptiveCard, CardAction, CardElement } from './types.js';
import { EXTEND_DAYS_DEFAULT, EXTEND_DAYS_MAX, EXTEND_DAYS_MIN, INPUT_IDS, VERBS, type ExclusionActionData } from './verbs.js';

export interface ExclusionView {
  readonly id: number;
  readonly state: string;
  readonly scope: 'device' | 'rule';
  readonly scenario: number | null;
  /** describeConditions wording. */
  readonly conditions: string;
  readonly author: string;
  readonly approver: string | null;
  readonly expiresAt: string | null;
  /** Events it suppressed over the recorded runs. */
  readonly hits: number;
  readonly version: number;
}

export interface ExclusionsCardInput {
  readonly proposed: readonly ExclusionView[];
  readonly active: readonly ExclusionView[];
  readonly expired: readonly ExclusionView[];
  /** Offer approve / reject / revoke / extend (the router checks again who clicked). */
  readonly canApprove: boolean;
  readonly note?: string;
}

type Section = 'proposed' | 'active' | 'expired';
const TITLES: Record<Section, string> = { proposed: 'Proposed', active: 'Active', expired: 'Expired' };

function decisions(x: ExclusionView, section: Section): CardAction[] {
  const data = (verb: ExclusionActionData['verb']): ExclusionActionData => ({ verb, exclusionId: x.id, version: x.version });
  if (section === 'proposed') return [execute('Approve', data(VERBS.exclusionApprove), 'positive'), execute('Reject', data(VERBS.exclusionReject), 'destructive')];
  if (section === 'active') return [execute('Extend', data(VERBS.exclusionExtend)), execute('Revoke', data(VERBS.exclusionRevoke), 'destructive')];
  return [];
}

function item(x: ExclusionView, section: Section, canAct: boolean): CardElement {
  const scenario = x.scenario === null ? '' : ` · scenario ${x.scenario}`;
  const scope = x.scope === 'rule' ? 'rule-wide' : 'one device';
  const approved = x.approver ? ` · approved by ${clip(x.approver, 60)}` : '';
  const expiry = section === 'expired' ? `expired ${timeText(x.expiresAt)}` : x.expiresAt ? `expires ${timeText(x.expiresAt)}` : 'no expiry';
  const actions = canAct ? decisions(x, section) : [];
  return container(
    [
      text(md`**Exclusion ${x.id}** · ${scope}${scenario} · ${plural(x.hits, 'hit')}`),
      text(md`${clip(x.conditions, 300)}`, { size: 'Small', spacing: 'None' }),
      subtle(md`by ${clip(x.author, 60)}${approved} · ${expiry}`),
      ...(actions.length ? [{ type: 'ActionSet' as const, actions, spacing: 'Small' as const }] : []),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

function section(list: readonly ExclusionView[], s: Section, x: ExclusionsCardInput, shown: number): CardElement[] {
  const canAct = x.canApprove && s !== 'expired';
  const extendDays =
    canAct && s === 'active' && list.length
      ? [numberInput(INPUT_IDS.days, 'Extend by (days)', { min: EXTEND_DAYS_MIN, max: EXTEND_DAYS_MAX, value: EXTEND_DAYS_DEFAULT })]
      : [];
  const more = list.length > shown ? [subtle(md`(+${list.length - shown} more; the CLI lists them all: triage exclusions list)`)] : [];
  return [
    heading(md`${TITLES[s]} (${list.length})`, { size: 'Default', separator: true }),
    ...(list.length ? [] : [subtle(md`None.`)]),
    ...extendDays,
    ...list.slice(0, shown).map((e) => item(e, s, canAct)),
    ...more,
  ];
}

function build(x: ExclusionsCardInput, shown: number): AdaptiveCard {
  const readOnly = x.canApprove ? [] : [subtle(md`Read-only: only leads approve, revoke or extend exclusions.`)];
  return adaptiveCard(
    [
      ...(x.note ? [callout(md`${clip(x.note, 400)}`, 'info')] : []),
      heading(md`Exclusions`),
      ...readOnly,
      ...section(x.proposed, 'proposed', x, shown),
      ...section(x.active, 'active', x, shown),
      ...section(x.expired, 'expired', x, Math.min(shown, 5)),
    ],
    [execute('Refresh', { verb: VERBS.exclusionsOpen }), execute('Next finding', { verb: VERBS.triageNext })],
  );
}

/** At most 8 per section, fewer if the card would pass the size limit. */
export function exclusionsCard(x: ExclusionsCardInput): AdaptiveCard {
  return fitCard([8, 5, 3, 1], (shown) => build(x, shown));
}
