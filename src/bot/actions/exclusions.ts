// The exclusion lifecycle from cards: approve and reject (proposal and exclusions cards), revoke and extend
// (exclusions card), and the exclusions card itself. Each decision names the version the card showed, so a
// decision on an exclusion that changed since is refused and the current state shown instead.
import { ExclusionError } from '../../exclusions/errors.js';
import type { Exclusion } from '../../store/index.js';
import { exclusionsCard, type ExclusionView } from '../cards/index.js';
import type { AdaptiveCard } from '../cards/types.js';
import type { VERBS } from '../cards/verbs.js';
import { errorLine, isRefusal, forgedLine, STALE_EXCLUSION } from '../replies.js';
import type { SubmissionOf } from '../submission.js';
import { posted, result, type ActionResult, type BotServices, type PostedCard, type TurnInfo } from './context.js';
import { refusal } from './guard.js';
import { authorLabel, conditionsText, proposalCardOf } from './views.js';

type Decision = SubmissionOf<typeof VERBS.exclusionApprove | typeof VERBS.exclusionReject | typeof VERBS.exclusionRevoke | typeof VERBS.exclusionExtend>;

/** Past this many expired exclusions the card shows the latest; the CLI lists them all. */
const EXPIRED_SHOWN = 20;

function exclusionView(svc: BotServices, x: Exclusion): ExclusionView {
  return {
    id: x.id,
    state: x.state,
    scope: x.scope,
    scenario: x.scenario,
    conditions: conditionsText(x),
    author: authorLabel(svc, x),
    approver: x.approver,
    expiresAt: x.expiresAt,
    hits: svc.app.store.exclusions.hitsFor(x.id).reduce((n, h) => n + h.hits, 0),
    version: x.version,
  };
}

export function exclusionsCardOf(svc: BotServices, turn: TurnInfo, note?: string): AdaptiveCard {
  // The list is a read, but an exclusion past its expiry must show as expired (and stop hiding findings).
  svc.app.exclusions.expireDue();
  const list = (state: Exclusion['state']) => svc.app.store.exclusions.list({ state }).map((x) => exclusionView(svc, x));
  const canApprove = turn.kind === 'personal' ? svc.authz.canApprove(turn.actor.aadObjectId, svc.config.exclusions.requireApproval) : true;
  return exclusionsCard({
    proposed: list('proposed'),
    active: list('active'),
    expired: list('expired').reverse().slice(0, EXPIRED_SHOWN),
    canApprove,
    ...(note ? { note } : {}),
  });
}

/** The card the decision came from, re-rendered: the exclusions list, or the one exclusion's proposal card. */
async function cardAfter(svc: BotServices, turn: TurnInfo, x: Exclusion, note?: string): Promise<PostedCard> {
  if (turn.source === 'exclusions') return posted('exclusions', exclusionsCardOf(svc, turn, note));
  return posted('proposal', await proposalCardOf(svc, x, turn, note ? { note } : {}));
}

export function openExclusions(svc: BotServices, turn: TurnInfo): ActionResult {
  const card = posted('exclusions', exclusionsCardOf(svc, turn));
  // The card's own Refresh button updates it in place; from anywhere else it is posted below.
  if (turn.source === 'exclusions') return result('Exclusions, as they stand now.', { replace: { ...card, broadcast: true } });
  return result('Exclusions: see the card below.', { replies: [card] });
}

function when(iso: string | null): string {
  return iso ? iso.replace(/\.\d+Z$/, 'Z').replace('T', ' ') : 'never';
}

async function apply(svc: BotServices, turn: TurnInfo, sub: Decision): Promise<string> {
  const svcX = svc.app.exclusions;
  const who = turn.actor.id;
  switch (sub.verb) {
    case 'exclusion.approve': {
      const out = await svcX.approve(sub.exclusionId, who, { tpOverrideReason: sub.tpOverrideReason });
      return `Exclusion ${sub.exclusionId} is active until ${when(out.exclusion.expiresAt)}; it closed ${out.closed.length} open finding(s).`;
    }
    case 'exclusion.reject':
      svcX.reject(sub.exclusionId, who, sub.comment);
      return `Exclusion ${sub.exclusionId} was rejected; it will not be applied.`;
    case 'exclusion.revoke': {
      const out = svcX.revoke(sub.exclusionId, who, sub.comment);
      return `Exclusion ${sub.exclusionId} was revoked; ${out.reopened.length} finding(s) it had closed are open again.`;
    }
    case 'exclusion.extend': {
      const x = svcX.extend(sub.exclusionId, who, { days: sub.days });
      return `Exclusion ${sub.exclusionId} now expires ${when(x.expiresAt)}.`;
    }
  }
}

export async function decideExclusion(svc: BotServices, turn: TurnInfo, sub: Decision): Promise<ActionResult> {
  const refused = refusal(svc, turn, 'approve', { entity: 'exclusion', id: sub.exclusionId, verb: sub.verb });
  if (refused) return refused;
  const store = svc.app.store;
  const x = store.exclusions.get(sub.exclusionId);
  if (!x) {
    const line = forgedLine('exclusion', sub.exclusionId);
    return result(line, { replies: [line] });
  }
  const stale = async (current: Exclusion): Promise<ActionResult> =>
    result(STALE_EXCLUSION, { replace: { ...(await cardAfter(svc, turn, current, STALE_EXCLUSION)), broadcast: true }, replies: [STALE_EXCLUSION] });
  if (x.version !== sub.version) return stale(x);

  let status: string;
  try {
    status = await apply(svc, turn, sub);
  } catch (err) {
    if (err instanceof ExclusionError && err.code === 'stale') return stale(store.exclusions.get(x.id) ?? x);
    if (!isRefusal(err)) throw err;
    const line = errorLine(err);
    return result(line, { replies: [line] });
  }
  const now = store.exclusions.get(x.id) ?? x;
  return result(status, {
    replace: { ...(await cardAfter(svc, turn, now)), broadcast: true },
    replies: [],
    signal: { kind: 'exclusion', exclusionId: x.id, outcome: 'decided' },
  });
}
