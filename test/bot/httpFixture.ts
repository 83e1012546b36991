// The real server (startServer) on port 0 with the real TriageBot over a seeded temp SQLite file, and the
// local Bot Connector the bot's replies go to. `turn` runs one POST and returns the connector calls it caused:
// the adapter answers a POST only after the turn (and every send in it) finished, so nothing is waited for.
import type { TestContext } from 'node:test';
import { silentLogger } from '../../src/log.js';
import { startServer, type BotServer } from '../../src/server.js';
import { botHttp, type BotHttp, type ConversationSpec, type PostResult } from '../support/botHttp.js';
import { cardOf, startConnector, type Connector, type ConnectorCall } from '../support/connector.js';
import { botFixture, removeFixture, type BotFixture, type FixtureOptions } from '../dialogs/fixture.js';

export interface HttpFixture {
  readonly f: BotFixture;
  readonly connector: Connector;
  readonly server: BotServer;
  readonly chat: BotHttp;
}

export async function httpFixture(
  t: TestContext,
  opts: { env?: Record<string, string>; conversation?: ConversationSpec; bot?: FixtureOptions['bot'] } = {},
): Promise<HttpFixture> {
  const f = await botFixture({ env: { PORT: '0', HOST: '127.0.0.1', ...opts.env }, ...(opts.bot ? { bot: opts.bot } : {}) });
  const connector = await startConnector();
  const server = await startServer({ config: f.config, bot: f.bot, log: silentLogger });
  t.after(async () => {
    await server.close();
    await f.bot.idle();
    await connector.close();
    removeFixture(f);
  });
  const chat = botHttp(server.url, connector.url, opts.conversation ? { conversation: opts.conversation } : {});
  return { f, connector, server, chat };
}

export interface TurnCalls {
  readonly res: PostResult;
  readonly calls: ConnectorCall[];
  /** Activities posted (send or reply), in order. */
  readonly sent: ConnectorCall[];
  readonly updates: ConnectorCall[];
  readonly cards: any[];
  readonly texts: string[];
}

export async function turn(connector: Connector, post: () => Promise<PostResult>): Promise<TurnCalls> {
  const start = connector.calls.length;
  const res = await post();
  const calls = connector.calls.slice(start);
  const sent = calls.filter((c) => (c.route === 'send' || c.route === 'reply') && c.body?.type === 'message');
  return {
    res,
    calls,
    sent,
    updates: calls.filter((c) => c.route === 'update'),
    cards: sent.map((c) => cardOf(c.body)).filter(Boolean),
    texts: sent.map((c) => c.body?.text).filter((x): x is string => typeof x === 'string'),
  };
}

/** The posted activity's id, as the connector assigned it (what replyToId names). */
export const idOf = (c: ConnectorCall | undefined): string => c!.assignedId!;
