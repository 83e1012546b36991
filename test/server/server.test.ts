// The real server (restify + CloudAdapter, no app id: the local, unauthenticated mode) with small test bots,
// talking to a local connector over real HTTP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { loadConfig, type Config } from '../../src/config.js';
import { botAuthOptions, createAdapter, startServer, turnErrorText, type BotServer } from '../../src/server.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { pino } from 'pino';
import { startConnector, type Connector } from '../support/connector.js';
import { botHttp, type BotHttp } from '../support/botHttp.js';

function testConfig(env: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), 'server-'));
  return loadConfig({ TRIAGE_DB: join(dir, 'triage.sqlite'), PORT: '0', HOST: '127.0.0.1', ...env });
}

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
  }
}

/** A bot whose turn fails with a two-line error. */
class ThrowingBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async () => {
      throw new Error('the store is locked\n    at somewhere (internal.ts:1:1)');
    });
  }
}

/** A real pino logger whose JSON lines a test can read. */
function captureLogger(): { log: Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

interface Harness {
  server: BotServer;
  connector: Connector;
  chat: BotHttp;
}

async function start(t: TestContext, bot: ActivityHandler, extra: { maxBodyBytes?: number; log?: Logger } = {}): Promise<Harness> {
  const config = testConfig();
  const connector = await startConnector();
  const server = await startServer({ config, bot, log: silentLogger, ...extra });
  t.after(async () => {
    await server.close();
    await connector.close();
  });
  return { server, connector, chat: botHttp(server.url, connector.url) };
}

test('a message is processed by the bot and its reply reaches the connector as a reply to it', async (t) => {
  const { server, connector, chat } = await start(t, new EchoBot());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(server.port > 0);
  const posted = await chat.message('hello there');
  assert.equal(posted.status, 200);
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.route, 'reply');
  assert.equal(reply!.conversationId, chat.conversation.id);
  assert.equal(reply!.activityId, posted.activity.id);
  assert.equal(reply!.body.text, 'echo: hello there');
  assert.equal(reply!.body.replyToId, posted.activity.id);
  assert.equal(reply!.body.conversation.id, chat.conversation.id);
  assert.equal(reply!.body.from.id, chat.bot.id);
  // Without an app id there is no token to send.
  assert.equal(reply!.headers.authorization, undefined);
});

test('a channel conversation id with Teams punctuation round-trips through the connector path', async (t) => {
  const { connector, chat } = await start(t, new EchoBot());
  const channel = chat.in({ kind: 'channel', channelId: 'soc;messageid=1700000000000' });
  await channel.message('hi', undefined, { mention: false });
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.conversationId, '19:soc;messageid=1700000000000@thread.tacv2');
});

test('GET /healthz answers ok', async (t) => {
  const { server } = await start(t, new EchoBot());
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('malformed JSON gets a 400 and the server keeps answering', async (t) => {
  const { log, lines } = captureLogger();
  const { server, chat, connector } = await start(t, new EchoBot(), { log });
  const bad = await chat.raw('{"type": "message", "text": ');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /Invalid JSON/);
  assert.ok(lines.some((l) => l.msg === 'request refused' && l.status === 400), JSON.stringify(lines));
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(connector.calls.length, 0);
});

test('bodies that are not activities get a 4xx, not a turn', async (t) => {
  const { chat, connector } = await start(t, new EchoBot());
  const noType = await chat.raw(JSON.stringify({ text: 'no type' }));
  assert.equal(noType.status, 400);
  assert.match(noType.body.error, /invalid activity: type/);
  const array = await chat.raw('[1, 2]');
  assert.equal(array.status, 400);
  const text = await chat.raw('hunt', { 'content-type': 'text/plain' });
  assert.equal(text.status, 415);
  const gzip = await chat.raw(JSON.stringify(chat.activity({ type: 'message', text: 'x' })), { 'content-encoding': 'gzip' });
  assert.equal(gzip.status, 415);
  const empty = await chat.raw('');
  assert.equal(empty.status, 400);
  assert.equal(connector.calls.length, 0);
  // ... and a good one still works afterwards.
  await chat.message('still here');
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.body.text, 'echo: still here');
});

test('a 2 MB body gets a 413 and the server keeps answering', async (t) => {
  const { chat, server, connector } = await start(t, new EchoBot());
  const huge = JSON.stringify(chat.activity({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) }));
  const res = await chat.raw(huge);
  assert.equal(res.status, 413);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  assert.equal(connector.calls.length, 0);
});

test('the body limit is configurable', async (t) => {
  const { chat, connector } = await start(t, new EchoBot(), { maxBodyBytes: 2048 });
  assert.equal((await chat.message('y'.repeat(4096))).status, 413);
  assert.equal((await chat.message('small')).status, 200);
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.body.text, 'echo: small');
});

test('a turn that throws tells the user one line, and the server stays up', async (t) => {
  const { server, connector, chat } = await start(t, new ThrowingBot());
  const res = await chat.message('hunt');
  assert.equal(res.status, 200);
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.body.text, 'Sorry, something went wrong: the store is locked');
  assert.equal(reply!.conversationId, chat.conversation.id);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  // The next turn runs normally (and fails the same way, again in one line).
  await chat.message('again');
  const both = await connector.waitForSent(2);
  assert.equal(both[1]!.body.text, 'Sorry, something went wrong: the store is locked');
});

test('a failing card action still answers the invoke, with the Universal Actions error shape', async (t) => {
  const bot = new ActivityHandler();
  bot.onTurn(async (context: TurnContext) => {
    if (context.activity.type === 'invoke') throw new Error('finding f-1 changed since the card was sent');
  });
  const { connector, chat } = await start(t, bot);
  const res = await chat.execute('finding.benign', { findingId: 'f-1', version: 1 }, { replyToId: 'act-0' });
  assert.equal(res.status, 200);
  assert.equal(res.body.statusCode, 500);
  assert.equal(res.body.type, 'application/vnd.microsoft.error');
  assert.equal(res.body.value.message, 'Sorry, something went wrong: finding f-1 changed since the card was sent');
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.body.text, 'Sorry, something went wrong: finding f-1 changed since the card was sent');
});

test('a turn error the user cannot be told about (connector down) is logged and the server stays up', async (t) => {
  const { log, lines } = captureLogger();
  const { server, connector, chat } = await start(t, new ThrowingBot(), { log });
  connector.fail({ route: 'reply', status: 403, times: 10 });
  const res = await chat.message('hunt');
  assert.equal(res.status, 200);
  await connector.waitFor((c) => c.route === 'reply' && c.status === 403);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const failed = lines.find((l) => l.msg === 'turn failed');
  assert.equal(failed?.level, 50);
  assert.match(failed?.err?.message, /the store is locked/);
  assert.equal(failed?.conversationId, chat.conversation.id);
  assert.ok(lines.some((l) => l.msg === 'could not tell the user the turn failed'));
});

test('turnErrorText keeps the first line, short', () => {
  assert.equal(turnErrorText(new Error('one\ntwo')), 'Sorry, something went wrong: one');
  assert.equal(turnErrorText('plain string'), 'Sorry, something went wrong: plain string');
  assert.equal(turnErrorText(new TypeError('')), 'Sorry, something went wrong: TypeError');
  const long = turnErrorText(new Error('z'.repeat(500)));
  assert.ok(long.length < 260, `${long.length}`);
  assert.ok(long.endsWith('…'));
});

test('close() waits for the turn in flight, refuses new connections meanwhile, then resolves', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inTurn = new Promise<void>((r) => (entered = r));
  const events: string[] = [];
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    entered();
    await gate;
    await context.sendActivity('finished');
    events.push('turn done');
    await next();
  });
  let shutdownCalls = 0;
  const config = testConfig();
  const connector = await startConnector();
  t.after(() => connector.close());
  const server = await startServer({ config, bot, log: silentLogger, onShutdown: () => shutdownCalls++ });
  const chat = botHttp(server.url, connector.url);

  const pending = chat.message('slow');
  await inTurn;
  const closing = server.close().then(() => events.push('closed'));
  assert.equal(shutdownCalls, 1);
  // A new connection is refused while the old turn runs: the listener is gone.
  await assert.rejects(fetch(`${server.url}/healthz`));
  assert.deepEqual(events, []);

  release();
  const res = await pending;
  assert.equal(res.status, 200);
  await closing;
  assert.deepEqual(events, ['turn done', 'closed']);
  const [reply] = connector.sent();
  assert.equal(reply!.body.text, 'finished');
  // Idempotent.
  await server.close();
  assert.equal(shutdownCalls, 1);
});

test('close() also waits for a turn whose caller hung up', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inTurn = new Promise<void>((r) => (entered = r));
  const events: string[] = [];
  const bot = new ActivityHandler();
  bot.onMessage(async (_context, next) => {
    entered();
    await gate;
    events.push('turn done');
    await next();
  });
  const connector = await startConnector();
  t.after(() => connector.close());
  const server = await startServer({ config: testConfig(), bot, log: silentLogger });
  const sockets: Socket[] = [];
  server.http.on('connection', (s: Socket) => sockets.push(s));
  const chat = botHttp(server.url, connector.url);
  const abort = new AbortController();
  const activity = chat.activity({ type: 'message', text: 'slow' });
  const pending = fetch(chat.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: abort.signal });
  await inTurn;
  const closing = server.close().then(() => events.push('closed'));
  abort.abort();
  await assert.rejects(pending);
  // Once the server has seen every socket close, only the turn can still hold close() back.
  await Promise.all(sockets.filter((s) => !s.destroyed).map((s) => once(s, 'close')));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, []);
  release();
  await closing;
  assert.deepEqual(events, ['turn done', 'closed']);
});

test('without an app id the server refuses to listen beyond loopback', async () => {
  const config = testConfig({ HOST: '0.0.0.0' });
  await assert.rejects(startServer({ config, bot: new EchoBot(), log: silentLogger }), /HOST=0\.0\.0\.0 without MicrosoftAppId/);
});

test('a port already in use is one clear error', async (t) => {
  const { server } = await start(t, new EchoBot());
  const config = testConfig({ PORT: String(server.port) });
  await assert.rejects(startServer({ config, bot: new EchoBot(), log: silentLogger }), new RegExp(`server: cannot listen on 127\\.0\\.0\\.1:${server.port}: .*EADDRINUSE`));
});

test('the adapter is configured from the validated config only', () => {
  const local = botAuthOptions(testConfig());
  assert.deepEqual(local, { MicrosoftAppType: 'MultiTenant' });
  const single = botAuthOptions(
    testConfig({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 's3cret', MicrosoftAppTenantId: 'tenant-1', MicrosoftAppType: 'SingleTenant' }),
  );
  assert.deepEqual(single, {
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppId: 'app-1',
    MicrosoftAppPassword: 's3cret',
    MicrosoftAppTenantId: 'tenant-1',
  });
  // A SingleTenant app without a tenant is a configuration error botbuilder reports at construction.
  assert.throws(() => createAdapter(testConfig({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }), silentLogger), /MicrosoftAppTenantId is required/);
});

test('with an app id, an unsigned request is refused with 401 and no turn runs', async (t) => {
  const config = testConfig({ MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppPassword: 'x' });
  const connector = await startConnector();
  const server = await startServer({ config, bot: new EchoBot(), log: silentLogger });
  t.after(async () => {
    await server.close();
    await connector.close();
  });
  const res = await botHttp(server.url, connector.url).message('hi');
  assert.equal(res.status, 401);
  assert.equal(connector.calls.length, 0);
});
