// The Log Analytics event source: runs the hunt's KQL text in a Sentinel / Log Analytics workspace through
// `LogsQueryClient` (POST {endpoint}/workspaces/{id}/query) and answers with the local engine's typed rows.
//
// Retries are this module's (logAnalyticsRetry.ts says why the SDK's own are off); errors become one-line
// SourceErrors (logAnalyticsErrors.ts); rows become the local engine's values (logAnalyticsRows.ts).
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { KnownMonitorLogsQueryAudience, LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { LogsQueryClientOptions, LogsQueryResult, QueryTimeInterval } from '@azure/monitor-query-logs';
import { z } from 'zod';
import { SourceError } from './eventSource.js';
import type { EventSource, QueryWindow, SourceQueryOptions, SourceResult } from './eventSource.js';
import { AttemptFailure, classifyFailure, toSourceError } from './logAnalyticsErrors.js';
import { realTiming, withRetries } from './logAnalyticsRetry.js';
import type { RetrySettings, RetryTiming } from './logAnalyticsRetry.js';
import { convertTable, rawTables, serviceErrorText } from './logAnalyticsRows.js';

export const DEFAULT_ENDPOINT = 'https://api.loganalytics.io/v1';

export interface LogAnalyticsSourceOptions {
  /** The workspace id (a GUID), as LOG_ANALYTICS_WORKSPACE_ID holds it. */
  readonly workspaceId: string;
  /** Defaults to DefaultAzureCredential. */
  readonly credential?: TokenCredential;
  /** The query API root, including `/v1`. */
  readonly endpoint?: string;
  /** Sent as `Prefer: wait=N`. The service's default is 180 s and its maximum 600 s. */
  readonly serverTimeoutSeconds?: number;
  readonly maxRetries?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxDelayMs?: number;
  /** How far the service-side TimeGenerated filter reaches beyond the hunt window on each side. */
  readonly ingestionSlackMs?: number;
  /** Passed to LogsQueryClient (tests use `tlsOptions` to trust a local certificate). Retries stay off. */
  readonly clientOptions?: LogsQueryClientOptions;
  /** Injected waits, jitter and clock, for tests. */
  readonly timing?: Partial<RetryTiming>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const endpointSchema = z.string().transform((text, ctx) => {
  const bad = () => {
    ctx.addIssue({
      code: 'custom',
      message: `must be an https URL whose path ends in /v1 (like ${DEFAULT_ENDPOINT}), got ${JSON.stringify(text)}`,
    });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad();
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (url.protocol !== 'https:' || !path.endsWith('/v1') || url.search || url.hash) return bad();
  return `${url.origin}${path}`;
});

const optionsSchema = z.strictObject({
  workspaceId: z.guid({ error: (i) => `must be a workspace id (a GUID), got ${JSON.stringify(i.input)}` }),
  credential: z
    .custom<TokenCredential>((v) => isObject(v) && typeof v.getToken === 'function', 'must be a TokenCredential')
    .optional(),
  endpoint: endpointSchema.default(DEFAULT_ENDPOINT),
  serverTimeoutSeconds: z.int().min(1).max(600, 'must be at most 600 (the service maximum)').default(180),
  maxRetries: z.int().min(0).max(10).default(4),
  retryBaseMs: z.number().min(0).max(60_000).default(1000),
  retryMaxDelayMs: z.number().min(0).max(600_000).default(30_000),
  // A day. The service-side timespan filters TimeGenerated, not the event's Timestamp that the hunt's
  // `between` tests; for Defender tables streamed into a workspace the two differ by the ingestion delay
  // (minutes, at times hours) and by device clock skew. The query's own filter still decides the rows; the
  // slack only keeps the cheaper service-side filter from cutting late-arriving events off.
  ingestionSlackMs: z.int().min(0).default(86_400_000),
  clientOptions: z.custom<LogsQueryClientOptions>(isObject, 'must be an object').optional(),
  timing: z.custom<Partial<RetryTiming>>(isObject, 'must be an object').optional(),
});

/**
 * The REST body's `timespan` is optional, and leaving it out means no service-side filter at all. The SDK's
 * type insists on one, but it copies `duration` into the body as given, so an undefined duration leaves the
 * field out of the JSON (a test pins this against the real SDK).
 */
const ALL_TIME = { duration: undefined } as unknown as QueryTimeInterval;

type Pipeline = LogsQueryClient['pipeline'];
type PipelinePolicy = Parameters<Pipeline['addPolicy']>[0];
type PipelineResponse = Awaited<ReturnType<PipelinePolicy['sendRequest']>>;

/**
 * Ties a pipeline request back to its query call. LogsQueryClient 1.0.0 drops `abortSignal` and
 * `onResponse` from the options of queryWorkspace, but it does forward `requestOptions.headers`; so each
 * attempt sends its own `x-ms-client-request-id` (Azure's correlation header, which also shows in the
 * service's logs), and a policy at the front of the pipeline attaches that attempt's abort signal and
 * records the HTTP response it got.
 */
const REQUEST_ID_HEADER = 'x-ms-client-request-id';

interface Call {
  readonly signal: AbortSignal;
  response?: PipelineResponse;
}

export class LogAnalyticsSource implements EventSource {
  readonly kind = 'log-analytics';
  readonly description: string;
  readonly workspaceId: string;
  private readonly client: LogsQueryClient;
  private readonly endpoint: string;
  private readonly serverTimeoutSeconds: number;
  private readonly ingestionSlackMs: number;
  private readonly retry: RetrySettings;
  private readonly timing: RetryTiming;
  private readonly calls = new Map<string, Call>();

  constructor(options: LogAnalyticsSourceOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${['options', ...i.path].join('.')}: ${i.message}`).join('; ');
      throw new SourceError(`log analytics: ${why}`, undefined, 'InvalidOptions');
    }
    const o = parsed.data;
    this.workspaceId = o.workspaceId;
    this.description = o.workspaceId;
    this.endpoint = o.endpoint;
    this.serverTimeoutSeconds = o.serverTimeoutSeconds;
    this.ingestionSlackMs = o.ingestionSlackMs;
    this.retry = { maxRetries: o.maxRetries, baseMs: o.retryBaseMs, maxDelayMs: o.retryMaxDelayMs };
    this.timing = { ...realTiming, ...o.timing };
    const extra = o.clientOptions ?? {};
    this.client = new LogsQueryClient(o.credential ?? defaultCredential(), {
      ...extra,
      endpoint: o.endpoint,
      retryOptions: { ...extra.retryOptions, maxRetries: 0 },
      credentials: { ...extra.credentials, scopes: extra.credentials?.scopes ?? [tokenScope(o.endpoint)] },
    });
    this.client.pipeline.addPolicy(
      {
        name: 'triageCallContext',
        sendRequest: async (request, next) => {
          const call = this.calls.get(request.headers.get(REQUEST_ID_HEADER) ?? '');
          if (!call) return next(request);
          request.abortSignal = call.signal;
          const response = await next(request);
          call.response = response;
          return response;
        },
      },
      // First, so the token request (Sign phase) is abortable too.
      { phase: 'Serialize' },
    );
  }

  async query(kql: string, options: SourceQueryOptions = {}): Promise<SourceResult> {
    if (typeof kql !== 'string' || kql.trim() === '') {
      throw new SourceError(`${this.prefix()}: the query text is empty`, undefined, 'InvalidQuery');
    }
    const timespan = options.window ? this.serviceTimespan(options.window) : ALL_TIME;
    const signal = options.signal;
    let attempts = 0;
    try {
      return await withRetries(
        () => {
          attempts++;
          return this.attempt(kql, timespan, signal);
        },
        (failure) => classifyFailure(failure, this.timing.now()),
        this.retry,
        this.timing,
        signal,
      );
    } catch (error) {
      throw toSourceError(error, attempts, signal?.aborted ?? false, {
        prefix: this.prefix(),
        endpoint: this.endpoint,
        timeoutSeconds: this.clientTimeoutSeconds(),
        nowMs: this.timing.now(),
      });
    }
  }

  /** The hunt window widened by the ingestion slack, as the service-side TimeGenerated filter. */
  serviceTimespan(window: QueryWindow): QueryTimeInterval {
    const start = window.start.getTime();
    const end = window.end.getTime();
    if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
      throw new SourceError(`${this.prefix()}: bad query window ${String(window.start)} .. ${String(window.end)}`);
    }
    return { startTime: new Date(start - this.ingestionSlackMs), endTime: new Date(end + this.ingestionSlackMs) };
  }

  /** The socket waits a little longer than the server may, so the service's own timeout error arrives first. */
  private clientTimeoutSeconds(): number {
    return this.serverTimeoutSeconds + 30;
  }

  private async attempt(kql: string, timespan: QueryTimeInterval, signal?: AbortSignal): Promise<SourceResult> {
    // AbortSignal.timeout, not the SDK's request timeout: the SDK leaves that timer running when the
    // connection fails, which would hold a finished CLI run open for minutes.
    const deadline = AbortSignal.timeout(this.clientTimeoutSeconds() * 1000);
    const call: Call = { signal: signal ? AbortSignal.any([signal, deadline]) : deadline };
    const id = randomUUID();
    this.calls.set(id, call);
    try {
      const result = await this.client.queryWorkspace(this.workspaceId, kql, timespan, {
        serverTimeoutInSeconds: this.serverTimeoutSeconds,
        requestOptions: { headers: { [REQUEST_ID_HEADER]: id } },
      });
      return this.toSourceResult(result, call.response ? responseBody(call.response) : undefined);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      const seen = call.response ? { status: call.response.status, headers: call.response.headers, body: responseBody(call.response) } : undefined;
      throw new AttemptFailure(error, seen, deadline.aborted && !signal?.aborted);
    } finally {
      this.calls.delete(id);
    }
  }

  private toSourceResult(result: LogsQueryResult, rawBody: unknown): SourceResult {
    const partial = result.status === LogsQueryResultStatus.PartialFailure;
    const tables = partial ? result.partialTables : result.tables;
    const sdkPrimary = tables[0];
    // Rows come from the raw body when it matches the SDK's view (exact datetimes); see logAnalyticsRows.ts.
    const raw = rawTables(rawBody)?.[0];
    const useRaw =
      raw !== undefined &&
      (sdkPrimary === undefined ||
        (raw.rows.length === sdkPrimary.rows.length && raw.columns.length === sdkPrimary.columnDescriptors.length));
    const table = useRaw
      ? convertTable(raw.columns, raw.rows)
      : sdkPrimary
        ? convertTable(
            sdkPrimary.columnDescriptors.map((c) => ({ name: c.name, type: String(c.type ?? 'string') })),
            sdkPrimary.rows,
          )
        : { columns: [], rows: [], warnings: [] };
    const base = { columns: table.columns, rows: table.rows, warnings: table.warnings };
    if (!partial) return { ...base, status: 'ok' };
    // The SDK's copy of the error drops `innererror` under `details`, where the reason usually is
    // ("exceeded the allowed limits ... 500000 records"), so the raw body's error is read first.
    const rawError = isObject(rawBody) ? rawBody.error : undefined;
    const text = serviceErrorText(rawError) ?? serviceErrorText(result.partialError) ?? 'the service reported a partial failure';
    return { ...base, status: 'partial', partialError: text };
  }

  private prefix(): string {
    return `log analytics (workspace ${this.workspaceId})`;
  }
}

/** The body as JSON, or as text when it is not JSON; undefined when there is none. */
function responseBody(response: PipelineResponse): unknown {
  const text = response.bodyAsText;
  if (text === undefined || text === null || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * DefaultAzureCredential, loaded on first use: @azure/identity takes ~100 ms to import, which a run over a
 * local file (the same process, the same import graph) never needs.
 */
function defaultCredential(): TokenCredential {
  let made: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      made ??= import('@azure/identity').then((m) => new m.DefaultAzureCredential());
      return (await made).getToken(scopes, options);
    },
  };
}

/**
 * The token audience. The SDK asks for the public cloud's scope whatever the endpoint; a sovereign cloud's
 * endpoint needs its own. Other hosts (a private link, a test server) keep the public audience.
 */
function tokenScope(endpoint: string): string {
  const origin = new URL(endpoint).origin;
  const known = Object.values(KnownMonitorLogsQueryAudience) as string[];
  return `${known.includes(origin) ? origin : KnownMonitorLogsQueryAudience.AzurePublicCloud}/.default`;
}

