// The retry loop's arithmetic and stopping rules, with injected time: Retry-After forms, backoff growth and
// cap, the give-up limit, and abort.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, isRetryableStatus, retryAfterMs, RETRY_AFTER_LIMIT_MS, withRetries } from '../../src/sources/logAnalyticsRetry.js';
import type { FailedAttempt, RetryTiming } from '../../src/sources/logAnalyticsRetry.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates against the clock, and Azure millisecond headers', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after': '12' }), NOW), 12_000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Sat, 01 Jun 2024 12:01:00 GMT' }), NOW), 60_000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Sat, 01 Jun 2024 11:00:00 GMT' }), NOW), 0);
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW), 250);
    assert.equal(retryAfterMs(headers({ 'x-ms-retry-after-ms': '1500' }), NOW), 1500);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), NOW), undefined);
    assert.equal(retryAfterMs(headers({}), NOW), undefined);
  });
});

describe('backoff', () => {
  const settings = { maxRetries: 5, baseMs: 1000, maxDelayMs: 5000 };
  it('doubles per retry with equal jitter and stops growing at the cap', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((r) => backoffMs(r, settings, () => 0)), [500, 1000, 2000, 2500, 2500]);
    assert.deepEqual([0, 1, 2].map((r) => backoffMs(r, settings, () => 0.999999)), [1000, 2000, 4000]);
  });

  it('retries 408, 429 and 5xx only', () => {
    assert.deepEqual([400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504].filter(isRetryableStatus), [408, 429, 500, 502, 503, 504]);
  });
});

describe('withRetries', () => {
  const fakeTiming = (sleeps: number[]): RetryTiming => ({
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      signal?.throwIfAborted();
    },
    random: () => 0,
    now: () => NOW,
  });
  const failing = (answers: FailedAttempt[]) => {
    let n = 0;
    return {
      calls: () => n,
      attempt: async () => {
        n++;
        if (n > answers.length) return 'done';
        throw answers[n - 1];
      },
    };
  };
  const classify = (e: unknown) => e as FailedAttempt;
  const settings = { maxRetries: 3, baseMs: 100, maxDelayMs: 10_000 };

  it('uses the server wait when given, backoff otherwise', async () => {
    const sleeps: number[] = [];
    const f = failing([{ retryable: true, retryAfterMs: 4000 }, { retryable: true }]);
    assert.equal(await withRetries(f.attempt, classify, settings, fakeTiming(sleeps)), 'done');
    assert.deepEqual(sleeps, [4000, 100]);
    assert.equal(f.calls(), 3);
  });

  it('does not wait out a Retry-After beyond the limit, nor retry a permanent failure', async () => {
    const sleeps: number[] = [];
    const tooLong = { retryable: true, retryAfterMs: RETRY_AFTER_LIMIT_MS + 1 };
    await assert.rejects(withRetries(failing([tooLong]).attempt, classify, settings, fakeTiming(sleeps)), (e) => e === tooLong);
    const permanent = { retryable: false };
    await assert.rejects(withRetries(failing([permanent]).attempt, classify, settings, fakeTiming(sleeps)), (e) => e === permanent);
    assert.deepEqual(sleeps, []);
  });

  it('sends nothing once the signal has aborted', async () => {
    const f = failing([]);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(withRetries(f.attempt, classify, settings, fakeTiming([]), controller.signal), { name: 'AbortError' });
    assert.equal(f.calls(), 0);
  });
});
