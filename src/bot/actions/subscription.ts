// Which conversations get the scheduled hunts' summaries. A channel asks for them when the bot is installed
// there; any conversation asks with `subscribe` and stops with `unsubscribe`. The flag lives with the stored
// conversation reference (the only way the bot may post there later), and every change is audited.
import type { ConversationReference } from 'botbuilder';
import { nextRunAfter, SCHEDULE_TIMEZONE } from '../../schedule/cron.js';
import type { ConversationRefs } from '../conversationRefs.js';
import { result, type ActionResult, type BotServices, type TurnInfo } from './context.js';
import { refusal } from './guard.js';

function scheduleLine(svc: BotServices): string {
  const pattern = svc.config.huntSchedule;
  if (!pattern) return 'No hunt schedule is configured yet (HUNT_SCHEDULE), so nothing is posted until an operator sets one; `hunt` runs one now.';
  const next = nextRunAfter(pattern, svc.now());
  return `Schedule: \`${pattern}\` (${SCHEDULE_TIMEZONE})${next ? `, next run ${next.toISOString().replace('.000Z', 'Z')}` : ''}.`;
}

/** Sets the flag and audits a change, in one transaction; answers whether the conversation was subscribed before. */
export function storeSubscription(svc: BotServices, refs: ConversationRefs, reference: Partial<ConversationReference>, on: boolean, actor: string, why: string): boolean {
  const store = svc.app.store;
  return store.transaction(() => {
    const before = refs.get(reference.conversation?.id ?? '')?.subscribed ?? false;
    const saved = refs.save(reference, { subscribed: on });
    if (before === on) return before;
    store.audit.append({
      actor,
      action: on ? 'conversation.subscribed' : 'conversation.unsubscribed',
      entity: 'conversation',
      entityId: saved.conversationId,
      before: { subscribed: before },
      after: { subscribed: on, why },
    });
    return before;
  });
}

/** `subscribe` / `unsubscribe`: analysts only, since a channel's alerts are everyone's there. */
export function subscribeCommand(
  svc: BotServices,
  refs: ConversationRefs | undefined,
  turn: TurnInfo,
  reference: Partial<ConversationReference>,
  on: boolean,
): ActionResult {
  const refused = refusal(svc, turn, 'mark', { entity: 'conversation', id: reference.conversation?.id ?? null, verb: on ? 'subscribe' : 'unsubscribe' });
  if (refused) return refused;
  if (!refs) {
    const line = 'Subscriptions are not available in this deployment: the bot keeps no conversation references.';
    return result(line, { replies: [line] });
  }
  const was = storeSubscription(svc, refs, reference, on, turn.actor.id, on ? 'subscribe' : 'unsubscribe');
  const where = turn.kind === 'personal' ? 'this chat' : 'this conversation';
  const line = on
    ? `${was ? 'Already subscribed' : 'Subscribed'}: ${where} gets a summary after every scheduled hunt. ${scheduleLine(svc)} Type unsubscribe to stop.`
    : `${was ? 'Unsubscribed' : 'Not subscribed'}: ${where} gets no scheduled hunt summaries. Type subscribe to get them.`;
  return result(line, { replies: [line] });
}
