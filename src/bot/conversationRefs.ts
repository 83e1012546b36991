// Conversation references for proactive posts (hunt results on a schedule): Teams lets a bot start talking in
// a conversation only with the reference captured from an earlier activity there. One row per conversation
// (a channel, not its threads), refreshed when a turn brings a changed reference (the serviceUrl can move),
// with a flag for the conversations that asked for posts.
import type Database from 'better-sqlite3';
import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { wallTime } from '../store/time.js';
import type { StorageHost } from './sqliteStorage.js';

const account = z.looseObject({ id: z.string().min(1) });

// What a reference needs for continueConversationAsync; everything else botbuilder puts there is kept as is.
const referenceSchema = z.looseObject({
  channelId: z.string().min(1),
  serviceUrl: z.url(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  bot: account,
  user: account.optional(),
});

export interface StoredConversationRef {
  readonly conversationId: string;
  readonly reference: ConversationReference;
  readonly subscribed: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface RefRow {
  conversation_id: string;
  reference: string;
  subscribed: number;
  created_at: string;
  updated_at: string;
}

export function parseConversationReference(value: unknown, what = 'conversation reference'): ConversationReference {
  const r = referenceSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new TypeError(`conversationRefs: ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data as unknown as ConversationReference;
}

/**
 * The reference as a proactive post needs it. In a Teams channel every message's conversation id names its
 * thread (`19:…@thread.tacv2;messageid=…`), and a reference's activityId makes a post a reply to that message:
 * kept as they came, a channel's scheduled summaries would land inside whichever thread last spoke to the bot,
 * and each thread would be its own subscription. So the channel is the conversation, and nothing is replied to.
 */
export function proactiveReference(reference: ConversationReference): ConversationReference {
  const { activityId: _replyTarget, ...rest } = reference;
  const conversation = rest.conversation;
  if (conversation.conversationType !== 'channel') return rest;
  return { ...rest, conversation: { ...conversation, id: channelConversationId(conversation.id) } };
}

/** The channel a (thread's) conversation id belongs to. */
export function channelConversationId(id: string): string {
  return id.replace(/;messageid=[^;]*$/i, '');
}

export class ConversationRefs {
  /** What each conversation's row last held, so a turn that changes nothing writes nothing. */
  private readonly lastSaved = new Map<string, string>();

  private readonly upsertRef: Database.Statement<{ id: string; reference: string; subscribed: number | null; at: string }>;
  private readonly selectOne: Database.Statement<[string], RefRow>;
  private readonly selectSubscribed: Database.Statement<[], RefRow>;
  private readonly setFlag: Database.Statement<{ id: string; subscribed: number; at: string }>;

  constructor(private readonly host: StorageHost) {
    const db = host.db;
    // A null subscribed keeps the stored flag: a refresh on an ordinary turn must not unsubscribe anyone.
    this.upsertRef = db.prepare(
      `INSERT INTO conversation_refs (conversation_id, reference, subscribed, created_at, updated_at)
       VALUES (@id, @reference, coalesce(@subscribed, 0), @at, @at)
       ON CONFLICT (conversation_id) DO UPDATE SET
         reference = excluded.reference,
         subscribed = coalesce(@subscribed, subscribed),
         updated_at = excluded.updated_at`,
    );
    this.selectOne = db.prepare('SELECT * FROM conversation_refs WHERE conversation_id = ?');
    this.selectSubscribed = db.prepare('SELECT * FROM conversation_refs WHERE subscribed = 1 ORDER BY conversation_id');
    this.setFlag = db.prepare(
      'UPDATE conversation_refs SET subscribed = @subscribed, updated_at = @at WHERE conversation_id = @id',
    );
  }

  /** Stores (or refreshes) the reference from `TurnContext.getConversationReference(activity)`. */
  save(reference: Partial<ConversationReference>, opts: { subscribed?: boolean } = {}): StoredConversationRef {
    const ref = proactiveReference(parseConversationReference(reference));
    const id = ref.conversation.id;
    const json = JSON.stringify(ref);
    this.host.transaction(() =>
      this.upsertRef.run({
        id,
        reference: json,
        subscribed: opts.subscribed === undefined ? null : Number(opts.subscribed),
        at: wallTime(this.host.now()),
      }),
    );
    this.lastSaved.set(id, json);
    return this.get(id)!;
  }

  /** The refresh on every turn: written only when the reference changed since this process last wrote it. */
  remember(reference: Partial<ConversationReference>): void {
    const ref = proactiveReference(parseConversationReference(reference));
    if (this.lastSaved.get(ref.conversation.id) !== JSON.stringify(ref)) this.save(ref);
  }

  /** By the conversation's id, or by any of its threads' ids in a channel. */
  get(conversationId: string): StoredConversationRef | undefined {
    const channel = channelConversationId(conversationId);
    const row = this.selectOne.get(conversationId) ?? (channel !== conversationId ? this.selectOne.get(channel) : undefined);
    return row && toRef(row);
  }

  /** Returns false when the conversation has no stored reference (the bot never saw it). */
  setSubscribed(conversationId: string, subscribed: boolean): boolean {
    const at = wallTime(this.host.now());
    return this.host.transaction(() => this.setFlag.run({ id: conversationId, subscribed: Number(subscribed), at }).changes > 0);
  }

  subscribed(): StoredConversationRef[] {
    return this.selectSubscribed.all().map(toRef);
  }
}

function toRef(row: RefRow): StoredConversationRef {
  return {
    conversationId: row.conversation_id,
    reference: parseConversationReference(JSON.parse(row.reference), `stored reference for ${row.conversation_id}`),
    subscribed: row.subscribed === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
