// LogAnalyticsSource against a real HTTPS server on 127.0.0.1 that speaks the Log Analytics REST shape,
// through the real LogsQueryClient pipeline (bearer-token policy included). Waits go through an injected
// sleep, so the retry tests assert exact delays without sleeping.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import { SourceError } from '../../src/sources/eventSource.js';
import { LogAnalyticsSource } from '../../src/sources/logAnalyticsSource.js';
import type { LogAnalyticsSourceOptions } from '../../src/sources/logAnalyticsSource.js';
import { KDateTime, KTimespan, parseDateTime } from '../../src/kql/values.js';
import { errorBody, partialResult, primaryResult, startLogAnalyticsServer } from '../support/httpsLogAnalytics.js';
import type { LogAnalyticsServer } from '../support/httpsLogAnalytics.js';

const WORKSPACE = '6e0f4a2b-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const TOKEN = 'fake-token-7Hq2';
const NOW = Date.parse('2024-06-01T12:00:00Z');
const KQL = 'DeviceNetworkEvents\n| where RemoteUrl has "parsec.app"\n| take 10';

let server: LogAnalyticsServer;
let sleeps: number[];
let scopes: string[];

before(async () => {
  server = await startLogAnalyticsServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  sleeps = [];
  scopes = [];
});

const credential: TokenCredential = {
  async getToken(scope) {
    scopes.push(...(Array.isArray(scope) ? scope : [scope]));
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

function source(overrides: Partial<LogAnalyticsSourceOptions> = {}): LogAnalyticsSource {
  return new LogAnalyticsSource({
    workspaceId: WORKSPACE,
    credential,
    endpoint: server.endpoint,
    clientOptions: { tlsOptions: { ca: server.ca } },
    timing: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      now: () => NOW,
    },
    ...overrides,
  });
}

async function rejection(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SourceError, `expected a SourceError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the query to fail');
}

const ok = (body: unknown) => ({ status: 200, body });
const single = primaryResult([['n', 'long']], [[1]]);

describe('LogAnalyticsSource over HTTPS', () => {
  it('maps a successful result to typed rows, exactly', async () => {
    server.respond(
      ok(
        primaryResult(
          [
            ['FirstSeen', 'datetime'],
            ['Count', 'long'],
            ['Report', 'dynamic'],
            ['DeviceName', 'string'],
            ['Took', 'timespan'],
            ['Private', 'bool'],
            ['Score', 'real'],
            ['Id', 'guid'],
            ['Props', 'dynamic'],
          ],
          [
            ['2024-05-30T08:15:42.1234567Z', 3, '[1001,1002]', 'kessel-ws', '1.02:03:04.5000000', true, 0.25, '0b4f7a6e-0000-4000-8000-000000000001', '{"a":{"b":[1]}}'],
            [null, null, null, '', null, null, null, null, null],
          ],
        ),
      ),
    );
    const result = await source().query(KQL);
    assert.equal(result.status, 'ok');
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.columns, [
      { name: 'FirstSeen', type: 'datetime' },
      { name: 'Count', type: 'long' },
      { name: 'Report', type: 'dynamic' },
      { name: 'DeviceName', type: 'string' },
      { name: 'Took', type: 'timespan' },
      { name: 'Private', type: 'bool' },
      { name: 'Score', type: 'real' },
      { name: 'Id', type: 'guid' },
      { name: 'Props', type: 'dynamic' },
    ]);
    const firstSeen = parseDateTime('2024-05-30T08:15:42.1234567Z');
    assert.ok(firstSeen);
    assert.deepEqual(result.rows, [
      [firstSeen, 3, [1001, 1002], 'kessel-ws', new KTimespan((93_784 * 10_000_000) + 5_000_000), true, 0.25, '0b4f7a6e-0000-4000-8000-000000000001', { a: { b: [1] } }],
      [null, null, null, '', null, null, null, null, null],
    ]);
    const dt = result.rows[0][0];
    assert.ok(dt instanceof KDateTime);
    // All seven fractional digits survive (a JS Date would keep three).
    assert.equal(dt.toISOString(), '2024-05-30T08:15:42.1234567Z');
  });

  it('sends POST /v1/workspaces/{id}/query with the bearer token, Prefer wait and the query as is', async () => {
    server.respond(ok(single));
    await source({ serverTimeoutSeconds: 600 }).query(KQL, {
      window: { start: new Date('2024-05-27T12:00:00Z'), end: new Date('2024-06-01T12:00:00Z') },
    });
    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/v1/workspaces/${WORKSPACE}/query`);
    assert.equal(req.workspaceId, WORKSPACE);
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.headers.prefer, 'wait=600');
    assert.match(String(req.headers['content-type']), /^application\/json/);
    // The window is widened by the default one-day ingestion slack on each side.
    assert.deepEqual(req.json, { query: KQL, timespan: '2024-05-26T12:00:00.000Z/2024-06-02T12:00:00.000Z' });
    assert.deepEqual(scopes, ['https://api.loganalytics.io/.default']);
  });

  it('defaults Prefer to wait=180, honors ingestionSlackMs, and sends no timespan without a window', async () => {
    server.respond(ok(single), ok(single));
    const s = source({ ingestionSlackMs: 3_600_000 });
    await s.query(KQL, { window: { start: new Date('2024-05-27T12:00:00Z'), end: new Date('2024-06-01T12:00:00Z') } });
    await s.query(KQL);
    assert.equal(server.requests[0].headers.prefer, 'wait=180');
    assert.deepEqual(server.requests[0].json, { query: KQL, timespan: '2024-05-27T11:00:00.000Z/2024-06-01T13:00:00.000Z' });
    // Leaving timespan out is the REST API's "no service-side filter".
    assert.deepEqual(server.requests[1].json, { query: KQL });
  });

  it('keeps the rows of a partial failure, flags it, and surfaces the service error text', async () => {
    server.respond(
      ok(
        partialResult([['DeviceName', 'string'], ['Count', 'long']], [['kessel-ws', 2], ['hoth-01', 1]], {
          code: 'PartialError',
          message: 'There were some errors when processing your query.',
          details: [
            {
              code: 'EngineError',
              message: 'Something went wrong processing your query on the server.',
              innererror: {
                code: '-2133196797',
                message: 'Query execution has exceeded the allowed limits (80DA0003): the results of this query exceed the set limit of 500000 records.',
                severity: 2,
                severityName: 'Error',
              },
            },
          ],
        }),
      ),
    );
    const result = await source().query(KQL);
    assert.equal(result.status, 'partial');
    assert.deepEqual(result.rows, [['kessel-ws', 2], ['hoth-01', 1]]);
    assert.equal(
      result.partialError,
      'PartialError: There were some errors when processing your query.; ' +
        'EngineError: Something went wrong processing your query on the server.; ' +
        '-2133196797: Query execution has exceeded the allowed limits (80DA0003): the results of this query exceed the set limit of 500000 records.',
    );
    assert.equal(server.requests.length, 1);
  });

  it('retries a 429 after the Retry-After seconds, then succeeds', async () => {
    server.respond(
      { status: 429, headers: { 'retry-after': '7' }, body: errorBody({ code: 'ThrottledError', message: 'Too many concurrent queries.' }) },
      ok(single),
    );
    const result = await source().query(KQL);
    assert.deepEqual(result.rows, [[1]]);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [7000]);
    assert.equal(server.requests[1].headers.authorization, `Bearer ${TOKEN}`);
  });

  it('honors an HTTP-date Retry-After against the injected clock', async () => {
    server.respond(
      { status: 429, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() }, body: errorBody({ code: 'ThrottledError', message: 'Throttled.' }) },
      ok(single),
    );
    await source().query(KQL);
    assert.deepEqual(sleeps, [30_000]);
    assert.equal(server.requests.length, 2);
  });

  it('retries a 500 with jittered backoff, then succeeds', async () => {
    server.respond({ status: 500, body: errorBody({ code: 'InternalServerError', message: 'boom' }) }, ok(single));
    const result = await source({ retryBaseMs: 1000 }).query(KQL);
    assert.equal(result.status, 'ok');
    assert.equal(server.requests.length, 2);
    // Equal jitter: half of the 1000 ms step fixed, half scaled by random() = 0.5.
    assert.deepEqual(sleeps, [750]);
  });

  it('retries a 503 whose body is empty or not JSON (as gateways send)', async () => {
    server.respond({ status: 503 }, { status: 502, body: '<html><body>Bad Gateway</body></html>' }, ok(single));
    const result = await source({ timing: { sleep: async (ms) => void sleeps.push(ms), random: () => 0, now: () => NOW } }).query(KQL);
    assert.deepEqual(result.rows, [[1]]);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('gives up after maxRetries with the last status and the attempt count', async () => {
    const unavailable = { status: 503, body: errorBody({ code: 'ServiceUnavailableError', message: 'Try later.' }) };
    server.respond(unavailable, unavailable, unavailable);
    const err = await rejection(source({ maxRetries: 2, timing: { sleep: async (ms) => void sleeps.push(ms), random: () => 0, now: () => NOW } }).query(KQL));
    assert.equal(err.status, 503);
    assert.equal(err.code, 'ServiceUnavailableError');
    assert.equal(err.message, `log analytics (workspace ${WORKSPACE}): HTTP 503: ServiceUnavailableError: Try later. (after 3 attempts)`);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);
  });

  it('fails a 400 BadArgumentError at once, with the service message, code and status', async () => {
    server.respond({
      status: 400,
      body: errorBody({
        code: 'BadArgumentError',
        message: 'The request had some invalid properties',
        correlationId: '2b9c1f3e-5a4d-4c8e-9f00-1a2b3c4d5e6f',
        innererror: {
          code: 'SyntaxError',
          message: 'A recognition error occurred in the query.',
          innererror: { code: 'SYN0002', message: "Query could not be parsed at 'wher' on line [2,2]", line: 2, pos: 2, token: 'wher' },
        },
      }),
    });
    const err = await rejection(source().query('DeviceNetworkEvents\n| wher x'));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'BadArgumentError');
    assert.equal(
      err.message,
      `log analytics (workspace ${WORKSPACE}): HTTP 400: BadArgumentError: The request had some invalid properties; ` +
        "SyntaxError: A recognition error occurred in the query.; SYN0002: Query could not be parsed at 'wher' on line [2,2]",
    );
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, []);
    assert.ok(!err.message.includes(TOKEN));
    assert.equal(err.cause, undefined);
  });

  it('does not retry a 403, and keeps the token out of the error', async () => {
    server.respond({ status: 403, body: errorBody({ code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access to perform the requested operation' }) });
    const err = await rejection(source().query(KQL));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'InsufficientAccessError');
    assert.equal(server.requests.length, 1);
    assert.ok(!JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes(TOKEN));
  });

  it('stops retrying when the signal aborts during the backoff wait', async () => {
    const controller = new AbortController();
    server.respond({ status: 500, body: errorBody({ code: 'InternalServerError', message: 'boom' }) }, ok(single));
    const s = source({
      timing: {
        sleep: async (ms, signal) => {
          sleeps.push(ms);
          controller.abort();
          signal?.throwIfAborted();
        },
        random: () => 0.5,
        now: () => NOW,
      },
    });
    const err = await rejection(s.query(KQL, { signal: controller.signal }));
    assert.equal(err.code, 'Aborted');
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, [750]);
    server.requests.length = 0;
    const again = await rejection(s.query(KQL, { signal: controller.signal }));
    assert.equal(again.code, 'Aborted');
    assert.equal(server.requests.length, 0, 'an already aborted signal sends nothing');
    // The scripted success was never asked for; take it so the next test starts with an empty script.
    await s.query(KQL);
  });

  it('aborts a request in flight (the SDK drops abortSignal; the source attaches it itself)', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    server.respond({ status: 200, body: single, hold });
    const controller = new AbortController();
    const pending = rejection(source().query(KQL, { signal: controller.signal }));
    await server.received(1);
    controller.abort();
    const err = await pending;
    release();
    assert.equal(err.code, 'Aborted');
    assert.equal(err.message, `log analytics (workspace ${WORKSPACE}): query aborted`);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('retries a dropped connection, with a fresh client request id per attempt', async () => {
    server.respond({ drop: true }, ok(single));
    const result = await source().query(KQL);
    assert.deepEqual(result.rows, [[1]]);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [750]);
    const [first, second] = server.requests.map((r) => r.headers['x-ms-client-request-id']);
    assert.match(String(first), /^[0-9a-f-]{36}$/);
    assert.notEqual(first, second);
  });

  it('reports a credential failure once, without sending the query', async () => {
    const failing: TokenCredential = {
      async getToken() {
        const e = new Error('DefaultAzureCredential failed to retrieve a token.\n  EnvironmentCredential is unavailable.');
        e.name = 'CredentialUnavailableError';
        throw e;
      },
    };
    const err = await rejection(source({ credential: failing }).query(KQL));
    assert.equal(err.code, 'CredentialUnavailableError');
    assert.equal(
      err.message,
      `log analytics (workspace ${WORKSPACE}): could not get an access token: DefaultAzureCredential failed to retrieve a token. EnvironmentCredential is unavailable.`,
    );
    assert.equal(server.requests.length, 0);
    assert.deepEqual(sleeps, []);
  });

  it('is a real TLS check: without the CA the client refuses the server and does not retry', async () => {
    const err = await rejection(source({ clientOptions: {} }).query(KQL));
    assert.match(err.message, /self[- ]signed/i);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(sleeps, []);
  });
});

describe('LogAnalyticsSource query input', () => {
  it('rejects an inverted window before sending anything', async () => {
    const err = await rejection(source().query(KQL, { window: { start: new Date(NOW), end: new Date(NOW - 1) } }));
    assert.match(err.message, /bad query window/);
    assert.equal(server.requests.length, 0);
  });
});
