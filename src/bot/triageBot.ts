// The Teams bot: a thin layer over the triage services the CLI uses. Typed commands and card actions come in;
// card actions go through one router whichever way they arrive (Action.Execute invoke or Action.Submit
// message); the cards they replace are updated for everyone; dialogs carry the walk-throughs. Conversation and
// user state (dialog stacks included) live in the given Storage, SQLite in production, saved every turn.
import {
  CardFactory, ConversationState, TeamsActivityHandler, TurnContext, UserState,
  type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type FileConsentCardResponse, type StatePropertyAccessor, type Storage,
  type TaskModuleRequest, type TaskModuleResponse,
} from 'botbuilder';
import type { DialogSet, DialogState } from 'botbuilder-dialogs';
import { createDialogSet, deliverSignal, DIALOG_IDS, type BulkOptions } from '../../dialogs/index.js';
import type { Config } from '../config.js';
import type { KDateTime } from '../kql/values.js';
import type { Logger } from '../log.js';
import { findRule } from '../rules/index.js';
import { createSource as defaultSource } from '../sources/createSource.js';
import type { EventSource } from '../sources/eventSource.js';
import type { TriageApp } from '../triage/app.js';
import { posted, type ActionResult, type BotServices, type CardKind, type Reply, type TurnInfo } from './actions/context.js';
import { answerChatCommand, type ChatCommandDeps } from './actions/chatCommands.js';
import { answerFileConsent } from './actions/fileConsent.js';
import { storeSubscription } from './actions/subscription.js';
import { runHunt, type Defer } from './actions/hunt.js';
import type { Authorizer } from './authz.js';
import { welcomeCard } from './cards/index.js';
import type { GroupBy } from './cards/verbs.js';
import { loadCommandHelp, parseCommand, type CommandHelp } from './commands.js';
import type { ConversationRefs } from './conversationRefs.js';
import { actorOf, botWasAdded, CardLedger, commandText, conversationKind, Poster, type CardLedgerState } from './conversation.js';
import { routeAction } from './router.js';

export interface TriageBotOptions {
  readonly app: TriageApp;
  readonly config: Config;
  readonly authz: Authorizer;
  readonly storage: Storage;
  readonly log: Logger;
  readonly createSource?: (now: KDateTime) => EventSource;
  readonly now?: () => Date;
  /** Where conversation references are kept for proactive posts; refreshed on every turn when given. */
  readonly refs?: ConversationRefs;
  /** The help list; defaults to the manifest's command list. */
  readonly commands?: readonly CommandHelp[];
  /** A hunt slower than this answers "still running" and posts its results later (default 10 s: Teams waits ~15). */
  readonly huntInlineMs?: number;
}

interface ConversationFlags {
  welcomed?: boolean;
}

interface UserPrefs {
  bulkGroupBy?: GroupBy;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const TURN_INFO = Symbol('triage.turnInfo');

/** The turn's caller identity, as the adapter keeps it (botframework-connector's ClaimsIdentity). */
type ClaimsIdentity = Parameters<TurnContext['adapter']['continueConversationAsync']>[0] & object;

export class TriageBot extends TeamsActivityHandler {
  readonly services: BotServices;
  private readonly conversationState: ConversationState;
  private readonly userState: UserState;
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly flags: StatePropertyAccessor<ConversationFlags>;
  private readonly prefs: StatePropertyAccessor<UserPrefs>;
  private readonly ledger: CardLedger;
  private readonly poster: Poster;
  private readonly commands: readonly CommandHelp[];
  private readonly refs: ConversationRefs | undefined;
  private readonly chatDeps: ChatCommandDeps;
  private readonly background = new Set<Promise<void>>();

  constructor(opts: TriageBotOptions) {
    super();
    const { app, config } = opts;
    this.services = {
      app,
      config,
      authz: opts.authz,
      log: opts.log,
      now: opts.now ?? (() => new Date()),
      createSource: opts.createSource ?? ((now) => defaultSource(config, { now })),
      rule: () => findRule(app.rules, config.defaultRule),
      huntLock: { running: false },
      huntInlineMs: opts.huntInlineMs ?? 10_000,
    };
    this.commands = opts.commands ?? loadCommandHelp();
    this.refs = opts.refs;
    this.chatDeps = { svc: this.services, refs: this.refs, commands: this.commands };
    this.conversationState = new ConversationState(opts.storage);
    this.userState = new UserState(opts.storage);
    this.dialogState = this.conversationState.createProperty<DialogState>('dialogState');
    this.flags = this.conversationState.createProperty<ConversationFlags>('flags');
    this.ledger = new CardLedger(this.conversationState.createProperty<CardLedgerState>('cards'));
    this.poster = new Poster(this.ledger, opts.log);
    this.prefs = this.userState.createProperty<UserPrefs>('prefs');
    this.dialogs = createDialogSet(this.dialogState, {
      svc: this.services,
      post: (context, reply) => this.poster.post(context, reply),
      turn: (context) => this.turnInfo(context),
    });

    this.onMessage(async (context, next) => {
      await this.onMessageTurn(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if (botWasAdded(context.activity)) await this.installed(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.flags.set(context, {});
      this.subscribeHere(context, false, 'app removed');
      await next();
    });
  }

  /** Resolves once the hunts still running past their turn have posted: await it before closing the database. */
  async idle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /** Every turn ends by saving conversation and user state: a restart loses no one's place. */
  override async run(context: TurnContext): Promise<void> {
    this.rememberConversation(context);
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  // ---- card actions ----

  /** Action.Execute: the invoke response replaces the card for the actor; the message update, for everyone. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const res = await this.act(context, invoke.action?.data, invoke.action?.verb);
    const replyToId = context.activity.replyToId;
    if (res.replace && res.replace.broadcast && replyToId) await this.poster.update(context, replyToId, res.replace);
    else if (res.replace && replyToId) await this.ledger.record(context, replyToId, res.replace.kind);
    await this.finish(context, res);
    return res.replace
      ? { statusCode: 200, type: CARD, value: res.replace.card as unknown as Record<string, unknown> }
      : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: res.status as unknown as Record<string, unknown> };
  }

  /** Action.Submit (clients without Universal Actions): the posted card is updated in place, plus a short reply. */
  private async onSubmit(context: TurnContext): Promise<void> {
    const res = await this.act(context, context.activity.value);
    const replyToId = context.activity.replyToId;
    // Without Universal Actions the message update is the only way the card changes; failing that, post it.
    const updated = res.replace && replyToId ? await this.poster.update(context, replyToId, res.replace) : false;
    if (res.replace && !updated) await this.poster.post(context, res.replace);
    if (!res.replies.length) await this.poster.post(context, res.status);
    await this.finish(context, res);
  }

  /**
   * Teams dialogs (task modules), for a roomier bulk form in real Teams; the Agents Playground has none, and
   * every flow works without them. The dialog holds one card: what an action replaces is shown in it.
   */
  protected override async handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.inTaskModule(context, request);
  }

  protected override async handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.inTaskModule(context, request);
  }

  private async inTaskModule(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const res = await this.act(context, request.data, undefined, 'bulk');
    await this.finish(context, res);
    if (!res.replace) return { task: { type: 'message', value: res.status } };
    const title = res.replace.kind === 'bulk' || res.replace.kind === 'bulkSummary' ? 'Bulk marking' : 'Triage';
    return { task: { type: 'continue', value: { title, width: 'large', height: 'large', card: CardFactory.adaptiveCard(res.replace.card) } } };
  }

  private async act(context: TurnContext, data: unknown, verb?: unknown, surface?: CardKind): Promise<ActionResult> {
    const turn = { ...this.turnInfo(context), source: surface ?? (await this.ledger.kindOf(context, context.activity.replyToId)) };
    context.turnState.set(TURN_INFO, turn);
    return routeAction({ svc: this.services, commands: this.commands, defer: this.deferTo(context) }, turn, data, verb);
  }

  /** Posts a late hunt's results into the conversation the hunt was asked in, as a proactive turn. */
  private deferTo(context: TurnContext): Defer {
    const reference = TurnContext.getConversationReference(context.activity);
    const identity = context.turnState.get(context.adapter.BotIdentityKey) as ClaimsIdentity | undefined;
    const adapter = context.adapter;
    const log = this.services.log;
    return (pending) => {
      const task = pending
        .then(async (res) => {
          const logic = (ctx: TurnContext) => this.postProactively(ctx, res.replies);
          if (identity) await adapter.continueConversationAsync(identity, reference, logic);
          else await adapter.continueConversationAsync(this.services.config.bot.appId ?? '', reference, logic);
        })
        .catch((err: unknown) => log.error({ err, conversationId: reference.conversation?.id }, 'could not post the results of a late hunt'))
        .finally(() => this.background.delete(task));
      this.background.add(task);
    };
  }

  /**
   * Posts into a conversation from a proactive turn (a late hunt, a scheduled run), recording the cards so their
   * actions are routed like any other; `send` wraps each post (the scheduler retries throttled ones).
   */
  async postProactively(context: TurnContext, replies: readonly Reply[], send: <T>(post: () => Promise<T>) => Promise<T> = (post) => post()): Promise<void> {
    for (const r of replies) await send(() => this.poster.post(context, r));
    await this.conversationState.saveChanges(context, false);
  }

  /** Teams' answer to a file offered by `export` (personal chat): upload on accept, acknowledge a decline. */
  protected override async handleTeamsFileConsent(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.postAll(context, (await answerFileConsent(this.services, this.turnInfo(context), response)).replies);
  }

  /** The replies, then the dialogs hear what happened (a walk-through posts its next card after them). */
  private async finish(context: TurnContext, res: ActionResult): Promise<void> {
    await this.postAll(context, res.replies);
    if (res.signal) await deliverSignal(await this.dialogs.createContext(context), res.signal);
  }

  // ---- typed commands ----

  private async onMessageTurn(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.value !== undefined && a.value !== null && !a.text?.trim()) return this.onSubmit(context);
    const text = commandText(context);
    const command = parseCommand(text);
    const dc = await this.dialogs.createContext(context);
    switch (command.name) {
      case 'hunt': {
        await context.sendActivity({ type: 'typing' });
        const res = await runHunt(this.services, this.turnInfo(context), this.deferTo(context));
        return this.postAll(context, res.replies);
      }
      case 'next':
        await dc.cancelAllDialogs();
        await dc.beginDialog(DIALOG_IDS.triage, {});
        return;
      case 'bulk': {
        const prefs = await this.prefs.get(context, {});
        const groupBy = command.groupBy ?? prefs.bulkGroupBy ?? 'url';
        if (command.groupBy) await this.prefs.set(context, { ...prefs, bulkGroupBy: command.groupBy });
        await dc.cancelAllDialogs();
        const options: BulkOptions = { groupBy, page: 1, filter: command.filter };
        await dc.beginDialog(DIALOG_IDS.bulk, options);
        return;
      }
      case 'exclusions':
        if (!command.review) break;
        await dc.cancelAllDialogs();
        await dc.beginDialog(DIALOG_IDS.exclusionReview);
        return;
      default:
        break;
    }
    const reference = TurnContext.getConversationReference(context.activity);
    await this.postAll(context, answerChatCommand(this.chatDeps, this.turnInfo(context), command, reference).replies);
  }

  private async postAll(context: TurnContext, replies: readonly Reply[]): Promise<void> {
    for (const r of replies) await this.poster.post(context, r);
  }

  /** Installed in a channel: the team asked for the bot there, so the channel gets the scheduled summaries. */
  private async installed(context: TurnContext): Promise<void> {
    const subscribed = conversationKind(context.activity) === 'channel' && this.subscribeHere(context, true, 'installed in a channel');
    await this.welcome(context, subscribed);
  }

  /** Whether the flag was stored: an install still welcomes when the reference cannot be kept. */
  private subscribeHere(context: TurnContext, on: boolean, why: string): boolean {
    if (!this.refs) return false;
    try {
      storeSubscription(this.services, this.refs, TurnContext.getConversationReference(context.activity), on, actorOf(context).id, why);
      return true;
    } catch (err) {
      this.services.log.warn({ err: err instanceof Error ? err.message : String(err), why }, 'could not store the subscription');
      return false;
    }
  }

  private async welcome(context: TurnContext, subscribed = false): Promise<void> {
    const flags = await this.flags.get(context, {});
    // Teams announces an install twice (conversationUpdate and installationUpdate): welcome once.
    if (flags.welcomed) return;
    await this.poster.post(context, posted('welcome', welcomeCard({ open: this.services.authz.open, commands: this.commands, subscribed })));
    await this.flags.set(context, { ...flags, welcomed: true });
  }

  // ---- posting ----

  private turnInfo(context: TurnContext): TurnInfo {
    const known = context.turnState.get(TURN_INFO) as TurnInfo | undefined;
    return known ?? { actor: actorOf(context), kind: conversationKind(context.activity) };
  }

  private rememberConversation(context: TurnContext): void {
    if (!this.refs) return;
    try {
      this.refs.remember(TurnContext.getConversationReference(context.activity));
    } catch (err) {
      this.services.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not store the conversation reference');
    }
  }
}
