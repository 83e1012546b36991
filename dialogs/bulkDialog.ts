// Bulk marking: the bulk card, paged and grouped. The dialog remembers the grouping, page and filter the
// analyst is on (in dialog state, so in the bot's storage), so "Bulk mark more" from a summary card resumes
// there instead of starting over. It ends when no open finding is left.
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { filterProblem, bulkCardOf, type BulkView } from '../src/bot/actions/bulk.js';
import { posted } from '../src/bot/actions/context.js';
import type { GroupBy } from '../src/bot/cards/verbs.js';
import { DIALOG_IDS, signalOf, type DialogDeps } from './deps.js';

export interface BulkOptions {
  readonly groupBy: GroupBy;
  readonly page?: number;
  readonly filter?: string | undefined;
  /** The card is already on screen (paged from a card posted before the dialog began): only remember the view. */
  readonly silent?: boolean;
}

interface BulkState {
  groupBy: GroupBy;
  page: number;
  filter: string | null;
}

export class BulkDialog extends Dialog<BulkOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(DIALOG_IDS.bulk);
  }

  override async beginDialog(dc: DialogContext, options?: BulkOptions): Promise<DialogTurnResult> {
    const state = this.state(dc);
    state.groupBy = options?.groupBy ?? 'url';
    state.page = options?.page ?? 1;
    state.filter = options?.filter ?? null;
    if (options?.silent) return Dialog.EndOfTurn;
    return this.post(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const signal = signalOf(dc.context);
    if (signal?.kind !== 'bulk') return Dialog.EndOfTurn;
    const state = this.state(dc);
    if (signal.outcome === 'open') return this.post(dc);
    state.groupBy = signal.groupBy;
    state.page = signal.page;
    state.filter = signal.filter ?? null;
    if (signal.outcome === 'submitted' && this.deps.svc.app.store.findings.list({ state: 'open', ruleId: this.deps.svc.rule().id, limit: 1 }).length === 0) {
      await this.deps.post(dc.context, 'Every open finding is marked; bulk marking is done.');
      return dc.endDialog();
    }
    return Dialog.EndOfTurn;
  }

  private state(dc: DialogContext): BulkState {
    return dc.activeDialog!.state as BulkState;
  }

  private view(dc: DialogContext): BulkView {
    const s = this.state(dc);
    return { groupBy: s.groupBy, page: s.page, filter: s.filter ?? undefined };
  }

  private async post(dc: DialogContext): Promise<DialogTurnResult> {
    let shown;
    try {
      shown = bulkCardOf(this.deps.svc, this.view(dc));
    } catch (err) {
      // A filter the analyst typed that does not parse: say why, and leave bulk marking.
      const problem = filterProblem(err);
      await this.deps.post(dc.context, problem.status);
      return dc.endDialog();
    }
    this.state(dc).page = shown.page;
    await this.deps.post(dc.context, posted('bulk', shown.card));
    return Dialog.EndOfTurn;
  }
}
