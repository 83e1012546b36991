// The proposal card: after a benign mark with "exclude going forward", the exclusion it proposes, the KQL the
// hunt would inject, and what it would suppress today, before anyone accepts it. Four-eyes: the author sees
// that a second person has to approve; nobody is offered an approval the service would refuse.
import type { Impact } from '../../exclusions/impact.js';
import { adaptiveCard, callout, execute, facts, fitCard, heading, monospace, subtle, text, textInput } from './elements.js';
import { commentInput } from './forms.js';
import { plural, shortIds } from './format.js';
import { clip, md } from './markdown.js';
import type { AdaptiveCard, CardAction, CardElement } from './types.js';
import { INPUT_IDS, VERBS, type ExclusionActionData } from './verbs.js';

export interface ImpactedView {
  readonly id: string;
  readonly device: string;
  readonly url: string;
  /** Every event the finding can hold is excluded (it is closed on activation); false: only some are. */
  readonly full: boolean;
  readonly state: string;
}

export interface ImpactView {
  readonly open: number;
  readonly closed: number;
  readonly matched: readonly ImpactedView[];
  /** Matched findings whose latest verdict is True Positive. */
  readonly truePositives: readonly string[];
}

export interface ProposalView {
  readonly exclusionId: number;
  readonly state: string;
  readonly scope: 'device' | 'rule';
  readonly scenario: number | null;
  /** describeConditions wording. */
  readonly conditions: string;
  readonly kql: string;
  readonly impact: ImpactView;
  /** The author's id: the viewer is compared with it for four-eyes. */
  readonly author: string;
  /** How people know the author (the name their disposition recorded); the id when unknown. */
  readonly authorName?: string;
  readonly requireApproval: boolean;
  /** The viewer may approve or reject (authorization); self-approval under four-eyes is withheld anyway. */
  readonly canApprove: boolean;
  readonly version: number;
  /** The viewer's id, to tell the author that a second person approves. */
  readonly viewer?: string;
  /** The device a device-scoped exclusion is tied to, by name. */
  readonly device?: string;
  readonly note?: string;
}

/** The service's Impact, as the card shows it. */
export function impactView(impact: Impact): ImpactView {
  return {
    open: impact.open,
    closed: impact.closed,
    matched: impact.matched.map((m) => ({ id: m.findingId, device: m.deviceName, url: m.remoteUrl, full: m.full, state: m.state })),
    truePositives: impact.truePositives,
  };
}

function impactSection(impact: ImpactView, shown: number): CardElement[] {
  const n = impact.matched.length;
  const rows = impact.matched.slice(0, shown).map((m) => [clip(m.id, 40), `${clip(m.device, 60)} → ${clip(m.url, 80)} · ${m.state} · ${m.full ? 'full' : 'partial'}`] as const);
  const more = n > shown ? [subtle(md`(+${n - shown} more)`)] : [];
  return [
    heading(md`Impact`, { size: 'Default', separator: true }),
    text(md`${plural(n, 'finding')}: ${impact.open} open, ${impact.closed} closed`, { weight: 'Bolder' }),
    ...(rows.length ? [facts(rows), ...more, subtle(md`full: every event the finding can hold is excluded, so it is closed when the exclusion activates; partial: only some of them are.`)] : []),
  ];
}

function tpWarning(p: ProposalView): CardElement[] {
  const tps = p.impact.truePositives;
  if (!tps.length) return [];
  const ask = p.state === 'proposed' && p.canApprove ? [textInput(INPUT_IDS.tpOverrideReason, 'Override reason (required to approve over True Positives)', { maxLength: 500 })] : [];
  return [
    callout(md`Warning: this exclusion would hide ${plural(tps.length, 'finding')} marked True Positive: ${shortIds(tps.map((t) => clip(t, 40)), 10)}`, 'error'),
    ...ask,
  ];
}

function actionsFor(p: ProposalView): { notes: CardElement[]; inputs: CardElement[]; actions: CardAction[] } {
  const data = (verb: ExclusionActionData['verb']): ExclusionActionData => ({ verb, exclusionId: p.exclusionId, version: p.version });
  const all = execute('All exclusions', { verb: VERBS.exclusionsOpen });
  if (p.state !== 'proposed') return { notes: [], inputs: [], actions: [all] };
  const selfApproval = p.requireApproval && p.viewer !== undefined && p.viewer === p.author;
  const notes = selfApproval ? [callout(md`Needs a second analyst: you proposed it, so someone else approves it.`, 'info')] : [];
  if (!p.canApprove) return { notes: [...notes, subtle(md`Waiting for approval by a lead.`)], inputs: [], actions: [all] };
  const approve = selfApproval ? [] : [execute('Approve', data(VERBS.exclusionApprove), 'positive')];
  return {
    notes,
    inputs: [commentInput('Optional: why approve or reject')],
    actions: [...approve, execute(selfApproval ? 'Withdraw' : 'Reject', data(VERBS.exclusionReject), 'destructive'), all],
  };
}

function build(p: ProposalView, shown: number, kqlChars: number): AdaptiveCard {
  const scope = p.scope === 'rule' ? 'rule-wide (every device)' : p.device ? `this device only (${clip(p.device, 80)})` : 'this device only';
  const from = p.scenario === null ? 'no scenario' : `scenario ${p.scenario}`;
  const { notes, inputs, actions } = actionsFor(p);
  const body: CardElement[] = [
    ...(p.note ? [callout(md`${clip(p.note, 400)}`, 'info')] : []),
    heading(md`Exclusion ${p.exclusionId} · ${p.state}`),
    subtle(md`Learned from ${from} · proposed by ${clip(p.authorName ?? p.author, 100)}`),
    facts([
      ['Scope', scope],
      ['Excludes', clip(p.conditions, 800)],
    ]),
    subtle(md`KQL injected into the hunt as where not(…)`, { spacing: 'Small' }),
    monospace(md`${clip(p.kql, kqlChars)}`, { spacing: 'None' }),
    ...tpWarning(p),
    ...impactSection(p.impact, shown),
    ...notes,
    ...inputs,
  ];
  return adaptiveCard(body, actions);
}

export function proposalCard(p: ProposalView): AdaptiveCard {
  const levels: ReadonlyArray<readonly [number, number]> = [[10, 4000], [5, 1500], [0, 600]];
  return fitCard(levels, ([shown, kql]) => build(p, shown, kql));
}

