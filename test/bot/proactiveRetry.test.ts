// The second line of retries for posts to the Bot Connector: which statuses are retried, how long each wait is
// (Retry-After as seconds or an HTTP date, else a doubling backoff), and when it gives up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterMs, statusOf, withRetry, type RetryOptions } from '../../src/bot/proactive/retry.js';

/** An error shaped like @azure/core-rest-pipeline's RestError: statusCode, and response.headers.get(). */
function restError(status: number, retryAfter?: string): Error {
  const headers = new Map(retryAfter === undefined ? [] : [['retry-after', retryAfter]]);
  return Object.assign(new Error(`status ${status}`), { statusCode: status, response: { status, headers: { get: (n: string) => headers.get(n.toLowerCase()) } } });
}

function script(...outcomes: Array<number | [number, string] | 'ok'>): { send: () => Promise<string>; calls: () => number } {
  let i = 0;
  return {
    calls: () => i,
    send: async () => {
      const o = outcomes[i++];
      if (o === 'ok' || o === undefined) return 'sent';
      throw Array.isArray(o) ? restError(o[0], o[1]) : restError(o);
    },
  };
}

function opts(sleeps: number[], over: Partial<RetryOptions> = {}): RetryOptions {
  return { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, now: () => Date.parse('2026-12-04T12:00:00Z'), ...over };
}

test('429, 412, 502 and 504 are retried, waiting what Retry-After asks, else doubling from the base', async () => {
  const sleeps: number[] = [];
  const s = script([429, '3'], [412, 'Fri, 04 Dec 2026 12:00:05 GMT'], 502, 504, 'ok');
  assert.equal(await withRetry(s.send, opts(sleeps, { attempts: 5 })), 'sent');
  assert.equal(s.calls(), 5);
  // 3 s asked; 5 s until the HTTP date; then 1000·2²·0.75 and 1000·2³·0.75 (jitter at its midpoint).
  assert.deepEqual(sleeps, [3000, 5000, 3000, 6000]);
});

test('other statuses, and errors without one, are thrown at once', async () => {
  for (const status of [400, 401, 403, 404, 500]) {
    const sleeps: number[] = [];
    const s = script(status, 'ok');
    await assert.rejects(withRetry(s.send, opts(sleeps)), (e: unknown) => statusOf(e) === status);
    assert.equal(s.calls(), 1, `${status} is not retried`);
  }
  await assert.rejects(withRetry(async () => { throw new TypeError('socket hang up'); }, opts([])), /socket hang up/);
});

test('it gives up after the attempts, or when asked to wait longer than maxDelayMs', async () => {
  const s = script(429, 429, 429, 'ok');
  await assert.rejects(withRetry(s.send, opts([], { attempts: 3 })), (e: unknown) => statusOf(e) === 429);
  assert.equal(s.calls(), 3);
  const long = script([429, '600'], 'ok');
  await assert.rejects(withRetry(long.send, opts([], { maxDelayMs: 120_000 })), (e: unknown) => statusOf(e) === 429);
  assert.equal(long.calls(), 1, 'a ten-minute Retry-After is not waited out');
});

test('Retry-After: seconds, an HTTP date (never negative), absent or unreadable', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  assert.equal(retryAfterMs(restError(429, '0'), now), 0);
  assert.equal(retryAfterMs(restError(429, ' 12 '), now), 12_000);
  assert.equal(retryAfterMs(restError(429, 'Fri, 04 Dec 2026 12:01:00 GMT'), now), 60_000);
  assert.equal(retryAfterMs(restError(429, 'Fri, 04 Dec 2026 11:00:00 GMT'), now), 0);
  assert.equal(retryAfterMs(restError(429), now), undefined);
  assert.equal(retryAfterMs(restError(429, 'soon'), now), undefined);
  assert.equal(retryAfterMs({ response: { headers: { 'retry-after': '2' } } }, now), 2000, 'plain header objects too');
});
