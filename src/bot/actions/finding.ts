// The finding card's actions: Benign (with an optional learned exclusion), True Positive, False Positive,
// Undetermined, Skip, and refresh. Every mark goes through markFindings, the same service the CLI uses, with
// the version the card showed, so a card that is out of date writes nothing.
import type { ProposalOutcome } from '../../exclusions/serviceTypes.js';
import type { Finding } from '../../store/index.js';
import { TriageError } from '../../triage/errors.js';
import { markFindings } from '../../triage/marking.js';
import { parseVerdict, type Verdict } from '../../triage/taxonomy.js';
import type { MarkVerb } from '../cards/verbs.js';
import { VERBS } from '../cards/verbs.js';
import { errorLine, isRefusal, forgedLine, STALE_FINDING } from '../replies.js';
import type { SubmissionOf } from '../submission.js';
import { posted, result, type ActionResult, type BotServices, type Reply, type TurnInfo } from './context.js';
import { refusal } from './guard.js';
import { findingCardOf, proposalCardOf } from './views.js';

type MarkSubmission = SubmissionOf<MarkVerb>;

const WORDS: Record<string, string> = {
  BenignPositive: 'Benign Positive',
  TruePositive: 'True Positive',
  FalsePositive: 'False Positive',
  Undetermined: 'Undetermined',
};

/** The finding, or the reply for a forged id. */
export function findingOr(svc: BotServices, id: string): Finding | ActionResult {
  const f = svc.app.store.findings.get(id);
  if (f) return f;
  const line = forgedLine('finding', id);
  return result(line, { replies: [line] });
}

export function isResult(x: unknown): x is ActionResult {
  return typeof x === 'object' && x !== null && 'status' in x && 'replies' in x;
}

/** A stale card is replaced by the current one (for everyone: it is the truth now) and told why. */
export function staleFinding(svc: BotServices, turn: TurnInfo, f: Finding): ActionResult {
  return result(STALE_FINDING, { replace: { kind: 'finding', card: findingCardOf(svc, f, turn, { note: STALE_FINDING }), broadcast: true }, replies: [STALE_FINDING] });
}

function verdictOf(sub: MarkSubmission): Verdict {
  switch (sub.verb) {
    case VERBS.findingBenign: return parseVerdict('benign');
    case VERBS.findingTp: return parseVerdict('tp');
    case VERBS.findingFp: return parseVerdict('fp', sub.fpReason);
    case VERBS.findingUndetermined: return parseVerdict('undetermined');
  }
}

function proposalNote(x: ProposalOutcome, requireApproval: boolean): string {
  const id = x.exclusion.id;
  if (!x.created) return `Linked to the existing exclusion ${id} (${x.exclusion.state}); no new exclusion was needed.`;
  if (x.activated) {
    const closed = x.closed.length ? `; it closed ${x.closed.length} more open finding(s): ${x.closed.slice(0, 8).join(', ')}${x.closed.length > 8 ? ' …' : ''}` : '';
    return `Exclusion ${id} is active: later hunts leave these events out${closed}.`;
  }
  return requireApproval ? `Exclusion ${id} is proposed and waits for a second person's approval (four-eyes).` : `Exclusion ${id} is proposed.`;
}

export async function markFinding(svc: BotServices, turn: TurnInfo, sub: MarkSubmission): Promise<ActionResult> {
  const refused = refusal(svc, turn, 'mark', { entity: 'finding', id: sub.findingId, verb: sub.verb });
  if (refused) return refused;
  const found = findingOr(svc, sub.findingId);
  if (isResult(found)) return found;
  if (found.version !== sub.version) return staleFinding(svc, turn, found);

  const benign = sub.verb === VERBS.findingBenign ? sub : undefined;
  if (benign && benign.scenario === undefined) {
    const line = 'Pick the benign scenario first (under "Benign…"), then mark it again. Nothing was stored.';
    return result(line, { replies: [line] });
  }
  let out;
  try {
    out = await markFindings(svc.app, {
      ids: [found.id],
      verdict: verdictOf(sub),
      scenario: benign?.scenario,
      comment: sub.comment,
      exclude: benign?.exclude ? { scope: benign.scope } : undefined,
      analyst: { id: turn.actor.id, name: turn.actor.name },
      expectedVersions: new Map([[found.id, sub.version]]),
    });
  } catch (err) {
    if (err instanceof TriageError && err.code === 'stale') return staleFinding(svc, turn, svc.app.store.findings.get(found.id) ?? found);
    if (!isRefusal(err)) throw err;
    const line = errorLine(err);
    return result(line, { replies: [line] });
  }

  const now = svc.app.store.findings.get(found.id) ?? found;
  const latest = svc.app.store.dispositions.latest(found.id);
  const what = WORDS[latest?.classification ?? ''] ?? 'marked';
  const status = out.unchanged.length
    ? `Finding ${found.id} was already marked ${what} with the same details; nothing changed.`
    : `Marked finding ${found.id} ${what}${benign?.scenario ? ` (scenario ${benign.scenario})` : ''}.`;
  const replies: Reply[] = [];
  for (const x of out.exclusions) {
    replies.push(posted('proposal', await proposalCardOf(svc, x.exclusion, turn, { note: proposalNote(x, svc.config.exclusions.requireApproval) })));
  }
  return result(status, {
    replace: { kind: 'finding', card: findingCardOf(svc, now, turn), broadcast: true },
    replies,
    signal: { kind: 'finding', findingId: found.id, outcome: 'marked' },
  });
}

/** No write: the walk-through moves on, and the card stays as it is for everyone else. */
export function skipFinding(svc: BotServices, turn: TurnInfo, sub: SubmissionOf<typeof VERBS.findingSkip>): ActionResult {
  const found = findingOr(svc, sub.findingId);
  if (isResult(found)) return found;
  return result(`Skipped finding ${found.id}; it stays open.`, {
    replace: { kind: 'finding', card: findingCardOf(svc, found, turn, { note: 'Skipped: it stays open for later.' }), broadcast: false },
    signal: { kind: 'finding', findingId: found.id, outcome: 'skipped' },
  });
}

/** Teams' `refresh`: the card as it stands now, for the user who is looking at it. */
export function refreshFinding(svc: BotServices, turn: TurnInfo, sub: SubmissionOf<typeof VERBS.findingRefresh>): ActionResult {
  const found = findingOr(svc, sub.findingId);
  if (isResult(found)) return found;
  return result(`Finding ${found.id}, as it stands now.`, { replace: { kind: 'finding', card: findingCardOf(svc, found, turn, { perUser: true }), broadcast: false } });
}
