// Scheduled hunts over real HTTP: conversations subscribe (a channel install, the `subscribe` command), a tick
// runs the real hunt and posts its summary through the real CloudAdapter to the local connector, which
// throttles one conversation (429, then 412) and forbids another (403). Overlapping ticks, a failed run, and
// the cron itself firing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_FILE } from '../../data/sample/defaults.js';
import type { KDateTime } from '../../src/kql/values.js';
import { silentLogger } from '../../src/log.js';
import { createAdapter } from '../../src/server.js';
import { SourceError, type EventSource } from '../../src/sources/eventSource.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { scheduleHunts, type ScheduledHunts } from '../../src/bot/proactive/scheduledHunts.js';
import { nextRunAfter } from '../../src/schedule/cron.js';
import { MALLORY } from '../support/botHttp.js';
import { cardOf } from '../support/connector.js';
import { actionsOf, textOf } from '../dialogs/support.js';
import { httpFixture, turn, type HttpFixture } from './httpFixture.js';

const NO_WAIT = { attempts: 3, baseDelayMs: 0, maxDelayMs: 1000 };

function scheduler(h: HttpFixture, schedule = '0 */4 * * *', sleeps: number[] = []): ScheduledHunts {
  const adapter = createAdapter(h.f.config, silentLogger);
  return scheduleHunts({ bot: h.f.bot, adapter, refs: h.f.refs, log: silentLogger, schedule, retry: { ...NO_WAIT, sleep: async (ms) => void sleeps.push(ms) } });
}

/** A source that waits for `go()` before answering, to hold a hunt in flight; `entered` says a query is waiting. */
function gatedSource(): { createSource: (now: KDateTime) => EventSource; go: () => void; entered: Promise<void> } {
  let go!: () => void;
  let enter!: () => void;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const createSource = (now: KDateTime): EventSource => {
    const local = new LocalEventSource({ path: SAMPLE_FILE, now });
    return { kind: local.kind, description: local.description, query: async (kql, o) => (enter(), await gate, local.query(kql, o)) };
  };
  return { createSource, go, entered };
}

test('a scheduled run posts to every subscribed conversation: a 429 and a 412 are retried, a 403 unsubscribes', async (t) => {
  const h = await httpFixture(t);
  const channel = h.chat.in({ kind: 'channel', channelId: 'soc' });
  const bobChat = h.chat.in({ kind: 'personal', id: 'a:dm-bob' });
  const gone = h.chat.in({ kind: 'channel', channelId: 'old-team' });
  const installed = await turn(h.connector, () => channel.membersAdded());
  assert.match(textOf(installed.cards[0]), /This channel gets a summary after every scheduled hunt; type unsubscribe/);
  assert.match((await turn(h.connector, () => h.chat.message('subscribe'))).texts[0]!, /^Subscribed: this chat gets a summary after every scheduled hunt/);
  await turn(h.connector, () => bobChat.message('subscribe'));
  await gone.installationUpdate('add');
  await h.chat.in({ kind: 'personal', id: 'a:dm-quiet' }).message('help');
  const subscribed = h.f.refs.subscribed().map((s) => s.conversationId).sort();
  assert.deepEqual(subscribed, [h.chat.conversation.id, bobChat.conversation.id, channel.conversation.id, gone.conversation.id].sort());

  h.f.app.store.db.exec('DELETE FROM finding_runs; DELETE FROM findings;');
  h.connector.clearCalls();
  h.connector.fail(
    { path: new RegExp(encodeURIComponent(channel.conversation.id)), status: 429, headers: { 'Retry-After': '0' } },
    { path: new RegExp(encodeURIComponent(bobChat.conversation.id)), status: 412, headers: { 'Retry-After': '0' } },
    { path: new RegExp(encodeURIComponent(gone.conversation.id)), status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } },
  );
  const sleeps: number[] = [];
  const result = await scheduler(h, undefined, sleeps).tick();
  assert.equal(result.status, 'ran');
  if (result.status !== 'ran') return;
  const byId = new Map(result.deliveries.map((d) => [d.conversationId, d.outcome]));
  assert.equal(byId.get(channel.conversation.id), 'posted');
  assert.equal(byId.get(bobChat.conversation.id), 'posted');
  assert.equal(byId.get(h.chat.conversation.id), 'posted');
  assert.equal(byId.get(gone.conversation.id), 'unsubscribed');
  assert.ok(!byId.has('a:dm-quiet'), 'an unsubscribed conversation gets nothing');

  const statuses = (id: string) => h.connector.calls.filter((c) => c.conversationId === id).map((c) => c.status);
  assert.deepEqual(statuses(channel.conversation.id), [429, 200], 'the 429 was retried once');
  assert.deepEqual(statuses(bobChat.conversation.id), [412, 200], 'the 412 was retried once');
  assert.deepEqual(statuses(gone.conversation.id), [403], 'a 403 is not retried');
  assert.deepEqual(sleeps, [0], 'the 412 retry waited what Retry-After asked (0 s)');

  const summary = cardOf(h.connector.sent((c) => c.conversationId === channel.conversation.id)[0]!.body);
  const text = textOf(summary);
  assert.match(text, /^Scheduled hunt run \d+ finished/);
  const created = Number(/New findings\n(\d+)/.exec(text)![1]);
  assert.equal(created, h.f.app.store.findings.list({ state: 'open' }).length, 'new findings counted from the store');
  assert.match(text, /To triage/);
  assert.match(text, /\(\+\d+ more: Start triage walks through them all\)/);
  assert.ok(actionsOf(summary).some((a) => a.verb === 'triage.next' && a.title === 'Start triage'));

  assert.equal(h.f.refs.get(gone.conversation.id)?.subscribed, false, 'the 403 conversation was unsubscribed');
  const audit = h.f.app.store.audit.list({ entity: 'conversation', entityId: gone.conversation.id });
  assert.deepEqual(audit.map((a) => a.action), ['conversation.unsubscribed', 'conversation.subscribed'], 'newest first');
  assert.equal(audit[0]!.actor, 'scheduler');
});

test('Start triage on the posted summary walks the channel through its open findings', async (t) => {
  const h = await httpFixture(t);
  const channel = h.chat.in({ kind: 'channel', channelId: 'soc' });
  await channel.membersAdded();
  h.f.app.store.db.exec('DELETE FROM finding_runs; DELETE FROM findings;');
  h.connector.clearCalls();
  await scheduler(h).tick();
  const [posted] = h.connector.sent((c) => c.conversationId === channel.conversation.id);
  const start = actionsOf(cardOf(posted!.body)).find((a) => a.verb === 'triage.next')!;
  const out = await turn(h.connector, () => channel.execute('triage.next', start.data, { replyToId: posted!.assignedId! }));
  assert.match(textOf(out.cards[0]), /Finding \w+ · open ·/, 'the first open finding, in the channel');
});

test('subscribed from inside a channel thread, the channel (not the thread) gets the summaries', async (t) => {
  const h = await httpFixture(t);
  const thread = h.chat.in({ kind: 'channel', id: '19:soc@thread.tacv2;messageid=1733050000000' });
  await turn(h.connector, () => thread.message('subscribe'));
  assert.deepEqual(h.f.refs.subscribed().map((s) => s.conversationId), ['19:soc@thread.tacv2']);
  h.connector.clearCalls();
  const result = await scheduler(h).tick();
  assert.equal(result.status, 'ran');
  const [post] = h.connector.calls.filter((c) => c.body?.type === 'message');
  // Teams threads channel messages by the conversation id (`;messageid=` names the thread): the channel's own
  // id makes a new post. (The SDK still names its continuation event's random id as replyToId.)
  assert.equal(post!.conversationId, '19:soc@thread.tacv2', 'addressed to the channel, not the thread');
  assert.notEqual(post!.body.replyToId, '1733050000000', 'not a reply to the message that subscribed');
  const off = await turn(h.connector, () => h.chat.in({ kind: 'channel', id: '19:soc@thread.tacv2;messageid=1733059999999' }).message('unsubscribe'));
  assert.match(off.texts[0]!, /^Unsubscribed/, 'another thread of the same channel unsubscribes it');
  assert.deepEqual(h.f.refs.subscribed(), []);
});

test('ticks never overlap: a tick while a run is going is skipped, as is one while a chat hunt runs', async (t) => {
  const { createSource, go } = gatedSource();
  const h = await httpFixture(t, { bot: { huntInlineMs: 60_000, createSource } });
  await turn(h.connector, () => h.chat.message('subscribe'));
  const runs = h.f.app.store.runs.list().length;
  const s = scheduler(h);
  const first = s.tick();
  const second = await s.tick();
  assert.deepEqual(second, { status: 'skipped', reason: 'the previous scheduled run is still going' });
  const chatHunt = await turn(h.connector, () => h.chat.message('hunt'));
  assert.match(chatHunt.texts[0]!, /^A hunt is already running/, 'a chat hunt waits for the scheduled one too');
  go();
  assert.equal((await first).status, 'ran');
  assert.equal(h.f.app.store.runs.list().length, runs + 1, 'exactly one run was recorded');

  // And the other way round: a chat hunt in flight blocks the tick.
  const { createSource: slow, go: release, entered } = gatedSource();
  const h2 = await httpFixture(t, { bot: { huntInlineMs: 60_000, createSource: slow } });
  const chat = turn(h2.connector, () => h2.chat.message('hunt'));
  await entered;
  assert.deepEqual(await scheduler(h2).tick(), { status: 'skipped', reason: 'a hunt is still running' });
  release();
  await chat;
});

test('a failed run is posted as FAILED with its reason, never as "no findings"', async (t) => {
  const createSource = (): EventSource => ({
    kind: 'log-analytics',
    description: 'test workspace',
    query: async () => {
      throw new SourceError('log analytics: 403 InsufficientAccessError: The provided credentials have insufficient access', 403, 'InsufficientAccessError');
    },
  });
  const h = await httpFixture(t, { bot: { createSource } });
  await turn(h.connector, () => h.chat.message('subscribe'));
  h.connector.clearCalls();
  const result = await scheduler(h).tick();
  assert.equal(result.status, 'ran');
  if (result.status === 'ran') assert.equal(result.outcome.ok, false);
  const text = textOf(cardOf(h.connector.sent()[0]!.body));
  assert.match(text, /^Scheduled hunt run \d+ FAILED/);
  assert.match(text, /InsufficientAccessError/);
  assert.doesNotMatch(text, /Nothing new|New findings/);
  assert.equal(h.f.app.store.runs.latest(h.f.bot.services.rule().id)?.status, 'failed');
});

test('subscribe and unsubscribe: analysts only, audited; removing the app unsubscribes a channel', async (t) => {
  const h = await httpFixture(t, { env: { TRIAGE_ANALYSTS: 'aaaaaaaa-0000-4000-8000-000000000001', HUNT_SCHEDULE: '0 6 * * 1-5' } });
  const refused = await turn(h.connector, () => h.chat.message('subscribe', MALLORY));
  assert.match(refused.texts[0]!, /^Sorry, only configured analysts/);
  assert.notEqual(h.f.refs.get(h.chat.conversation.id)?.subscribed, true);
  const on = await turn(h.connector, () => h.chat.message('subscribe'));
  const next = nextRunAfter('0 6 * * 1-5', new Date())!.toISOString().replace('.000Z', 'Z');
  assert.match(on.texts[0]!, new RegExp(`Schedule: \`0 6 \\* \\* 1-5\` \\(UTC\\), next run ${next}`));
  const off = await turn(h.connector, () => h.chat.message('unsubscribe'));
  assert.match(off.texts[0]!, /^Unsubscribed/);
  assert.equal(h.f.refs.get(h.chat.conversation.id)?.subscribed, false);
  const actions = h.f.app.store.audit.list({ entity: 'conversation' }).map((a) => a.action);
  assert.deepEqual(actions, ['conversation.unsubscribed', 'conversation.subscribed', 'authz.refused'], 'newest first');

  const channel = h.chat.in({ kind: 'channel', channelId: 'soc' });
  await channel.installationUpdate('add');
  assert.equal(h.f.refs.get(channel.conversation.id)?.subscribed, true, 'installed in a channel: subscribed');
  await channel.installationUpdate('remove');
  assert.equal(h.f.refs.get(channel.conversation.id)?.subscribed, false, 'removed: unsubscribed');
});

test('the cron fires the tick on its schedule, and stop() ends it', async (t) => {
  const h = await httpFixture(t);
  await turn(h.connector, () => h.chat.message('subscribe'));
  h.connector.clearCalls();
  const s = scheduler(h, '* * * * * *');
  s.start();
  t.after(() => s.stop());
  const next = s.nextRun();
  assert.ok(next && next.getTime() - Date.now() <= 1000, 'every second');
  const [posted] = await h.connector.waitForSent(1);
  assert.match(textOf(cardOf(posted!.body)), /^Scheduled hunt run \d+ finished/);
  await s.stop();
  assert.equal(s.nextRun(), null);
});
