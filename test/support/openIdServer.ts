// Local stand-ins for the two identity services a Bot Framework bot talks to, as real servers on 127.0.0.1
// (port 0), with keys made at test time:
// - the channel's OpenID metadata (ToBotFromChannelOpenIdMetadataUrl): a document whose jwks_uri lists the RSA
//   keys channel tokens are signed with, each endorsed for channel ids as the Bot Connector's are; and `token()`
//   signs channel tokens (RS256) the way the Bot Connector does, for the bot's /api/messages;
// - the login authority (ToChannelFromBotLoginUrl): the tenant's OpenID configuration MSAL reads, and a token
//   endpoint that answers client-credentials requests with a fresh access token, recording what was asked.
// Every server records the requests it got, so a test can tell what the bot fetched.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { TestCertificate } from './selfSignedCert.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh RSA key pair (2048 bits, as the Bot Connector's). */
export function signingKey(kid = `key-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** A compact JWS, RS256, with `kid` in its header. */
export function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
  return `${head}.${b64url(sign('RSA-SHA256', Buffer.from(head), key))}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

interface Listening {
  readonly origin: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, body: string, origin: string) => { status: number; body: unknown };

/** A JSON server over http, or https with the given certificate; `requests` gets `METHOD path` lines. */
async function listen(tls: TestCertificate | undefined, requests: string[], handle: Handler): Promise<Listening> {
  let origin = '';
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const out = handle(req, Buffer.concat(chunks).toString('utf8'), origin);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  };
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const notFound = { status: 404, body: { error: 'not_found' } };

export interface ChannelTokenClaims {
  /** The bot's app id. */
  aud: string;
  /** The serviceUrl of the activity the token comes with. */
  serviceurl: string;
  [claim: string]: unknown;
}

export interface ChannelOpenId {
  /** ToBotFromChannelOpenIdMetadataUrl. */
  readonly metadataUrl: string;
  /** ToBotFromChannelTokenIssuer: unique to this server, so no other test's tokens can pass here. */
  readonly issuer: string;
  /** The published key `token()` signs with by default. */
  readonly key: SigningKey;
  /** `METHOD path` of every request, in order. */
  readonly requests: readonly string[];
  /**
   * A channel token: iss, nbf, iat and exp (an hour from now) are set, `claims` add to or override them, and a
   * claim given as undefined is left out. `sign` signs with another key; `kid` names another key id.
   */
  token(claims: ChannelTokenClaims, opts?: { sign?: SigningKey; kid?: string }): string;
  close(): Promise<void>;
}

/** The channel's OpenID metadata and keys. The key is endorsed for `endorsements` (default: msteams). */
export async function startChannelOpenId(opts: { tls?: TestCertificate; endorsements?: string[] } = {}): Promise<ChannelOpenId> {
  const key = signingKey();
  const issuer = `https://api.botframework.test/${randomUUID()}`;
  const requests: string[] = [];
  const jwk = { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, kty: 'RSA', use: 'sig', endorsements: opts.endorsements ?? ['msteams'] };
  const server = await listen(opts.tls, requests, (req, _body, origin) => {
    if (req.method !== 'GET') return notFound;
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return {
        status: 200,
        body: { issuer, jwks_uri: `${origin}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] },
      };
    }
    if (req.url === '/v1/keys') return { status: 200, body: { keys: [jwk] } };
    return notFound;
  });
  return {
    metadataUrl: `${server.origin}/v1/.well-known/openidconfiguration`,
    issuer,
    key,
    requests,
    token(claims, tokenOpts = {}) {
      const now = nowSeconds();
      const payload = Object.fromEntries(
        Object.entries({ iss: issuer, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims }).filter(([, v]) => v !== undefined),
      );
      return signJwt(payload, (tokenOpts.sign ?? key).privateKey, tokenOpts.kid ?? tokenOpts.sign?.kid ?? key.kid);
    },
    close: () => server.close(),
  };
}

export interface TokenRequest {
  readonly path: string;
  /** The form the client posted: grant_type, client_id, client_secret, scope, ... */
  readonly form: Readonly<Record<string, string>>;
  /** The access token it was given. */
  readonly issued: string;
}

export interface LoginServer {
  /** ToChannelFromBotLoginUrl: the authority, tenant included. */
  readonly loginUrl: string;
  /** `METHOD path` of every request, in order. */
  readonly requests: readonly string[];
  readonly tokenRequests: readonly TokenRequest[];
  close(): Promise<void>;
}

/** An Entra-like login authority over https (MSAL accepts no other) for one tenant. */
export async function startLoginServer(opts: { tls: TestCertificate; tenant?: string }): Promise<LoginServer> {
  const tenant = opts.tenant ?? 'botframework.com';
  const requests: string[] = [];
  const tokenRequests: TokenRequest[] = [];
  const server = await listen(opts.tls, requests, (req, body, origin) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      return {
        status: 200,
        body: {
          issuer: `${origin}/${tenant}/v2.0`,
          authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
          jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        },
      };
    }
    if (req.method === 'POST' && path === `/${tenant}/oauth2/v2.0/token`) {
      const form = Object.fromEntries(new URLSearchParams(body));
      if (form.grant_type !== 'client_credentials') {
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: `grant_type ${form.grant_type}` } };
      }
      const issued = `login-token-${tokenRequests.length + 1}-${randomUUID()}`;
      tokenRequests.push({ path, form, issued });
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: issued } };
    }
    return notFound;
  });
  return { loginUrl: `${server.origin}/${tenant}`, requests, tokenRequests, close: () => server.close() };
}
