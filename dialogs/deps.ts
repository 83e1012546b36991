// What the dialogs share with the bot: the services, how to post (so every posted card is recorded), who is
// acting this turn, and the signal the router left for the active dialog. Dialogs never handle card actions
// themselves: the router does the work, and the dialog hears what happened and moves on.
import type { TurnContext } from 'botbuilder';
import type { BotServices, DialogSignal, Reply, TurnInfo } from '../src/bot/actions/context.js';

export interface DialogDeps {
  readonly svc: BotServices;
  readonly post: (context: TurnContext, reply: Reply) => Promise<void>;
  readonly turn: (context: TurnContext) => TurnInfo;
}

export const DIALOG_IDS = {
  triage: 'triageDialog',
  bulk: 'bulkDialog',
  exclusionReview: 'exclusionReviewDialog',
} as const;

const SIGNAL = Symbol('triage.dialogSignal');

export function setSignal(context: TurnContext, signal: DialogSignal): void {
  context.turnState.set(SIGNAL, signal);
}

export function signalOf(context: TurnContext): DialogSignal | undefined {
  return context.turnState.get(SIGNAL) as DialogSignal | undefined;
}
