// The Bot Framework endpoints in config: the SDK's own setting names, validated as URLs, under config.bot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const refused = (env: Record<string, string>, re: RegExp) =>
  assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(env));

test('unset, the endpoints are the SDK’s public cloud; set, they are read under the SDK’s names', () => {
  assert.deepEqual(loadConfig({}).bot.endpoints, {
    openIdMetadataUrl: undefined,
    tokenIssuer: undefined,
    loginUrl: undefined,
    oAuthScope: undefined,
    validateAuthority: true,
  });
  const c = loadConfig({
    MicrosoftAppId: 'app-1',
    MicrosoftAppPassword: 's3cret',
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    ToChannelFromBotOAuthScope: 'https://api.botframework.us',
    ValidateAuthority: 'false',
  });
  assert.deepEqual(c.bot.endpoints, {
    openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    tokenIssuer: 'https://api.botframework.us',
    loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    oAuthScope: 'https://api.botframework.us',
    validateAuthority: false,
  });
  assert.ok(Object.isFrozen(c.bot.endpoints));
  // Empty strings (a copied .env.example) mean unset.
  assert.equal(loadConfig({ ToChannelFromBotLoginUrl: '', ValidateAuthority: '' }).bot.endpoints.loginUrl, undefined);
});

test('the OpenID metadata URL is https; plain http only on loopback', () => {
  for (const url of ['http://127.0.0.1:8080/v1/.well-known/openidconfiguration', 'http://localhost/x', 'http://[::1]:9/x']) {
    assert.equal(loadConfig({ ToBotFromChannelOpenIdMetadataUrl: url }).bot.endpoints.openIdMetadataUrl, url);
  }
  refused({ ToBotFromChannelOpenIdMetadataUrl: 'http://keys.example.com/v1/.well-known/openidconfiguration' }, /^config: ToBotFromChannelOpenIdMetadataUrl="http:\/\/keys\.example\.com.*": must be an https URL \(plain http only on loopback\)$/);
  refused({ ToBotFromChannelOpenIdMetadataUrl: 'ftp://127.0.0.1/keys' }, /^config: ToBotFromChannelOpenIdMetadataUrl="ftp:.*": must be an http\(s\) URL$/);
  refused({ ToBotFromChannelOpenIdMetadataUrl: 'login.botframework.com' }, /^config: ToBotFromChannelOpenIdMetadataUrl=/);
});

test('the login URL is https and names the tenant; issuer and scope must be URLs', () => {
  refused({ ToChannelFromBotLoginUrl: 'http://127.0.0.1:9/botframework.com' }, /^config: ToChannelFromBotLoginUrl=.*: must be an https URL \(MSAL accepts no other\)$/);
  refused({ ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/' }, /: must name the tenant, e\.g\. https:\/\/login\.microsoftonline\.com\/botframework\.com$/);
  refused({ ToBotFromChannelTokenIssuer: 'api.botframework.com' }, /^config: ToBotFromChannelTokenIssuer="api\.botframework\.com": must be a URL/);
  refused({ ToChannelFromBotOAuthScope: 'botframework' }, /^config: ToChannelFromBotOAuthScope="botframework": must be a URL/);
  refused({ ValidateAuthority: 'maybe' }, /^config: ValidateAuthority="maybe"/);
});

test('a login URL needs the app’s password, and means nothing to a managed identity', () => {
  const login = 'https://login.example.test/contoso.onmicrosoft.com';
  refused({ MicrosoftAppId: 'app-1', ToChannelFromBotLoginUrl: login }, /^config: ToChannelFromBotLoginUrl=".*": needs MicrosoftAppPassword/);
  refused(
    { MicrosoftAppId: 'app-1', MicrosoftAppTenantId: 't-1', MicrosoftAppType: 'UserAssignedMSI', ToChannelFromBotLoginUrl: login },
    /: a managed identity gets its tokens from Azure, not from a login URL/,
  );
  // Without an app id nothing is authenticated, and the URL is simply unused.
  assert.equal(loadConfig({ ToChannelFromBotLoginUrl: login }).bot.endpoints.loginUrl, login);
});
