// Classifies a failed Log Analytics attempt (retry or not) and turns the final failure into a one-line
// SourceError with the service's code and HTTP status.
//
// Both read the HTTP response the attempt got, as recorded by the source's pipeline policy, rather than the
// SDK's error: for an empty or non-JSON error body (a gateway's 502, a bare 429) the SDK's error
// deserializer throws a TypeError that has lost the status. The SDK's error object is never kept as a
// cause: its `request` carries the Authorization header.
import { SourceError } from './eventSource.js';
import { isRetryableStatus, isTransientNetworkCode, retryAfterMs } from './logAnalyticsRetry.js';
import type { FailedAttempt } from './logAnalyticsRetry.js';
import { oneLine, serviceErrorCode, serviceErrorText } from './logAnalyticsRows.js';

/** What the source saw of one HTTP exchange. */
export interface SeenResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | undefined };
  /** The body parsed as JSON, or the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
}

/** One failed attempt: what was thrown, the response it came from (if any), and whether time ran out. */
export class AttemptFailure {
  constructor(
    readonly cause: unknown,
    readonly response: SeenResponse | undefined,
    readonly timedOut: boolean,
  ) {}
}

export interface ErrorContext {
  /** "log analytics (workspace …)". */
  readonly prefix: string;
  readonly endpoint: string;
  readonly timeoutSeconds: number;
  readonly nowMs: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function stringField(o: unknown, key: string): string | undefined {
  const v = isObject(o) ? o[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function classifyFailure(failure: unknown, nowMs: number): FailedAttempt {
  if (!(failure instanceof AttemptFailure) || failure.timedOut) return { retryable: false };
  const res = failure.response;
  if (res && res.status !== 200) {
    const wait = retryAfterMs(res.headers, nowMs);
    return { retryable: isRetryableStatus(res.status), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  const cause = failure.cause;
  const transient = !res && stringField(cause, 'name') === 'RestError' && isTransientNetworkCode(stringField(cause, 'code'));
  return { retryable: transient };
}

export function toSourceError(error: unknown, attempts: number, aborted: boolean, ctx: ErrorContext): SourceError {
  if (error instanceof SourceError) return error;
  const { prefix } = ctx;
  if (aborted) return new SourceError(`${prefix}: query aborted`, undefined, 'Aborted');
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  if (!(error instanceof AttemptFailure)) return new SourceError(`${prefix}: ${messageOf(error)}${tries}`);
  const { cause, response: res } = error;
  if (res && res.status !== 200) {
    const serviceError = isObject(res.body) ? res.body.error : undefined;
    const text = serviceErrorText(serviceError) ?? bodyText(res.body) ?? 'no error text in the response';
    const wait = retryAfterMs(res.headers, ctx.nowMs);
    const waitNote = wait !== undefined && res.status === 429 ? ` (the service asked to wait ${Math.ceil(wait / 1000)} s)` : '';
    return new SourceError(`${prefix}: HTTP ${res.status}: ${text}${waitNote}${tries}`, res.status, serviceErrorCode(serviceError));
  }
  if (error.timedOut) return new SourceError(`${prefix}: no answer within ${ctx.timeoutSeconds} s`, undefined, 'Timeout');
  const name = stringField(cause, 'name');
  const code = stringField(cause, 'code');
  const message = messageOf(cause);
  if (res) return new SourceError(`${prefix}: could not read the response: ${message}`, res.status, 'BadResponse');
  if (name === 'RestError') return new SourceError(`${prefix}: could not reach ${ctx.endpoint}: ${message}${tries}`, undefined, code);
  if (name && /Credential|Authentication/.test(name)) {
    return new SourceError(`${prefix}: could not get an access token: ${message}`, undefined, name);
  }
  return new SourceError(`${prefix}: ${message}`, undefined, code);
}

function messageOf(error: unknown): string {
  const m = stringField(error, 'message');
  return oneLine(m ? m : String(error));
}

/** A non-JSON error body (a gateway's HTML or text), shortened to something a log line can hold. */
function bodyText(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const text = oneLine(body.replace(/<[^>]*>/g, ' '));
  if (!text) return undefined;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
