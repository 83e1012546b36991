// Conversation references for proactive posts: stored per conversation, refreshed without losing the
// subscription flag, validated on the way in and out, and kept across a restart.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TurnContext, type Activity } from 'botbuilder';
import { openStore } from '../../src/store/index.js';
import { ConversationRefs, proactiveReference } from '../../src/bot/conversationRefs.js';

function dbPath(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bot-refs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'triage.sqlite');
}

const incoming = (conversationId: string, serviceUrl = 'https://smba.trafficmanager.net/amer/'): Partial<Activity> => ({
  type: 'message',
  id: 'in-1',
  channelId: 'msteams',
  serviceUrl,
  from: { id: '29:alice', name: 'Alice', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' },
  recipient: { id: '28:bot', name: 'Triage' },
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 't', isGroup: true, name: '' },
});

test('save, refresh, subscribe, and read back after a restart', async (t) => {
  const path = dbPath(t);
  let clock = Date.parse('2026-12-01T12:00:00Z');
  const first = openStore(path, { now: () => new Date(clock) });
  const refs = new ConversationRefs(first);
  const conv = '19:soc@thread.tacv2';

  const saved = refs.save(TurnContext.getConversationReference(incoming(conv)));
  assert.equal(saved.conversationId, conv);
  assert.equal(saved.subscribed, false);
  assert.equal(saved.reference.serviceUrl, 'https://smba.trafficmanager.net/amer/');
  assert.equal(saved.reference.bot.id, '28:bot');
  assert.deepEqual(refs.subscribed(), []);

  assert.equal(refs.setSubscribed(conv, true), true);
  assert.equal(refs.setSubscribed('19:unknown@thread.tacv2', true), false);
  clock += 60_000;
  // An ordinary turn refreshes the reference (the serviceUrl moved) and keeps the subscription.
  refs.save(TurnContext.getConversationReference(incoming(conv, 'https://smba.trafficmanager.net/emea/')));
  refs.save(TurnContext.getConversationReference(incoming('a:dm-bob')));
  first.close();

  const again = openStore(path);
  t.after(() => again.close());
  const reopened = new ConversationRefs(again);
  const subs = reopened.subscribed();
  assert.deepEqual(subs.map((s) => s.conversationId), [conv]);
  assert.equal(subs[0]!.reference.serviceUrl, 'https://smba.trafficmanager.net/emea/');
  assert.equal(subs[0]!.createdAt, '2026-12-01T12:00:00.000Z');
  assert.equal(subs[0]!.updatedAt, '2026-12-01T12:01:00.000Z');
  assert.equal(reopened.get('a:dm-bob')?.subscribed, false);
  assert.equal(reopened.get('nope'), undefined);
  reopened.save(TurnContext.getConversationReference(incoming(conv)), { subscribed: false });
  assert.deepEqual(reopened.subscribed(), []);
});

test('a reference without what a proactive post needs is refused, naming the field', (t) => {
  const store = openStore(dbPath(t));
  t.after(() => store.close());
  const refs = new ConversationRefs(store);
  const ref = TurnContext.getConversationReference(incoming('19:x@thread.tacv2'));
  assert.throws(() => refs.save({ ...ref, serviceUrl: 'not a url' }), /conversationRefs: conversation reference: serviceUrl:/);
  assert.throws(() => refs.save({ ...ref, conversation: { id: '' } as never }), /conversationRefs: conversation reference: conversation\.id:/);
  assert.equal(refs.get('19:x@thread.tacv2'), undefined);
});

test('a channel thread is stored as its channel, with nothing to reply to; an unchanged turn writes nothing', (t) => {
  let clock = Date.parse('2026-12-01T12:00:00Z');
  const store = openStore(dbPath(t), { now: () => new Date(clock) });
  t.after(() => store.close());
  const refs = new ConversationRefs(store);
  const thread = TurnContext.getConversationReference({ ...incoming('19:soc@thread.tacv2;messageid=1733050000000'), id: '1733050000000' });
  assert.equal(thread.activityId, '1733050000000');
  const proactive = proactiveReference(thread as never);
  assert.equal(proactive.conversation.id, '19:soc@thread.tacv2');
  assert.equal(proactive.activityId, undefined, 'a proactive post starts a new message, it replies to nothing');
  const personal = proactiveReference(TurnContext.getConversationReference({ ...incoming('a:dm-alice'), conversation: { id: 'a:dm-alice;messageid=1', conversationType: 'personal' } as never }) as never);
  assert.equal(personal.conversation.id, 'a:dm-alice;messageid=1', 'only channel ids name threads');

  refs.save(thread, { subscribed: true });
  assert.deepEqual(refs.subscribed().map((r) => r.conversationId), ['19:soc@thread.tacv2']);
  assert.equal(refs.get('19:soc@thread.tacv2;messageid=1733059999999')?.subscribed, true, 'any thread finds its channel');

  clock += 60_000;
  refs.remember(TurnContext.getConversationReference({ ...incoming('19:soc@thread.tacv2;messageid=1733059999999'), id: '1733059999999' }));
  assert.equal(refs.get('19:soc@thread.tacv2')!.updatedAt, '2026-12-01T12:00:00.000Z', 'same channel, same reference: no write');
  refs.remember(TurnContext.getConversationReference(incoming('19:soc@thread.tacv2', 'https://smba.trafficmanager.net/emea/')));
  const moved = refs.get('19:soc@thread.tacv2')!;
  assert.equal(moved.updatedAt, '2026-12-01T12:01:00.000Z', 'a moved serviceUrl is written');
  assert.equal(moved.reference.serviceUrl, 'https://smba.trafficmanager.net/emea/');
  assert.equal(moved.subscribed, true, 'and the subscription stays');
});
