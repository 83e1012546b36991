// Retries for Log Analytics queries: which failures are worth another attempt, and how long to wait.
//
// The Azure SDK's pipeline has a retry policy of its own, with real timers and its own budget. Two retry
// layers would multiply attempts and make waits untestable, so the source turns the SDK's retries off
// (maxRetries 0) and this loop is the only one. Time and randomness come in through `RetryTiming`, so tests
// assert the exact waits without sleeping.
import { setTimeout as sleepTimer } from 'node:timers/promises';

export interface RetryTiming {
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
  /** Epoch milliseconds, to turn an HTTP-date Retry-After into a wait. */
  now(): number;
}

export const realTiming: RetryTiming = {
  sleep: async (ms, signal) => {
    await sleepTimer(ms, undefined, signal ? { signal } : {});
  },
  random: Math.random,
  now: Date.now,
};

export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First backoff step; each later step doubles. */
  readonly baseMs: number;
  /** Backoff never waits longer than this (a server's Retry-After is honored as given, up to the limit below). */
  readonly maxDelayMs: number;
}

/**
 * A Retry-After beyond this is not worth waiting for inside one hunt run; the error surfaces instead, with
 * the wait the service asked for. Ten minutes is the service's own longest query timeout.
 */
export const RETRY_AFTER_LIMIT_MS = 600_000;

/** What one failed attempt tells the loop. */
export interface FailedAttempt {
  readonly retryable: boolean;
  /** The wait the server asked for, when it named one. */
  readonly retryAfterMs?: number;
}

/** 408 (request timeout), 429 (throttled: too many concurrent queries) and every 5xx are transient. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Transport failures that say nothing about the request itself. TLS and DNS-name errors are not here. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'REQUEST_SEND_ERROR', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET',
]);

export function isTransientNetworkCode(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

interface HeaderReader {
  get(name: string): string | undefined;
}

/**
 * The server's requested wait: `retry-after-ms` / `x-ms-retry-after-ms` (Azure's millisecond forms), else
 * `Retry-After` as delay-seconds or an HTTP-date. A date in the past means "now".
 */
export function retryAfterMs(headers: HeaderReader, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = headers.get(name)?.trim();
    if (v && /^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v));
  }
  const v = headers.get('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random. The fixed half keeps waits
 * growing; the random half keeps parallel hunts from retrying in lockstep against a throttled workspace.
 */
export function backoffMs(retry: number, settings: RetrySettings, random: () => number): number {
  const step = Math.min(settings.maxDelayMs, settings.baseMs * 2 ** retry);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the retries are spent, or `signal` aborts.
 * `classify` inspects each failure; the last failure is rethrown as is, for the caller to translate.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  classify: (error: unknown) => FailedAttempt,
  settings: RetrySettings,
  timing: RetryTiming,
  signal?: AbortSignal,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = classify(error);
      if (!failure.retryable || retry >= settings.maxRetries) throw error;
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > RETRY_AFTER_LIMIT_MS) throw error;
      const wait = failure.retryAfterMs ?? backoffMs(retry, settings, timing.random);
      await timing.sleep(wait, signal);
    }
  }
}
