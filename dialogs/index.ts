// The bot's dialogs in one set, and how a card action's signal reaches them: the active dialog hears it
// (continueDialog); a signal that starts a flow (Next, Skip on a stray card, opening bulk marking) begins the
// matching dialog in place of whatever was active.
import type { StatePropertyAccessor } from 'botbuilder';
import { DialogSet, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { DialogSignal } from '../src/bot/actions/context.js';
import { BulkDialog, type BulkOptions } from './bulkDialog.js';
import { DIALOG_IDS, setSignal, type DialogDeps } from './deps.js';
import { ExclusionReviewDialog } from './exclusionReviewDialog.js';
import { TriageDialog, type TriageOptions } from './triageDialog.js';

export { BulkDialog, ExclusionReviewDialog, TriageDialog, DIALOG_IDS, type DialogDeps, type BulkOptions, type TriageOptions };

export function createDialogSet(state: StatePropertyAccessor<DialogState>, deps: DialogDeps): DialogSet {
  return new DialogSet(state).add(new TriageDialog(deps)).add(new BulkDialog(deps)).add(new ExclusionReviewDialog(deps));
}

function targetOf(signal: DialogSignal): string {
  switch (signal.kind) {
    case 'finding':
    case 'triage.next':
      return DIALOG_IDS.triage;
    case 'bulk':
      return DIALOG_IDS.bulk;
    case 'exclusion':
      return DIALOG_IDS.exclusionReview;
  }
}

/** The options a signal starts its dialog with, or undefined when it only matters to a dialog already running. */
function startOptions(signal: DialogSignal): TriageOptions | BulkOptions | undefined {
  switch (signal.kind) {
    case 'triage.next':
      return {};
    case 'finding':
      return signal.outcome === 'skipped' ? { passed: [signal.findingId] } : undefined;
    case 'bulk':
      // A page turned on a card posted before this dialog: only remember where the analyst is.
      return { groupBy: signal.groupBy, page: signal.page, filter: signal.filter, silent: signal.outcome !== 'open' };
    case 'exclusion':
      return undefined;
  }
}

export async function deliverSignal(dc: DialogContext, signal: DialogSignal): Promise<void> {
  const target = targetOf(signal);
  if (dc.activeDialog?.id === target) {
    setSignal(dc.context, signal);
    await dc.continueDialog();
    return;
  }
  const options = startOptions(signal);
  if (options === undefined) return;
  // Remembering a bulk page is not worth interrupting another flow; asking for something new is.
  const quiet = signal.kind === 'bulk' && signal.outcome !== 'open';
  if (quiet && dc.activeDialog) return;
  await dc.cancelAllDialogs();
  await dc.beginDialog(target, options);
}
