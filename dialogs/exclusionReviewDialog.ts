// Exclusion review: the proposed exclusions the viewer may decide, one proposal card at a time (with its
// impact preview), moving on after each approve or reject until none is left. Under four-eyes a proposal's
// own author is not offered it: someone else decides it.
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { posted } from '../src/bot/actions/context.js';
import { mayApprove, proposalCardOf } from '../src/bot/actions/views.js';
import { refusalLine } from '../src/bot/replies.js';
import { DIALOG_IDS, signalOf, type DialogDeps } from './deps.js';

interface ReviewState {
  awaiting: number | null;
  passed: number[];
}

export class ExclusionReviewDialog extends Dialog {
  constructor(private readonly deps: DialogDeps) {
    super(DIALOG_IDS.exclusionReview);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { svc } = this.deps;
    const turn = this.deps.turn(dc.context);
    if (!svc.authz.canApprove(turn.actor.aadObjectId, svc.config.exclusions.requireApproval)) {
      await this.deps.post(dc.context, refusalLine('approve', svc.authz.role(turn.actor.aadObjectId)));
      return dc.endDialog();
    }
    const state = dc.activeDialog!.state as ReviewState;
    state.awaiting = null;
    state.passed = [];
    return this.postNext(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const signal = signalOf(dc.context);
    if (signal?.kind !== 'exclusion') return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as ReviewState;
    if (!state.passed.includes(signal.exclusionId)) state.passed.push(signal.exclusionId);
    return signal.exclusionId === state.awaiting ? this.postNext(dc) : Dialog.EndOfTurn;
  }

  private async postNext(dc: DialogContext): Promise<DialogTurnResult> {
    const { svc } = this.deps;
    const turn = this.deps.turn(dc.context);
    const state = dc.activeDialog!.state as ReviewState;
    const proposed = svc.app.store.exclusions.list({ state: 'proposed' }).filter((x) => !state.passed.includes(x.id));
    const mine = proposed.filter((x) => mayApprove(svc, x, turn));
    const next = mine[0];
    if (!next) {
      const others = proposed.length - mine.length;
      await this.deps.post(
        dc.context,
        others
          ? `No proposed exclusion is left for you to review; ${others} you proposed wait for someone else's approval (four-eyes).`
          : 'No proposed exclusion is left to review.',
      );
      return dc.endDialog();
    }
    state.awaiting = next.id;
    const note = `Review ${state.passed.length + 1} of ${state.passed.length + mine.length}`;
    await this.deps.post(dc.context, posted('proposal', await proposalCardOf(svc, next, turn, { note, perUser: true })));
    return Dialog.EndOfTurn;
  }
}
