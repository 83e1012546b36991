// The bot as it runs (`npm run start:bot`: env → config → adapter → the real TriageBot), registered with an app
// id and pointed by its environment at local identity servers, all https. Nothing in the process is swapped:
// it trusts the test's certificate the way any Node process does, through NODE_EXTRA_CA_CERTS, which Node
// reads only at start-up; that is why this test runs the bot as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { startBotProcess } from '../support/botProcess.js';
import { startConnector } from '../support/connector.js';
import { botHttp } from '../support/botHttp.js';
import { selfSignedCert } from '../support/selfSignedCert.js';
import { startChannelOpenId, startLoginServer } from '../support/openIdServer.js';

test('the bot process refuses an unsigned request, answers a signed one, and its reply carries the issued token', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bot-auth-entry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tls = await selfSignedCert();
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, tls.cert);
  const channel = await startChannelOpenId({ tls });
  const login = await startLoginServer({ tls, tenant: 'contoso.onmicrosoft.com' });
  const connector = await startConnector();
  t.after(() => Promise.all([channel.close(), login.close(), connector.close()]));

  const appId = randomUUID();
  const bot = await startBotProcess(t, {
    NODE_EXTRA_CA_CERTS: caFile,
    TRIAGE_DB: join(dir, 'triage.sqlite'),
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'entry-secret',
    MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: channel.metadataUrl,
    ToBotFromChannelTokenIssuer: channel.issuer,
    ToChannelFromBotLoginUrl: login.loginUrl,
    ToChannelFromBotOAuthScope: 'https://api.botframework.test',
    ValidateAuthority: 'false',
  });
  const { child } = bot;
  const chat = botHttp(bot.url, connector.url);

  const unsigned = await chat.message('help');
  assert.equal(unsigned.status, 401);
  assert.equal(connector.calls.length, 0);
  assert.equal(login.tokenRequests.length, 0);
  assert.match(bot.stderr(), /"msg":"request not authenticated"/);

  const activity = chat.activity({ type: 'message', text: 'help', textFormat: 'plain' });
  const token = channel.token({ aud: appId, serviceurl: connector.url });
  const signed = await chat.raw(JSON.stringify(activity), { authorization: `Bearer ${token}` });
  assert.equal(signed.status, 200, `${JSON.stringify(signed.body)}\n${bot.stderr()}`);
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.activityId, activity.id);
  assert.ok(reply!.body.attachments?.length, 'help answers with its card');
  assert.deepEqual(channel.requests, ['GET /v1/.well-known/openidconfiguration', 'GET /v1/keys']);
  assert.equal(login.tokenRequests.length, 1);
  const [asked] = login.tokenRequests;
  assert.deepEqual(
    [asked!.form.grant_type, asked!.form.client_id, asked!.form.client_secret, asked!.form.scope],
    ['client_credentials', appId, 'entry-secret', 'https://api.botframework.test/.default'],
  );
  // Every call the bot made to the connector carried the app's token.
  for (const call of connector.calls) assert.equal(call.headers.authorization, `Bearer ${asked!.issued}`, `${call.method} ${call.path}`);

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0, bot.stderr());
});
