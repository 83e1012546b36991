// Posting into every conversation that asked for updates, outside any turn (scheduled hunts). Each
// conversation is posted to on its own: one that throttles is retried, one where the app was removed or
// blocked (403) is unsubscribed, and neither stops the others.
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { Reply } from '../actions/context.js';
import type { ConversationRefs, StoredConversationRef } from '../conversationRefs.js';
import { DEFAULT_RETRY, statusOf, withRetry, type RetryOptions } from './retry.js';

/** Posts replies in a proactive turn; each send goes through `send`, which may repeat it. */
export type ProactivePoster = (context: TurnContext, replies: readonly Reply[], send: <T>(post: () => Promise<T>) => Promise<T>) => Promise<void>;

export interface BroadcastDeps {
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  /** The bot's app id ('' without one, the local default). */
  readonly appId: string;
  readonly refs: ConversationRefs;
  readonly store: Store;
  readonly post: ProactivePoster;
  readonly log: Logger;
  readonly retry?: RetryOptions;
}

export type Delivery =
  | { readonly conversationId: string; readonly outcome: 'posted' }
  | { readonly conversationId: string; readonly outcome: 'unsubscribed'; readonly status: 403 }
  | { readonly conversationId: string; readonly outcome: 'failed'; readonly status: number | undefined; readonly error: string };

/** Posts `replies` to every subscribed conversation, in turn, and says what became of each. */
export async function broadcast(deps: BroadcastDeps, replies: readonly Reply[]): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const sub of deps.refs.subscribed()) out.push(await deliver(deps, sub, replies));
  return out;
}

async function deliver(deps: BroadcastDeps, sub: StoredConversationRef, replies: readonly Reply[]): Promise<Delivery> {
  const { conversationId } = sub;
  const retry = {
    ...(deps.retry ?? DEFAULT_RETRY),
    onRetry: (info: { attempt: number; status: number; delayMs: number }) => deps.log.warn({ conversationId, ...info }, 'proactive post refused; retrying'),
  };
  try {
    // The adapter hands a failure inside the logic to its onTurnError, which would try to post "Sorry…" into
    // the very conversation that refused us and report success; so the failure is carried out by hand.
    let failure: { error: unknown } | undefined;
    await deps.adapter.continueConversationAsync(deps.appId, sub.reference, async (context) => {
      try {
        await deps.post(context, replies, (post) => withRetry(post, retry));
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
    return { conversationId, outcome: 'posted' };
  } catch (err) {
    const status = statusOf(err);
    const error = err instanceof Error ? err.message.split('\n', 1)[0]! : String(err);
    if (status === 403) {
      // Teams answers 403 when the app was uninstalled from the team or the user blocked it: posting again
      // would fail forever, so the conversation stops asking for updates until someone subscribes it again.
      deps.store.transaction(() => {
        deps.refs.setSubscribed(conversationId, false);
        deps.store.audit.append({ actor: 'scheduler', action: 'conversation.unsubscribed', entity: 'conversation', entityId: conversationId, after: { reason: `403: ${error}` } });
      });
      deps.log.warn({ conversationId, error }, 'proactive post forbidden (app removed or blocked): conversation unsubscribed');
      return { conversationId, outcome: 'unsubscribed', status: 403 };
    }
    deps.log.error({ conversationId, status, error }, 'proactive post failed');
    return { conversationId, outcome: 'failed', status, error };
  }
}
