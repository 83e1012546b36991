// What every card action and command handler gets (the services the CLI also uses, plus who is acting) and
// what it gives back: a replacement for the card it came from, replies, and a signal for the active dialog.
// Handlers never touch the TurnContext, so they are plain async functions over the domain.
import type { Config } from '../../config.js';
import type { KDateTime } from '../../kql/values.js';
import type { Logger } from '../../log.js';
import type { Rule } from '../../rules/index.js';
import type { EventSource } from '../../sources/eventSource.js';
import type { TriageApp } from '../../triage/app.js';
import type { Authorizer } from '../authz.js';
import type { AdaptiveCard } from '../cards/types.js';
import type { GroupBy } from '../cards/verbs.js';
import type { Actor, ConversationKind } from '../conversation.js';

export interface BotServices {
  readonly app: TriageApp;
  readonly config: Config;
  readonly authz: Authorizer;
  readonly log: Logger;
  /** The wall clock when nothing pins it. */
  readonly now: () => Date;
  readonly createSource: (now: KDateTime) => EventSource;
  /** The rule `hunt` runs (TRIAGE_RULE, or the only one loaded). */
  readonly rule: () => Rule;
  /** One hunt at a time per bot: a second `hunt` while one runs is told so instead of racing it. */
  readonly huntLock: { running: boolean };
  /** How long a hunt may keep a turn waiting before its results are posted later instead. */
  readonly huntInlineMs: number;
}

/** What a posted card is, so an action knows what it came from (paging a bulk card vs. opening one). */
export type CardKind = 'finding' | 'proposal' | 'bulk' | 'bulkSummary' | 'exclusions' | 'hunt' | 'stats' | 'help' | 'welcome' | 'notice';

export interface TurnInfo {
  readonly actor: Actor;
  readonly kind: ConversationKind;
  /** The kind of card the action was clicked on, when the bot posted it (unknown for older or foreign cards). */
  readonly source?: CardKind | undefined;
}

export interface PostedCard {
  readonly kind: CardKind;
  readonly card: AdaptiveCard;
}

/** Any other attachment the bot posts as is: Teams' file consent and file info cards. */
export interface AttachmentReply {
  readonly attachment: { readonly contentType: string; readonly name?: string; readonly contentUrl?: string; readonly content?: unknown };
}

/** A text line (markdown: code blocks render), a card, or another attachment, posted after the action. */
export type Reply = string | PostedCard | AttachmentReply;

export const posted = (kind: CardKind, card: AdaptiveCard): PostedCard => ({ kind, card });

/** What the active dialog hears about an action, so a walk-through can move on. */
export type DialogSignal =
  | { readonly kind: 'finding'; readonly findingId: string; readonly outcome: 'marked' | 'skipped' }
  | { readonly kind: 'triage.next' }
  | { readonly kind: 'bulk'; readonly outcome: 'open' | 'paged' | 'submitted'; readonly groupBy: GroupBy; readonly page: number; readonly filter: string | undefined }
  | { readonly kind: 'exclusion'; readonly exclusionId: number; readonly outcome: 'decided' };

export interface ActionResult {
  /**
   * The card that takes the place of the one the action came from: the invoke response, and with `broadcast`
   * also an update of the posted message, so every viewer sees it (the playground ignores `refresh`).
   */
  readonly replace?: PostedCard & { readonly broadcast: boolean };
  /** A short status line: the invoke's message response when nothing replaces the card, the Submit path's reply. */
  readonly status: string;
  readonly replies: readonly Reply[];
  readonly signal?: DialogSignal;
}

export function result(status: string, more: Partial<Omit<ActionResult, 'status'>> = {}): ActionResult {
  return { ...more, status, replies: more.replies ?? [] };
}
