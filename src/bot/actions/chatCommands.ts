// The typed commands that answer with replies and start no dialog: export, stats, subscribe, unsubscribe,
// exclusions, help, and anything unknown (which gets help, never silence).
import type { ConversationReference } from 'botbuilder';
import { ruleStats } from '../../triage/stats.js';
import { helpCard, statsCard } from '../cards/index.js';
import type { Command, CommandHelp } from '../commands.js';
import type { ConversationRefs } from '../conversationRefs.js';
import { posted, result, type ActionResult, type BotServices, type TurnInfo } from './context.js';
import { exclusionsCardOf } from './exclusions.js';
import { exportCommand } from './export.js';
import { subscribeCommand } from './subscription.js';

export type ChatCommand = Extract<Command, { name: 'export' | 'stats' | 'subscribe' | 'unsubscribe' | 'exclusions' | 'help' | 'unknown' }>;

export interface ChatCommandDeps {
  readonly svc: BotServices;
  readonly refs: ConversationRefs | undefined;
  readonly commands: readonly CommandHelp[];
}

export function answerChatCommand(deps: ChatCommandDeps, turn: TurnInfo, command: ChatCommand, reference: Partial<ConversationReference>): ActionResult {
  const { svc } = deps;
  switch (command.name) {
    case 'export':
      return exportCommand(svc, turn, command.format);
    case 'stats':
      return result('Stats: see below.', { replies: [posted('stats', statsCard(ruleStats(svc.app.store, svc.rule())))] });
    case 'subscribe':
    case 'unsubscribe':
      return subscribeCommand(svc, deps.refs, turn, reference, command.name === 'subscribe');
    case 'exclusions':
      return result('Exclusions: see below.', { replies: [posted('exclusions', exclusionsCardOf(svc, turn))] });
    case 'help':
      return result('Help: see below.', { replies: [posted('help', helpCard(deps.commands))] });
    case 'unknown': {
      const note = command.text ? `I don't know "${command.text.slice(0, 60)}". Here is what I can do:` : 'Here is what I can do:';
      return result(note, { replies: [posted('help', helpCard(deps.commands, note))] });
    }
  }
}
