import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_DB, DEFAULT_EVENTS, loadConfig } from '../../src/config.js';

test('defaults run locally on the committed sample, bound to loopback', () => {
  const c = loadConfig({});
  assert.equal(c.dbPath, DEFAULT_DB);
  assert.equal(c.eventsPath, DEFAULT_EVENTS);
  assert.equal(c.eventsIsSample, true);
  assert.equal(c.logAnalytics, undefined);
  assert.deepEqual(c.server, { port: 3978, host: '127.0.0.1' });
  assert.deepEqual(c.exclusions, { requireApproval: false, ttlDays: 90, widenThreshold: 3 });
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.server));
});

test('flags override env, and env overrides defaults', () => {
  const env = { TRIAGE_DB: '/tmp/a.sqlite', TRIAGE_NOW: '2026-01-01T00:00:00Z', PORT: '4000' };
  const c = loadConfig(env, { db: '/tmp/b.sqlite', now: '2026-02-02T00:00:00Z' });
  assert.equal(c.dbPath, '/tmp/b.sqlite');
  assert.equal(c.now, '2026-02-02T00:00:00Z');
  assert.equal(c.nowSource, 'flag');
  assert.equal(c.server.port, 4000);
  const d = loadConfig(env);
  assert.equal(d.dbPath, '/tmp/a.sqlite');
  assert.equal(d.nowSource, 'env');
});

test('a workspace id selects Log Analytics and never pins the clock to the sample', () => {
  const c = loadConfig({ LOG_ANALYTICS_WORKSPACE_ID: '7e0bb6a7-1b8a-4b6d-9f3e-2d1f2a3b4c5d' });
  assert.equal(c.logAnalytics?.workspaceId, '7e0bb6a7-1b8a-4b6d-9f3e-2d1f2a3b4c5d');
  assert.equal(c.logAnalytics?.timeoutSeconds, 180);
  assert.equal(c.nowSource, 'system');
});

test('bad values are one clear error naming the variable and the value', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ TRIAGE_NOW: 'yesterday' }, /^config: TRIAGE_NOW="yesterday": must be an ISO-8601 instant/],
    [{ TRIAGE_NOW: '2026-01-01T00:00:00' }, /TRIAGE_NOW=.*with a zone/],
    [{ PORT: 'http' }, /^config: PORT="http"/],
    [{ LOG_ANALYTICS_WORKSPACE_ID: 'not-a-guid' }, /^config: LOG_ANALYTICS_WORKSPACE_ID="not-a-guid": must be a workspace GUID/],
    [{ LOG_ANALYTICS_ENDPOINT: 'https://api.loganalytics.io' }, /must end with \/v1/],
    [{ REQUIRE_APPROVAL: 'maybe' }, /^config: REQUIRE_APPROVAL="maybe"/],
    [{ MicrosoftAppType: 'Whatever' }, /^config: MicrosoftAppType/],
  ];
  for (const [env, re] of cases) assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(env));
  assert.throws(() => loadConfig({}, { now: 'noon' }), (e: unknown) => e instanceof ConfigError && /^config: --now "noon"/.test(e.message));
});

test('empty strings mean unset, as in a copied .env.example', () => {
  const c = loadConfig({ TRIAGE_DB: '', PORT: '', MicrosoftAppId: '', REQUIRE_APPROVAL: '' });
  assert.equal(c.dbPath, DEFAULT_DB);
  assert.equal(c.bot.appId, undefined);
  assert.equal(c.exclusions.requireApproval, false);
});

test('analyst and lead lists are comma-separated object ids', () => {
  const c = loadConfig({ TRIAGE_ANALYSTS: ' a1, a2 ,', TRIAGE_LEADS: 'l1' });
  assert.deepEqual(c.authz, { analysts: ['a1', 'a2'], leads: ['l1'] });
});

test('HUNT_SCHEDULE is a cron pattern (five fields, or six with seconds), checked at start-up', () => {
  assert.equal(loadConfig({ HUNT_SCHEDULE: '0 */4 * * *' }).huntSchedule, '0 */4 * * *');
  assert.equal(loadConfig({ HUNT_SCHEDULE: '*/30 * * * * *' }).huntSchedule, '*/30 * * * * *');
  assert.equal(loadConfig({ HUNT_SCHEDULE: '' }).huntSchedule, undefined);
  assert.throws(() => loadConfig({ HUNT_SCHEDULE: 'every hour' }), /^ConfigError: config: HUNT_SCHEDULE="every hour": not a cron schedule \(five fields, or six with seconds, UTC\): /);
  assert.throws(() => loadConfig({ HUNT_SCHEDULE: '0 25 * * *' }), /config: HUNT_SCHEDULE="0 25 \* \* \*": not a cron schedule/);
  assert.throws(() => loadConfig({ HUNT_SCHEDULE: '0 0 0 1 1 * 2020' }), /config: HUNT_SCHEDULE=.*not a cron schedule/, 'seven fields (with a year) are refused');
});
