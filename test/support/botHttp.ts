// Builds real Bot Framework activities, shaped as Teams sends them (channelId 'msteams', the serviceUrl of a
// local connector, tenant, Entra object ids, @mentions in channels), and POSTs them to a running bot's
// /api/messages. Each call answers with the HTTP status and body (the invoke response, for invokes) and the
// activity that was sent, so a test can wait on the connector for the bot's replies to it.

export interface TestAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export interface ConversationSpec {
  kind: ConversationKind;
  /** Defaults: personal `a:dm-<user>`, channel `19:<channelId>@thread.tacv2`, groupChat `19:group@thread.v2`. */
  id?: string;
  tenantId?: string;
  teamId?: string;
  teamName?: string;
  channelId?: string;
  channelName?: string;
}

export interface BotHttpOptions {
  conversation?: ConversationSpec;
  user?: TestAccount;
  bot?: TestAccount;
}

export interface PostResult {
  status: number;
  /** Parsed JSON when the answer is JSON, else its text ('' for an empty answer). */
  body: any;
  /** The activity as posted (with its id, for matching replies' replyToId). */
  activity: Record<string, any>;
}

export const TENANT_ID = '72f988bf-0000-4000-8000-00000000a1b2';
export const ALICE: TestAccount = { id: '29:alice-teams-id', name: 'Alice Analyst', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
export const BOB: TestAccount = { id: '29:bob-teams-id', name: 'Bob Lead', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
export const MALLORY: TestAccount = { id: '29:mallory-teams-id', name: 'Mallory', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
export const BOT: TestAccount = { id: '28:triage-bot', name: 'Triage' };

let inbound = 0;

export class BotHttp {
  readonly messagesUrl: string;
  readonly user: TestAccount;
  readonly bot: TestAccount;
  readonly spec: ConversationSpec;

  constructor(
    readonly serverUrl: string,
    readonly connectorUrl: string,
    opts: BotHttpOptions = {},
  ) {
    this.messagesUrl = `${serverUrl.replace(/\/+$/, '')}/api/messages`;
    this.user = opts.user ?? ALICE;
    this.bot = opts.bot ?? BOT;
    this.spec = opts.conversation ?? { kind: 'personal' };
  }

  /** The same conversation, another sender by default. */
  as(user: TestAccount): BotHttp {
    return new BotHttp(this.serverUrl, this.connectorUrl, { conversation: this.spec, user, bot: this.bot });
  }

  /** Another conversation, same default sender. */
  in(conversation: ConversationSpec): BotHttp {
    return new BotHttp(this.serverUrl, this.connectorUrl, { conversation, user: this.user, bot: this.bot });
  }

  get tenantId(): string {
    return this.spec.tenantId ?? TENANT_ID;
  }

  get conversation(): { id: string; conversationType: ConversationKind; tenantId: string; isGroup?: boolean; name?: string } {
    const s = this.spec;
    const id =
      s.id ??
      (s.kind === 'personal'
        ? `a:dm-${this.user.id.replace(/^\d+:/, '')}`
        : s.kind === 'channel'
          ? `19:${s.channelId ?? 'general'}@thread.tacv2`
          : '19:group@thread.v2');
    return { id, conversationType: s.kind, tenantId: this.tenantId, ...(s.kind === 'personal' ? {} : { isGroup: true }) };
  }

  get channelData(): Record<string, unknown> {
    const s = this.spec;
    const data: Record<string, unknown> = { tenant: { id: this.tenantId } };
    if (s.kind === 'channel') {
      const teamId = s.teamId ?? '19:team-general@thread.tacv2';
      data.team = { id: teamId, name: s.teamName ?? 'SOC' };
      data.channel = { id: this.conversation.id, name: s.channelName ?? 'General' };
    }
    return data;
  }

  /** A complete activity from the given fields; nothing is posted. */
  activity(fields: Record<string, any>, from: TestAccount = this.user): Record<string, any> {
    const now = new Date().toISOString();
    return {
      id: `in-${++inbound}`,
      channelId: 'msteams',
      serviceUrl: this.connectorUrl,
      timestamp: now,
      localTimestamp: now,
      locale: 'en-US',
      from: { ...from },
      recipient: { ...this.bot },
      conversation: this.conversation,
      channelData: this.channelData,
      ...fields,
    };
  }

  /** POSTs an activity built from `fields`. */
  async post(fields: Record<string, any>, from?: TestAccount): Promise<PostResult> {
    const activity = this.activity(fields, from);
    const { status, body } = await this.raw(JSON.stringify(activity));
    return { status, body, activity };
  }

  /** POSTs a body as is (malformed JSON, a huge body, a wrong content type). */
  async raw(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : '';
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  /**
   * A typed message. In channels (and group chats) Teams delivers it only with an @mention of the bot, so by
   * default the text is prefixed with `<at>Bot</at> ` and the mention entity is attached, as Teams does.
   */
  message(text: string, from?: TestAccount, opts: { mention?: boolean } = {}): Promise<PostResult> {
    const mention = opts.mention ?? this.spec.kind !== 'personal';
    if (!mention) return this.post({ type: 'message', text, textFormat: 'plain' }, from);
    const tag = `<at>${this.bot.name ?? 'bot'}</at>`;
    return this.post(
      {
        type: 'message',
        text: `${tag} ${text}`,
        textFormat: 'plain',
        entities: [{ type: 'mention', text: tag, mentioned: { id: this.bot.id, name: this.bot.name } }],
      },
      from,
    );
  }

  /** An Action.Submit: a message with `value` (the card's data merged with its inputs), replying to the card. */
  submit(value: Record<string, unknown>, replyToId: string, from?: TestAccount): Promise<PostResult> {
    return this.post({ type: 'message', value, replyToId, channelData: { ...this.channelData, postBack: true } }, from);
  }

  /** Any invoke activity, e.g. 'adaptiveCard/action', 'task/fetch', 'task/submit'. */
  invoke(name: string, value: unknown, from?: TestAccount, opts: { replyToId?: string } = {}): Promise<PostResult> {
    return this.post({ type: 'invoke', name, value, ...(opts.replyToId ? { replyToId: opts.replyToId } : {}) }, from);
  }

  /** An Action.Execute (Universal Actions): data is the card's data merged with its input values. */
  execute(verb: string, data: Record<string, unknown>, opts: { replyToId?: string; from?: TestAccount } = {}): Promise<PostResult> {
    return this.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, opts.from, opts);
  }

  /** The app was added to (or removed from) this conversation. */
  installationUpdate(action: 'add' | 'remove' = 'add', from?: TestAccount): Promise<PostResult> {
    return this.post({ type: 'installationUpdate', action }, from);
  }

  /** Members joined; by default the bot itself, which is how Teams announces an install. */
  membersAdded(members: TestAccount[] = [this.bot], from?: TestAccount): Promise<PostResult> {
    const channelData = this.spec.kind === 'channel' ? { ...this.channelData, eventType: 'teamMemberAdded' } : this.channelData;
    return this.post({ type: 'conversationUpdate', membersAdded: members, channelData }, from);
  }
}

export function botHttp(serverUrl: string, connectorUrl: string, opts: BotHttpOptions = {}): BotHttp {
  return new BotHttp(serverUrl, connectorUrl, opts);
}
