// The one router for card actions, whichever way they arrive (an Action.Execute invoke or an Action.Submit
// message): validate the submission, then switch on its verb. Anything it does not know gets a clear reply and
// changes nothing.
import { helpCard } from './cards/index.js';
import { VERBS } from './cards/verbs.js';
import type { CommandHelp } from './commands.js';
import { invalidLine, unknownVerbLine } from './replies.js';
import { parseSubmission } from './submission.js';
import { posted, result, type ActionResult, type BotServices, type TurnInfo } from './actions/context.js';
import { openBulk, submitBulk } from './actions/bulk.js';
import { decideExclusion, openExclusions } from './actions/exclusions.js';
import { markFinding, refreshFinding, skipFinding } from './actions/finding.js';
import { runHunt, type Defer } from './actions/hunt.js';

export interface RouterDeps {
  readonly svc: BotServices;
  readonly commands: readonly CommandHelp[];
  /** Where a hunt that outlives the turn posts its results. */
  readonly defer?: Defer;
}

export async function routeAction(deps: RouterDeps, turn: TurnInfo, data: unknown, verb?: unknown): Promise<ActionResult> {
  const parsed = parseSubmission(data, verb);
  if (!parsed.ok) {
    const line = parsed.problem === 'unknown-verb' ? unknownVerbLine(parsed.verb) : invalidLine(parsed.message);
    deps.svc.log.info({ verb: parsed.verb, problem: parsed.problem, actor: turn.actor.id }, 'card action refused');
    return result(line, { replies: [line] });
  }
  const { svc } = deps;
  const sub = parsed.submission;
  switch (sub.verb) {
    case VERBS.findingBenign:
    case VERBS.findingTp:
    case VERBS.findingFp:
    case VERBS.findingUndetermined:
      return markFinding(svc, turn, sub);
    case VERBS.findingSkip:
      return skipFinding(svc, turn, sub);
    case VERBS.findingRefresh:
      return refreshFinding(svc, turn, sub);
    case VERBS.triageNext:
      return result('Next finding: see below.', { signal: { kind: 'triage.next' } });
    case VERBS.huntRun:
      return runHunt(svc, turn, deps.defer);
    case VERBS.bulkOpen:
      return openBulk(svc, turn, sub);
    case VERBS.bulkSubmit:
      return submitBulk(svc, turn, sub);
    case VERBS.exclusionApprove:
    case VERBS.exclusionReject:
    case VERBS.exclusionRevoke:
    case VERBS.exclusionExtend:
      return decideExclusion(svc, turn, sub);
    case VERBS.exclusionsOpen:
      return openExclusions(svc, turn);
    case VERBS.help:
      return result('Help: see below.', { replies: [posted('help', helpCard(deps.commands))] });
    default: {
      // parseSubmission knows every verb the cards carry; a verb added there and not here lands here.
      const line = unknownVerbLine((sub as { verb: string }).verb);
      return result(line, { replies: [line] });
    }
  }
}
