// Retrying a post to the Bot Connector. Teams answers a busy or briefly unavailable conversation with 429, 412,
// 502 or 504, and asks for a retry with backoff. The connector client's own pipeline (@azure/core-rest-pipeline)
// already retries 429, 502 and 504 a few times, honoring Retry-After on 429; it does not retry 412, and a
// throttle that outlasts its retries surfaces as an error. This is the second, slower line for both: a few
// more tries, each after the Retry-After the service asked for, else after an exponential backoff.

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 504]);

export interface RetryOptions {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The first backoff when the service names no Retry-After; it doubles per try. */
  readonly baseDelayMs: number;
  /** A wait longer than this (asked for or computed) is not waited: the post fails instead. */
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** 0 ≤ random() < 1, for the backoff's jitter. */
  readonly random?: () => number;
  readonly onRetry?: (info: { readonly attempt: number; readonly status: number; readonly delayMs: number }) => void;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 120_000 };

/** The HTTP status of a failed connector call (a RestError's statusCode), if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = e.statusCode ?? e.status ?? e.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function headerOf(err: unknown, name: string): string | undefined {
  const headers = (err as { response?: { headers?: unknown } } | null)?.response?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const value = typeof h.get === 'function' ? h.get(name) : h[name] ?? h[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(err: unknown, nowMs: number): number | undefined {
  const raw = headerOf(err, 'retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `send`, retrying the statuses above; anything else, or the last failure, is thrown as it came. */
export async function withRetry<T>(send: () => Promise<T>, opts: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const status = statusOf(err);
      if (status === undefined || !RETRYABLE_STATUSES.has(status) || attempt >= opts.attempts) throw err;
      // Jitter spreads the retries of many conversations throttled at the same moment.
      const delayMs = retryAfterMs(err, now()) ?? Math.round(opts.baseDelayMs * 2 ** (attempt - 1) * (0.5 + random() / 2));
      if (delayMs > opts.maxDelayMs) throw err;
      opts.onRetry?.({ attempt, status, delayMs });
      await sleep(delayMs);
    }
  }
}
