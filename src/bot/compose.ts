// The bot as production wires it over an open app: the authorizer from the config's lists, dialog and user
// state in the app's SQLite file, and the conversation references proactive posts need. src/index.ts, the
// tests' fixtures and the benchmark all build their bot here, so what they test is what runs.
import type { Logger } from '../log.js';
import type { TriageApp } from '../triage/app.js';
import { Authorizer } from './authz.js';
import { ConversationRefs } from './conversationRefs.js';
import { SqliteStorage } from './sqliteStorage.js';
import { TriageBot, type TriageBotOptions } from './triageBot.js';

export interface ComposedBot {
  readonly bot: TriageBot;
  readonly authz: Authorizer;
  readonly storage: SqliteStorage;
  readonly refs: ConversationRefs;
}

/** `options` may add what the defaults leave out (a source, a clock, the inline hunt time). */
export function composeBot(app: TriageApp, log: Logger, options: Partial<Pick<TriageBotOptions, 'createSource' | 'huntInlineMs' | 'now'>> = {}): ComposedBot {
  const authz = new Authorizer(app.config.authz);
  const storage = new SqliteStorage(app.store);
  const refs = new ConversationRefs(app.store);
  const bot = new TriageBot({ app, config: app.config, authz, storage, log, refs, ...options });
  return { bot, authz, storage, refs };
}
