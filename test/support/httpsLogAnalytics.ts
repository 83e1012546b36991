// A local stand-in for the Log Analytics query API: a real HTTPS server on 127.0.0.1 (port 0, self-signed
// certificate) that speaks the REST shape of `POST /v1/workspaces/{id}/query`. It records every request and
// answers from a script, one scripted response per request, so a test states exactly what the service says.
import { createServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from './selfSignedCert.js';

export interface RecordedRequest {
  readonly method: string;
  /** The path as sent (percent-encoding kept), e.g. `/v1/workspaces/<id>/query`. */
  readonly path: string;
  /** The workspace id from the path, decoded; undefined when the path is not a query path. */
  readonly workspaceId: string | undefined;
  /** Node lower-cases header names: `authorization`, `prefer`, `content-type`. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string is sent as is (for non-JSON gateway errors); omit for no body. */
  readonly body?: unknown;
  /** Answer only once this settles (to test a client giving up on a request in flight). */
  readonly hold?: Promise<unknown>;
  /** Drop the connection instead of answering (a transport failure: ECONNRESET on the client). */
  readonly drop?: boolean;
}

export interface LogAnalyticsServer {
  /** The API root to give the client as its endpoint, including `/v1`. */
  readonly endpoint: string;
  /** PEM certificate the client must trust. */
  readonly ca: string;
  readonly requests: RecordedRequest[];
  /** Queues responses for the next requests, in order. */
  respond(...responses: ScriptedResponse[]): void;
  /** Resolves once `count` requests have arrived in all (counting those already recorded). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export type Cell = string | number | boolean | null;
export type ColumnSpec = readonly [name: string, type: string];

/** The 200 body of a successful query: one PrimaryResult table. */
export function primaryResult(columns: readonly ColumnSpec[], rows: readonly Cell[][]): Record<string, unknown> {
  return {
    tables: [{ name: 'PrimaryResult', columns: columns.map(([name, type]) => ({ name, type })), rows }],
  };
}

/**
 * The 200 body of a partial failure: the tables the service did produce, and an `error` beside them. The
 * SDK reports PartialFailure exactly when a 200 body has a truthy `error`.
 */
export function partialResult(columns: readonly ColumnSpec[], rows: readonly Cell[][], error: ServiceError): Record<string, unknown> {
  return { ...primaryResult(columns, rows), error };
}

export interface ServiceError {
  readonly code: string;
  readonly message: string;
  readonly details?: readonly ServiceError[];
  readonly innererror?: ServiceError;
  readonly [extra: string]: unknown;
}

/** An error response body: `{"error":{"code","message",...}}`. */
export function errorBody(error: ServiceError): Record<string, unknown> {
  return { error };
}

const QUERY_PATH = /^\/v1\/workspaces\/([^/]+)\/query$/;

export async function startLogAnalyticsServer(): Promise<LogAnalyticsServer> {
  const { cert, key } = await selfSignedCert();
  const requests: RecordedRequest[] = [];
  const script: ScriptedResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const notify = () => {
    for (const w of waiters.filter((x) => requests.length >= x.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      const m = QUERY_PATH.exec(path);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path,
        workspaceId: m ? decodeURIComponent(m[1]) : undefined,
        headers: req.headers,
        body,
        json,
      });
      const answer: ScriptedResponse =
        req.method !== 'POST' || !m
          ? { status: 404, body: errorBody({ code: 'PathNotFoundError', message: `The requested path does not exist: ${req.method} ${path}` }) }
          : (script.shift() ?? {
              // Not retryable, so a test that scripted too few answers fails at once and says why.
              status: 418,
              body: errorBody({ code: 'NoScriptedResponse', message: `test server: no scripted response for request ${requests.length}` }),
            });
      notify();
      if (answer.hold) await answer.hold.catch(() => undefined);
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      const headers: Record<string, string> = { ...answer.headers };
      let payload = '';
      if (answer.body !== undefined) {
        payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        headers['content-type'] ??= typeof answer.body === 'string' ? 'text/html' : 'application/json; charset=utf-8';
      }
      res.writeHead(answer.status ?? 200, headers);
      res.end(payload);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `https://127.0.0.1:${port}/v1`,
    ca: cert,
    requests,
    respond: (...responses) => {
      script.push(...responses);
    },
    received: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // The SDK's agent keeps connections alive; close them so the server (and the test) can end.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
