// The bot's HTTP face: restify with POST /api/messages for the Bot Framework and GET /healthz. The adapter is
// built from the validated config; a turn that throws is logged and answered in one line, and the process
// stays up; close() stops taking requests, lets the turns in flight finish, then releases the port.
import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import restify from 'restify';
import {
  type ActivityHandler,
  type InvokeResponse,
  CloudAdapter,
  INVOKE_RESPONSE_KEY,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import type { Config } from './config.js';
import { silentLogger, type Logger } from './log.js';
import { isLoopback } from './loopback.js';
import { createBotAuthentication, type BotAuthOptions } from './serverAuth.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** After the last turn, how long idle keep-alive sockets may linger before they are cut. */
const SOCKET_DRAIN_MS = 5000;

export interface BotServer {
  /** The server's base URL, e.g. http://127.0.0.1:3978 (the endpoint is `${url}/api/messages`). */
  readonly url: string;
  readonly messagesUrl: string;
  readonly port: number;
  /** The underlying Node server (connection events, upgrade handlers). */
  readonly http: Server;
  /** Graceful: stop accepting, wait for the turns in flight, then resolve. Idempotent. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  config: Config;
  bot: ActivityHandler;
  log?: Logger;
  /** Called once when close() begins, so the caller can stop starting new work (schedules) too. */
  onShutdown?: () => void;
  /** Defaults to createAdapter(config, log); tests pass their own. Its onTurnError is left as given. */
  adapter?: CloudAdapter;
  maxBodyBytes?: number;
}

export { botAuthOptions } from './serverAuth.js';

/** The adapter: authentication and credentials from config (see serverAuth.ts), turn errors told in one line. */
export function createAdapter(config: Config, log: Logger, authOptions: BotAuthOptions = {}): CloudAdapter {
  const adapter = new CloudAdapter(createBotAuthentication(config, log, authOptions));
  adapter.onTurnError = turnErrorHandler(log);
  return adapter;
}

/** The one line a user sees when their turn failed: the error's first line, kept short. */
export function turnErrorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const first = raw.split(/\r?\n/, 1)[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
  return `Sorry, something went wrong: ${first.length > 200 ? `${first.slice(0, 199)}…` : first}`;
}

/**
 * Logs the failed turn and tells the user in one line. Never throws: a failure here would turn into a 500
 * for the channel, which then retries the same failing activity.
 */
export function turnErrorHandler(log: Logger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    const a = context.activity;
    log.error({ err: error, activityType: a.type, name: a.name, conversationId: a.conversation?.id, activityId: a.id }, 'turn failed');
    const text = turnErrorText(error);
    try {
      // An invoke still owes its caller an answer; a card action gets the Universal Actions error shape.
      if (a.type === 'invoke' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
        const value: InvokeResponse =
          a.name === 'adaptiveCard/action'
            ? { status: 200, body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: text } } }
            : { status: 500, body: { error: text } };
        await context.sendActivity({ type: 'invokeResponse', value });
      }
      await context.sendActivity(text);
    } catch (sendError) {
      log.error({ err: sendError, conversationId: a.conversation?.id }, 'could not tell the user the turn failed');
    }
  };
}


// The adapter trusts any object; the Bot Framework protocol needs at least a type to dispatch on.
const activityShape = z.looseObject({ type: z.string().min(1) });

export async function startServer(opts: StartServerOptions): Promise<BotServer> {
  const { config, bot } = opts;
  const log = opts.log ?? silentLogger;
  const { host, port } = config.server;
  const anonymous = config.bot.appId === undefined;
  if (anonymous && !isLoopback(host)) {
    // Without an app id nothing checks who calls: anyone who can reach the port could act as any analyst.
    throw new Error(
      `server: HOST=${host} without MicrosoftAppId would accept unauthenticated requests from the network; ` +
        'set MicrosoftAppId (and its password) or bind to 127.0.0.1',
    );
  }
  const adapter = opts.adapter ?? createAdapter(config, log);
  const maxBodySize = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  // restify 11 logs through pino; @types/restify still describes restify 8's bunyan logger.
  const server = restify.createServer({ name: 'triage-bot', log: log.child({ component: 'restify' }) } as unknown as restify.ServerOptions);
  const inFlight = new Map<ServerResponse, Promise<void>>();
  let closing = false;

  server.pre((req, res, next) => {
    if (closing) {
      res.setHeader('Connection', 'close');
      res.send(503, { error: 'shutting down' });
      return next(false);
    }
    // Bot Framework bodies are plain JSON; a compressed body could inflate far past the size limit.
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      res.send(415, { error: `unsupported content-encoding ${JSON.stringify(encoding)}` });
      return next(false);
    }
    return next();
  });
  // The reader answers 413 past the limit (after draining, so the client reads the answer); the parser 400.
  server.use(restify.plugins.bodyReader({ maxBodySize }));
  server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    const fields = { method: req.method, path: req.path(), status, err: err.message };
    if (status >= 500) log.error(fields, 'request failed');
    else log.warn(fields, 'request refused');
    cb();
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.post('/api/messages', async (req, res) => {
    if (!req.is('json')) {
      res.send(415, { error: 'expected an application/json Bot Framework activity' });
      return;
    }
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      res.send(400, { error: `invalid activity: ${shape.error.issues[0]?.path.join('.') || 'body'}: ${shape.error.issues[0]?.message}` });
      return;
    }
    const turn = (async () => {
      try {
        await adapter.process({ body: shape.data, headers: req.headers, method: 'POST' }, res, (context) => bot.run(context));
      } catch (e) {
        // process() rejects only on what it could not hand to a turn (a body it cannot read); the turn's own
        // errors went to onTurnError already.
        log.error({ err: e }, 'request failed before the turn');
        if (!res.headersSent) res.send(400, { error: 'invalid activity' });
      }
    })();
    inFlight.set(res, turn);
    try {
      await turn;
    } finally {
      inFlight.delete(res);
    }
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => reject(new Error(`server: cannot listen on ${host}:${port}: ${e.message}`));
    // restify re-emits the http server's errors on itself.
    server.once('error', fail);
    server.listen(port, host, () => {
      server.removeListener('error', fail);
      resolve();
    });
  });
  server.on('error', (e: Error) => log.error({ err: e }, 'server error'));
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}`;
  if (anonymous) {
    log.warn({ host }, 'no MicrosoftAppId: requests are not authenticated (local playground mode); bound to loopback only');
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    messagesUrl: `${url}/api/messages`,
    port: address.port,
    http: server.server,
    close() {
      closed ??= (async () => {
        closing = true;
        opts.onShutdown?.();
        const stopped = new Promise<void>((resolve) => server.server.close(() => resolve()));
        // Turns in flight answer with Connection: close, so their sockets end with the answer.
        for (const res of inFlight.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
        server.server.closeIdleConnections();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
        server.server.closeIdleConnections();
        const cut = setTimeout(() => server.server.closeAllConnections(), SOCKET_DRAIN_MS);
        cut.unref();
        await stopped;
        clearTimeout(cut);
      })();
      return closed;
    },
  };
}
