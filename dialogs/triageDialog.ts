// The triage walk-through: post the next open finding, wait until the analyst acts on it (or skips it), post
// the next, until no open finding is left. Its place (the finding it waits on, the ones already passed) is
// dialog state, so it lives in the bot's storage and survives a restart.
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { posted } from '../src/bot/actions/context.js';
import { findingCardOf } from '../src/bot/actions/views.js';
import { ALL_TRIAGED } from '../src/bot/replies.js';
import type { Finding } from '../src/store/index.js';
import { DIALOG_IDS, signalOf, type DialogDeps } from './deps.js';

export interface TriageOptions {
  /** Findings not to offer again in this walk-through (a Skip on a card posted elsewhere). */
  readonly passed?: readonly string[];
}

interface TriageState {
  awaiting: string | null;
  /** Acted on or skipped during this walk-through: an Undetermined finding stays open, and is not offered twice. */
  passed: string[];
}

export class TriageDialog extends Dialog<TriageOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(DIALOG_IDS.triage);
  }

  override async beginDialog(dc: DialogContext, options?: TriageOptions): Promise<DialogTurnResult> {
    const state = this.state(dc);
    state.awaiting = null;
    state.passed = [...(options?.passed ?? [])];
    return this.postNext(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const signal = signalOf(dc.context);
    const state = this.state(dc);
    if (signal?.kind === 'triage.next') return this.postNext(dc);
    if (signal?.kind !== 'finding') return Dialog.EndOfTurn;
    if (!state.passed.includes(signal.findingId)) state.passed.push(signal.findingId);
    // Moving on also when the awaited finding closed some other way (an exclusion learned from another card).
    const awaited = state.awaiting ? this.deps.svc.app.store.findings.get(state.awaiting) : null;
    if (signal.findingId === state.awaiting || !awaited || awaited.state === 'closed') return this.postNext(dc);
    return Dialog.EndOfTurn;
  }

  private state(dc: DialogContext): TriageState {
    return dc.activeDialog!.state as TriageState;
  }

  private next(passed: readonly string[]): Finding | undefined {
    const skip = new Set(passed);
    return this.deps.svc.app.store.findings.list({ state: 'open' }).find((f) => !skip.has(f.id));
  }

  private async postNext(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const finding = this.next(state.passed);
    if (!finding) {
      const open = this.deps.svc.app.store.findings.list({ state: 'open', ids: state.passed }).length;
      const text = open
        ? `All findings triaged in this walk-through; ${open} of them are still open (skipped or undetermined): type next to go through them again.`
        : ALL_TRIAGED;
      await this.deps.post(dc.context, text);
      return dc.endDialog();
    }
    state.awaiting = finding.id;
    await this.deps.post(dc.context, posted('finding', findingCardOf(this.deps.svc, finding, this.deps.turn(dc.context))));
    return Dialog.EndOfTurn;
  }
}
