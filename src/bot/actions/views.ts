// Domain state → card inputs: the one place that decides what a viewer of a finding or exclusion card sees
// (its current state, whether it offers actions). Cards in channels are seen by everyone, so they offer the
// actions and the router checks who clicked; a personal chat's card is for its one user.
import { effectiveConditions } from '../../exclusions/compile.js';
import { describeConditions } from '../../exclusions/model.js';
import type { Exclusion, Finding } from '../../store/index.js';
import { findingView } from '../../triage/findingView.js';
import { findingCard, impactView, proposalCard, scenarioViews, type ScenarioView } from '../cards/index.js';
import type { AdaptiveCard } from '../cards/types.js';
import type { BotServices, TurnInfo } from './context.js';

export function scenariosOf(svc: BotServices, ruleId: string): ScenarioView[] {
  const rule = svc.app.rules.find((r) => r.id === ruleId);
  return rule ? scenarioViews(rule.scenarios) : [];
}

/** Shared cards offer actions to everyone; a personal card (or a per-user refresh) only to those allowed. */
function forViewer(turn: TurnInfo, perUser: boolean, allowed: boolean): boolean {
  return perUser || turn.kind === 'personal' ? allowed : true;
}

export interface CardOptions {
  readonly note?: string | undefined;
  /** The card is for the actor alone (a refresh), not the conversation. */
  readonly perUser?: boolean;
}

export function findingCardOf(svc: BotServices, f: Finding, turn: TurnInfo, opts: CardOptions = {}): AdaptiveCard {
  const view = findingView(f, svc.app.store.dispositions.latest(f.id));
  return findingCard(view, {
    scenarios: scenariosOf(svc, f.ruleId),
    canAct: forViewer(turn, opts.perUser ?? false, svc.authz.canMark(turn.actor.aadObjectId)),
    userIds: [turn.actor.channelUserId],
    ...(opts.note ? { note: opts.note } : {}),
  });
}

export function mayApprove(svc: BotServices, x: Exclusion, turn: TurnInfo): boolean {
  const requireApproval = svc.config.exclusions.requireApproval;
  if (!svc.authz.canApprove(turn.actor.aadObjectId, requireApproval)) return false;
  return !(requireApproval && x.author === turn.actor.id);
}

export function conditionsText(x: Exclusion): string {
  return describeConditions(effectiveConditions({ scope: x.scope, deviceId: x.deviceId, conditions: x.conditions }));
}

/** Who proposed it, as people know them: the display name the author's own disposition recorded, else the id. */
export function authorLabel(svc: BotServices, x: Exclusion): string {
  for (const id of svc.app.store.exclusions.sources(x.id)) {
    const d = svc.app.store.dispositions.get(id);
    if (d && d.analystId === x.author && d.analystName) return d.analystName;
  }
  return x.author;
}

export async function proposalCardOf(svc: BotServices, x: Exclusion, turn: TurnInfo, opts: CardOptions = {}): Promise<AdaptiveCard> {
  const impact = await svc.app.exclusions.previewExclusion(x.id);
  const device = x.deviceId ? svc.app.store.findings.list({ deviceId: x.deviceId, limit: 1 })[0]?.deviceName : undefined;
  // The author may still withdraw under four-eyes; the card withholds only the Approve button from them.
  const canDecide = svc.authz.canApprove(turn.actor.aadObjectId, svc.config.exclusions.requireApproval);
  return proposalCard({
    exclusionId: x.id,
    state: x.state,
    scope: x.scope,
    scenario: x.scenario,
    conditions: conditionsText(x),
    kql: impact.kql,
    impact: impactView(impact),
    author: x.author,
    authorName: authorLabel(svc, x),
    requireApproval: svc.config.exclusions.requireApproval,
    canApprove: forViewer(turn, opts.perUser ?? false, canDecide),
    version: x.version,
    // A shared card must not hide Approve from every lead because its author happened to post it.
    ...(turn.kind === 'personal' || opts.perUser ? { viewer: turn.actor.id } : {}),
    ...(device ? { device } : {}),
    ...(opts.note ? { note: opts.note } : {}),
  });
}
