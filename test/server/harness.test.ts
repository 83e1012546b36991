// The test harness itself (botHttp → real server → local connector), checked against botbuilder's own
// reading of the activities it builds, so bot tests can trust what they send and what they capture.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardFactory, TeamsActivityHandler, TeamsInfo, TurnContext, type InvokeResponse } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { silentLogger } from '../../src/log.js';
import { cardOf, startConnector, type Connector } from '../support/connector.js';
import { ALICE, BOB, botHttp, type BotHttp } from '../support/botHttp.js';

const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] });

/** Records what the handler saw and answers the way the real bot will (cards, updates, invoke responses). */
class ProbeBot extends TeamsActivityHandler {
  seen: Array<{ kind: string; text?: string | undefined; value?: unknown; replyToId?: string | undefined; aad?: string | undefined }> = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const a = context.activity;
      if (a.value) {
        this.seen.push({ kind: 'submit', value: a.value, replyToId: a.replyToId, aad: a.from.aadObjectId });
        await context.updateActivity({ id: a.replyToId!, type: 'message', attachments: [CardFactory.adaptiveCard(card('updated by submit'))] });
      } else {
        const text = TurnContext.removeRecipientMention(a)?.trim();
        this.seen.push({ kind: 'message', text, aad: a.from.aadObjectId });
        if (text === 'whoami') {
          const member = await TeamsInfo.getMember(context, a.from.id);
          await context.sendActivity(`you are ${member.name} (${member.aadObjectId})`);
        } else {
          await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card(`card for ${text}`))] });
        }
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      this.seen.push({ kind: 'install' });
      await context.sendActivity('welcome (install)');
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
      this.seen.push({ kind: botAdded ? 'bot added' : 'members added' });
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext): Promise<{ statusCode: number; type: string; value: Record<string, unknown> }> {
    const value = context.activity.value as { action: { verb: string; data: Record<string, unknown> } };
    this.seen.push({ kind: 'execute', value, replyToId: context.activity.replyToId });
    const updated = card(`updated by ${value.action.verb}`);
    if (context.activity.replyToId) {
      await context.updateActivity({ id: context.activity.replyToId, type: 'message', attachments: [CardFactory.adaptiveCard(updated)] });
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: updated };
  }
}

async function harness(t: TestContext): Promise<{ bot: ProbeBot; connector: Connector; chat: BotHttp }> {
  const dir = mkdtempSync(join(tmpdir(), 'harness-'));
  const config = loadConfig({ TRIAGE_DB: join(dir, 'x.sqlite'), PORT: '0' });
  const bot = new ProbeBot();
  const connector = await startConnector();
  const server = await startServer({ config, bot, log: silentLogger });
  t.after(async () => {
    await server.close();
    await connector.close();
  });
  return { bot, connector, chat: botHttp(server.url, connector.url) };
}

test('a channel message carries the @mention Teams adds, which removeRecipientMention strips', async (t) => {
  const { bot, connector, chat } = await harness(t);
  const channel = chat.in({ kind: 'channel', channelId: 'soc' });
  const res = await channel.message('hunt');
  assert.equal(res.activity.text, '<at>Triage</at> hunt');
  await connector.waitForSent(1);
  assert.deepEqual(bot.seen, [{ kind: 'message', text: 'hunt', aad: ALICE.aadObjectId }]);
  assert.equal(connector.sent()[0]!.conversationId, '19:soc@thread.tacv2');
});

test('a posted card can be acted on by Action.Execute and Action.Submit, and its updates are visible', async (t) => {
  const { bot, connector, chat } = await harness(t);
  await chat.message('next');
  const [posted] = await connector.waitForSent(1);
  const cardId = posted!.assignedId!;
  assert.equal(cardOf(connector.activity(cardId)).body[0].text, 'card for next');

  const res = await chat.as(BOB).execute('finding.benign', { findingId: 'f-1', version: 2, scenario: '3' }, { replyToId: cardId });
  assert.equal(res.status, 200);
  assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
  assert.equal(res.body.value.body[0].text, 'updated by finding.benign');
  const [update] = await connector.waitFor((c) => c.route === 'update');
  assert.equal(update!.activityId, cardId);
  assert.equal(cardOf(connector.activity(cardId)).body[0].text, 'updated by finding.benign');
  assert.deepEqual(bot.seen[1], {
    kind: 'execute',
    value: { action: { type: 'Action.Execute', verb: 'finding.benign', data: { findingId: 'f-1', version: 2, scenario: '3' } }, trigger: 'manual' },
    replyToId: cardId,
  });

  await chat.submit({ verb: 'finding.tp', findingId: 'f-1', version: 3 }, cardId);
  await connector.waitFor((c) => c.route === 'update', { count: 2 });
  assert.equal(cardOf(connector.activity(cardId)).body[0].text, 'updated by submit');
  assert.deepEqual(bot.seen[2], { kind: 'submit', value: { verb: 'finding.tp', findingId: 'f-1', version: 3 }, replyToId: cardId, aad: ALICE.aadObjectId });
});

test('updating an activity the connector never saw is a 404, as in Teams', async (t) => {
  const { connector, chat } = await harness(t);
  await chat.submit({ verb: 'finding.tp' }, 'act-999');
  const [update] = await connector.waitFor((c) => c.route === 'update');
  assert.equal(update!.status, 404);
  // The turn failed, so the user is told in one line.
  const [sorry] = await connector.waitForSent(1);
  assert.match(sorry!.body.text, /^Sorry, something went wrong: /);
  const seeded = connector.seedActivity(chat.conversation.id, { type: 'message', text: 'old card' });
  await chat.submit({ verb: 'finding.tp' }, seeded);
  await connector.waitFor((c) => c.route === 'update' && c.status === 200);
});

test('install events: installationUpdate add and conversationUpdate with the bot added', async (t) => {
  const { bot, connector, chat } = await harness(t);
  await chat.installationUpdate('add');
  await chat.in({ kind: 'channel' }).membersAdded();
  await chat.membersAdded([BOB]);
  await connector.waitForSent(1);
  assert.deepEqual(bot.seen.map((s) => s.kind), ['install', 'bot added', 'members added']);
  assert.equal(connector.sent()[0]!.body.text, 'welcome (install)');
});

test('TeamsInfo.getMember is answered from the members a test adds', async (t) => {
  const { connector, chat } = await harness(t);
  connector.addMember({ id: ALICE.id, name: 'Alice Analyst', aadObjectId: ALICE.aadObjectId! });
  await chat.message('whoami');
  const [reply] = await connector.waitForSent(1);
  assert.equal(reply!.body.text, `you are Alice Analyst (${ALICE.aadObjectId})`);
  assert.ok(connector.calls.some((c) => c.route === 'member' && c.memberId === ALICE.id));
});

test('scripted failures: a 429 with Retry-After is recorded with the status the connector gave', async (t) => {
  const { connector, chat } = await harness(t);
  connector.fail({ route: 'reply', status: 429, headers: { 'Retry-After': '0' } });
  await chat.message('next');
  const calls = await connector.waitFor((c) => c.route === 'reply', { count: 2 });
  assert.equal(calls[0]!.status, 429);
  // Whatever the SDK did after the 429, the next reply went through.
  assert.equal(calls[1]!.status, 200);
});

test('invoke answers come back as the HTTP body', async (t) => {
  const { chat } = await harness(t);
  const res = await chat.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'help', data: {} }, trigger: 'manual' });
  const body = res.body as InvokeResponse['body'];
  assert.equal(res.status, 200);
  assert.equal(body.value.body[0].text, 'updated by help');
});
