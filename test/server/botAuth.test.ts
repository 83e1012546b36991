// With MicrosoftAppId set, /api/messages takes only Bot Framework channel tokens, and the bot's own calls carry
// the app's credentials. Real servers on 127.0.0.1: the channel's OpenID metadata and keys (signing the tokens
// here), an https login authority with a token endpoint, the local connector, and the real server and adapter.
// Every refusal is checked for its reason (logged by the server), for the turn that did not run and the
// connector call that was not made, and then the same bot takes a valid token: the refusal was the token's.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ActivityHandler } from 'botbuilder';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { botAuthOptions, createAdapter, startServer } from '../../src/server.js';
import { startConnector, type Connector } from '../support/connector.js';
import { botHttp, type BotHttp } from '../support/botHttp.js';
import { selfSignedCert } from '../support/selfSignedCert.js';
import { nowSeconds, signingKey, startChannelOpenId, startLoginServer, type ChannelOpenId, type ChannelTokenClaims, type LoginServer } from '../support/openIdServer.js';

const SCOPE = 'https://api.botframework.test';
const SECRET = 'app-secret-for-tests';

/** Records every turn that reaches it, and answers messages, so a turn shows at the connector too. */
class RecordingBot extends ActivityHandler {
  readonly turns: string[] = [];
  constructor() {
    super();
    this.onTurn(async (context, next) => {
      this.turns.push(`${context.activity.type}: ${context.activity.text ?? ''}`);
      await next();
    });
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
  }
}

interface Harness {
  appId: string;
  channel: ChannelOpenId;
  login: LoginServer;
  connector: Connector;
  bot: RecordingBot;
  chat: BotHttp;
  logs: Array<Record<string, any>>;
  /** POSTs a message with `Authorization: Bearer <token>` (no header when token is undefined). */
  send(text: string, token: string | undefined, fields?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** The claims of a token the channel would send for this bot and connector. */
  claims(extra?: Partial<ChannelTokenClaims>): ChannelTokenClaims;
}

// Each test has its own OpenID, login and app id: the SDK caches metadata per URL and tokens per app id and
// scope, statically, so nothing one test fetched can serve another.
async function authedBot(t: TestContext): Promise<Harness> {
  const tls = await selfSignedCert();
  const channel = await startChannelOpenId();
  const login = await startLoginServer({ tls });
  const connector = await startConnector();
  const appId = randomUUID();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MicrosoftAppId: appId,
    MicrosoftAppPassword: SECRET,
    ToBotFromChannelOpenIdMetadataUrl: channel.metadataUrl,
    ToBotFromChannelTokenIssuer: channel.issuer,
    ToChannelFromBotLoginUrl: login.loginUrl,
    ToChannelFromBotOAuthScope: SCOPE,
    ValidateAuthority: 'false',
  });
  const logs: Array<Record<string, any>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const bot = new RecordingBot();
  // In this process the login server's certificate is trusted through MSAL's own agent options; the entry test
  // (botAuthEntry.test.ts) runs the bot as a process that trusts it through NODE_EXTRA_CA_CERTS instead.
  const adapter = createAdapter(config, log, { loginAgentOptions: { ca: tls.cert } });
  const server = await startServer({ config, bot, log, adapter });
  t.after(async () => {
    await server.close();
    await Promise.all([connector.close(), channel.close(), login.close()]);
  });
  const chat = botHttp(server.url, connector.url);
  return {
    appId,
    channel,
    login,
    connector,
    bot,
    chat,
    logs,
    send: (text, token, fields = {}) =>
      chat.raw(JSON.stringify(chat.activity({ type: 'message', text, ...fields })), token === undefined ? {} : { authorization: `Bearer ${token}` }),
    claims: (extra = {}) => ({ aud: appId, serviceurl: connector.url, ...extra }),
  };
}

/** 401, no turn, no call to the connector nor for a token, and the server logged why. */
async function assertRefused(h: Harness, res: { status: number; body: any }, reason: RegExp): Promise<void> {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.deepEqual(h.bot.turns, []);
  assert.equal(h.connector.calls.length, 0);
  assert.equal(h.login.tokenRequests.length, 0);
  const refusals = h.logs.filter((l) => l.msg === 'request not authenticated');
  assert.equal(refusals.length, 1, JSON.stringify(h.logs));
  assert.match(refusals[0]!.reason, reason);
  // The same bot, a moment later, takes a valid token: what was refused was the token.
  const ok = await h.send('valid', h.channel.token(h.claims()));
  assert.equal(ok.status, 200);
  assert.deepEqual(h.bot.turns, ['message: valid']);
  const [reply] = await h.connector.waitForSent(1);
  assert.equal(reply!.body.text, 'echo: valid');
}

test('one configured endpoint makes the SDK take all of them as given, so the others get the public cloud’s values', () => {
  const config = loadConfig({ MicrosoftAppId: 'app-1', MicrosoftAppPassword: 'x', ToBotFromChannelOpenIdMetadataUrl: 'https://keys.example.test/openid' });
  assert.deepEqual(botAuthOptions(config), {
    MicrosoftAppType: 'MultiTenant',
    MicrosoftAppId: 'app-1',
    MicrosoftAppPassword: 'x',
    ToBotFromChannelOpenIdMetadataUrl: 'https://keys.example.test/openid',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    OAuthUrl: 'https://api.botframework.com',
    ValidateAuthority: true,
  });
});

test('a valid channel token: 200, the turn runs, and its reply reaches the connector', async (t) => {
  const h = await authedBot(t);
  const res = await h.send('hello', h.channel.token(h.claims()));
  assert.equal(res.status, 200);
  assert.deepEqual(h.bot.turns, ['message: hello']);
  const [reply] = await h.connector.waitForSent(1);
  assert.equal(reply!.body.text, 'echo: hello');
  assert.equal(reply!.conversationId, h.chat.conversation.id);
  // The bot read the channel's metadata, then its keys.
  assert.deepEqual(h.channel.requests, ['GET /v1/.well-known/openidconfiguration', 'GET /v1/keys']);
  assert.equal(h.logs.filter((l) => l.msg === 'request not authenticated').length, 0);
});

test("the reply carries the bearer token the login server issued for the app's client credentials", async (t) => {
  const h = await authedBot(t);
  assert.equal((await h.send('hello', h.channel.token(h.claims()))).status, 200);
  const [reply] = await h.connector.waitForSent(1);
  assert.equal(h.login.tokenRequests.length, 1);
  const [asked] = h.login.tokenRequests;
  assert.equal(asked!.form.grant_type, 'client_credentials');
  assert.equal(asked!.form.client_id, h.appId);
  assert.equal(asked!.form.client_secret, SECRET);
  assert.equal(asked!.form.scope, `${SCOPE}/.default`);
  assert.equal(reply!.headers.authorization, `Bearer ${asked!.issued}`);
  // MSAL found the token endpoint in the tenant's OpenID configuration, and asked no one else (no instance
  // discovery: ValidateAuthority=false).
  assert.deepEqual(
    h.login.requests.map((r) => r.split('?')[0]),
    ['GET /botframework.com/v2.0/.well-known/openid-configuration', 'POST /botframework.com/oauth2/v2.0/token'],
  );
});

test('no Authorization header: 401 and no turn', async (t) => {
  const h = await authedBot(t);
  await assertRefused(h, await h.send('no header', undefined), /not authorized/);
});

test('an expired token (past the SDK’s five minutes of clock tolerance): 401 and no turn', async (t) => {
  const h = await authedBot(t);
  const now = nowSeconds();
  const expired = h.channel.token(h.claims({ nbf: now - 7200, iat: now - 7200, exp: now - 600 }));
  await assertRefused(h, await h.send('expired', expired), /expired/);
});

test('a token signed by a key the JWKS does not list: 401 and no turn', async (t) => {
  const h = await authedBot(t);
  const stranger = signingKey();
  await assertRefused(h, await h.send('stranger', h.channel.token(h.claims(), { sign: stranger })), /Signing Key could not be retrieved/);
});

test("a token signed by another key under a published key's id (a forgery): 401, not 500, and no turn", async (t) => {
  const h = await authedBot(t);
  const forged = h.channel.token(h.claims(), { sign: signingKey(), kid: h.channel.key.kid });
  await assertRefused(h, await h.send('forged', forged), /invalid signature/);
});

test('a token for another app id (wrong audience): 401 and no turn', async (t) => {
  const h = await authedBot(t);
  await assertRefused(h, await h.send('other app', h.channel.token(h.claims({ aud: randomUUID() }))), /Invalid AppId/);
});

test('a token from another issuer: 401 and no turn', async (t) => {
  const h = await authedBot(t);
  // The public cloud's issuer is not the one this bot is configured for.
  const token = h.channel.token(h.claims({ iss: 'https://api.botframework.com' }));
  await assertRefused(h, await h.send('other issuer', token), /No valid identity/);
});

test('a token issued for another serviceUrl: 401 and no turn', async (t) => {
  const h = await authedBot(t);
  const token = h.channel.token(h.claims({ serviceurl: 'https://smba.trafficmanager.net/emea/' }));
  await assertRefused(h, await h.send('elsewhere', token), /ServiceUrl claim/);
});

test('an activity from a channel the signing key is not endorsed for: 401 and no turn', async (t) => {
  const h = await authedBot(t);
  await assertRefused(h, await h.send('webchat', h.channel.token(h.claims()), { channelId: 'webchat' }), /endorsement/);
});
