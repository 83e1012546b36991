// What a turn says about who is talking and where: the actor (Entra object id when Teams gives one), the kind
// of conversation, the command text with the bot's @mention taken out, and which cards the bot posted here.
import { CardFactory, MessageFactory, TurnContext, type Activity, type StatePropertyAccessor } from 'botbuilder';
import type { Logger } from '../log.js';
import type { Analyst } from '../triage/marking.js';
import type { CardKind, PostedCard, Reply } from './actions/context.js';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export interface Actor extends Analyst {
  /** The Entra object id the Authorizer checks; undefined when the channel gives none (the playground's invokes). */
  readonly aadObjectId: string | undefined;
  /** The channel account id (29:… in Teams): what card `refresh.userIds` lists. */
  readonly channelUserId: string;
}

export function actorOf(context: TurnContext): Actor {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  const aad = from.aadObjectId?.trim() || undefined;
  const name = from.name?.trim() || undefined;
  return { id: aad ?? from.id, name, aadObjectId: aad, channelUserId: from.id };
}

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const t = activity.conversation?.conversationType;
  if (t === 'channel') return 'channel';
  if (t === 'groupChat') return 'groupChat';
  return 'personal';
}

const AT_TAG = /<at\b[^>]*>.*?<\/at>/gis;

/**
 * The text a command is read from. In channels and group chats Teams puts "<at>Bot</at>" in the text; the
 * mention entity says which part is the bot. A mention without an entity (a hand-built activity) still goes.
 */
export function commandText(context: TurnContext): string {
  const activity = context.activity;
  let text = activity.text ?? '';
  if (activity.recipient?.id && TurnContext.getMentions(activity).length) {
    text = TurnContext.removeRecipientMention({ ...activity, text }) ?? text;
  }
  return text
    .replace(AT_TAG, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A conversationUpdate that added the bot itself (install into a team, chat or personal scope). */
export function botWasAdded(activity: Partial<Activity>): boolean {
  const bot = activity.recipient?.id;
  return !!bot && (activity.membersAdded ?? []).some((m) => m.id === bot);
}

/** The kinds of the cards the bot posted here, by activity id (the most recent ones), kept in conversation state. */
export interface CardLedgerState {
  ids: string[];
  kinds: Record<string, CardKind>;
}

/** Enough to tell the cards of a long walk-through apart; older cards count as unknown. */
const LEDGER_SIZE = 300;

export class CardLedger {
  constructor(private readonly accessor: StatePropertyAccessor<CardLedgerState>) {}

  async kindOf(context: TurnContext, activityId: string | undefined): Promise<CardKind | undefined> {
    if (!activityId) return undefined;
    const state = await this.accessor.get(context, { ids: [], kinds: {} });
    return Object.prototype.hasOwnProperty.call(state.kinds, activityId) ? state.kinds[activityId] : undefined;
  }

  async record(context: TurnContext, activityId: string, kind: CardKind): Promise<void> {
    const state = await this.accessor.get(context, { ids: [], kinds: {} });
    if (!Object.prototype.hasOwnProperty.call(state.kinds, activityId)) state.ids.push(activityId);
    state.kinds[activityId] = kind;
    while (state.ids.length > LEDGER_SIZE) delete state.kinds[state.ids.shift()!];
    await this.accessor.set(context, state);
  }
}

/** Posting into the conversation, with every card's id recorded in the ledger. */
export class Poster {
  constructor(
    private readonly ledger: CardLedger,
    private readonly log: Logger,
  ) {}

  async post(context: TurnContext, reply: Reply): Promise<void> {
    if (typeof reply === 'string') {
      await context.sendActivity(MessageFactory.text(reply));
      return;
    }
    if ('attachment' in reply) {
      await context.sendActivity(MessageFactory.attachment({ ...reply.attachment }));
      return;
    }
    const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)));
    if (sent?.id) await this.ledger.record(context, sent.id, reply.kind);
  }

  /**
   * Replaces a posted card. A failed update (the message is gone, the channel refuses) is logged, not fatal:
   * the actor already has the new card from the invoke response, and the action itself is stored.
   */
  async update(context: TurnContext, activityId: string, card: PostedCard): Promise<boolean> {
    try {
      await context.updateActivity({ id: activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card.card)] });
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err), activityId }, 'could not update the posted card');
      return false;
    }
    await this.ledger.record(context, activityId, card.kind);
    return true;
  }
}
