// Every typed command over real HTTP: activities POSTed to /api/messages, replies captured by the local
// connector. Personal chat and a channel (where the text carries the bot's <at> mention).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_FILE } from '../../data/sample/defaults.js';
import type { KDateTime } from '../../src/kql/values.js';
import type { EventSource } from '../../src/sources/eventSource.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { BOB } from '../support/botHttp.js';
import { cardOf } from '../support/connector.js';
import { actionsOf, findingIdOf, textOf } from '../dialogs/support.js';
import { httpFixture, turn } from './httpFixture.js';

test('hunt posts the run summary, the first new findings as cards, and how many more there are', async (t) => {
  const { f, connector, chat } = await httpFixture(t);
  const before = f.app.store.runs.list().length;
  const out = await turn(connector, () => chat.message('hunt'));
  assert.equal(out.res.status, 200);
  assert.equal(f.app.store.runs.list().length, before + 1, 'a real run was recorded');
  assert.ok(out.calls.some((c) => c.body?.type === 'typing'), 'a typing indicator while the hunt runs');
  assert.match(textOf(out.cards[0]), /Hunt run \d+ finished/);
  // The fixture's database was already hunted once: the second run of the same events finds nothing new.
  assert.match(textOf(out.cards[0]), /Nothing new to triage/);
  assert.equal(out.cards.length, 1);
});

test('hunt on an empty database: summary, five finding cards, then "N more: type next"', async (t) => {
  const { f, connector, chat } = await httpFixture(t);
  f.app.store.db.exec('DELETE FROM finding_runs; DELETE FROM findings;');
  const out = await turn(connector, () => chat.message('HUNT'));
  assert.match(textOf(out.cards[0]), /New findings\n(\d+)/);
  const created = Number(/New findings\n(\d+)/.exec(textOf(out.cards[0]))![1]);
  assert.ok(created > 5);
  const findingCards = out.cards.slice(1);
  assert.equal(findingCards.length, 5);
  assert.ok(findingCards.every((c) => f.app.store.findings.get(findingIdOf(c)!)?.state === 'open'));
  assert.match(out.texts.at(-1)!, new RegExp(`^${created - 5} more new or reopened finding\\(s\\): type next`));
  assert.ok(actionsOf(out.cards[0]).some((a) => a.verb === 'triage.next'), 'the summary offers Start triage');
});

test('next, bulk, exclusions and help each answer with their card', async (t) => {
  const { connector, chat } = await httpFixture(t);
  const next = await turn(connector, () => chat.message('next'));
  assert.ok(findingIdOf(next.cards[0]), 'next: a finding card');
  const bulk = await turn(connector, () => chat.message('bulk parent'));
  assert.match(textOf(bulk.cards[0]), /Bulk marking · \d+ open findings[\s\S]*Grouped by parent process/);
  const exclusions = await turn(connector, () => chat.message('exclusions'));
  assert.match(textOf(exclusions.cards[0]), /Exclusions[\s\S]*Proposed \(0\)[\s\S]*Active \(0\)/);
  const help = await turn(connector, () => chat.message('help'));
  for (const word of ['hunt', 'next', 'bulk', 'exclusions', 'export', 'stats', 'subscribe', 'unsubscribe', 'help']) {
    assert.match(textOf(help.cards[0]), new RegExp(`^${word}$`, 'm'));
  }
});

test('stats posts the chart card with the store’s numbers, in a channel too', async (t) => {
  const { f, connector, chat } = await httpFixture(t);
  const open = f.app.store.findings.list({ state: 'open' });
  await turn(connector, () => chat.execute('finding.tp', { verb: 'finding.tp', findingId: open[0]!.id, version: open[0]!.version }));
  const out = await turn(connector, () => chat.in({ kind: 'channel', channelId: 'soc' }).message('stats'));
  const card = out.cards[0];
  const donut = card.body.find((e: any) => e.type === 'Chart.Donut');
  assert.deepEqual(donut.data.map((d: any) => [d.legend, d.value]), [['True Positive', 1]], 'one finding judged, True Positive');
  assert.ok(card.body.some((e: any) => e.type === 'Chart.Line'), 'findings per run');
  assert.ok(card.body.some((e: any) => e.type === 'FactSet'), 'the numbers beside the charts');
});

test('anything else gets the help card, never silence', async (t) => {
  const { connector, chat } = await httpFixture(t);
  for (const text of ['hello there', 'hunting', 'nextfinding', 'please hunt']) {
    const out = await turn(connector, () => chat.message(text));
    assert.equal(out.cards.length, 1, text);
    assert.match(textOf(out.cards[0]), new RegExp(`I don't know "${text}"`), `"${text}" is not a command (first word only, matched whole)`);
  }
  const empty = await turn(connector, () => chat.message(''));
  assert.match(textOf(empty.cards[0]), /Here is what I can do/);
});

test('in a channel the <at> mention is stripped before the command is read', async (t) => {
  const { connector, chat } = await httpFixture(t, { conversation: { kind: 'channel', channelId: 'soc' } });
  const out = await turn(connector, () => chat.message('next'));
  assert.equal(out.res.activity.text, '<at>Triage</at> next');
  assert.ok(findingIdOf(out.cards[0]), 'the channel got a finding card');
  assert.equal(out.sent[0]!.conversationId, '19:soc@thread.tacv2');
  const help = await turn(connector, () => chat.as(BOB).message('Help'));
  assert.doesNotMatch(textOf(help.cards[0]), /I don't know/);
});

test('install: one welcome card per conversation, though Teams announces it twice', async (t) => {
  const { connector, chat } = await httpFixture(t);
  const installed = await turn(connector, () => chat.installationUpdate('add'));
  assert.match(textOf(installed.cards[0]), /Parsec exclusion triage/);
  assert.match(textOf(installed.cards[0]), /everyone here can mark findings/, 'the open (no lists) mode is said');
  const added = await turn(connector, () => chat.membersAdded());
  assert.equal(added.sent.length, 0);
  const channel = await turn(connector, () => chat.in({ kind: 'channel' }).membersAdded());
  assert.equal(channel.cards.length, 1, 'a new conversation gets its own welcome');
  const someone = await turn(connector, () => chat.in({ kind: 'groupChat' }).membersAdded([BOB]));
  assert.equal(someone.sent.length, 0, 'another member joining is not an install');
});

test('a hunt slower than the turn allows answers at once and posts its results when it finishes', async (t) => {
  // The source waits for the test's go: the hunt is slow for exactly as long as the test says.
  let go!: () => void;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const createSource = (now: KDateTime): EventSource => {
    const local = new LocalEventSource({ path: SAMPLE_FILE, now });
    return { kind: local.kind, description: local.description, query: async (kql, o) => (await gate, local.query(kql, o)) };
  };
  const { f, connector, chat } = await httpFixture(t, { bot: { huntInlineMs: 50, createSource } });
  f.app.store.db.exec('DELETE FROM finding_runs; DELETE FROM findings;');
  const out = await turn(connector, () => chat.message('hunt'));
  assert.deepEqual(out.texts, ['The hunt is still running; I will post its results here when it finishes.']);
  const busy = await turn(connector, () => chat.execute('hunt.run', { verb: 'hunt.run' }));
  assert.match(busy.texts[0]!, /^A hunt is already running/, 'one hunt at a time');
  go();
  await f.bot.idle();
  const late = connector.sent().filter((c) => c.seq > out.calls.at(-1)!.seq && c.body?.attachments);
  assert.match(textOf(cardOf(late[0]!.body)), /Hunt run \d+ finished/, 'the summary was posted proactively');
  assert.equal(late[0]!.conversationId, chat.conversation.id);
  assert.equal(late.length, 6, 'then the first five findings');
  // The late cards are known to the bot: a Skip on one of them starts the walk-through.
  const cardId = late[1]!.assignedId!;
  const findingId = findingIdOf(cardOf(late[1]!.body))!;
  const skipped = await turn(connector, () => chat.execute('finding.skip', { verb: 'finding.skip', findingId, version: f.app.store.findings.get(findingId)!.version }, { replyToId: cardId }));
  assert.ok(findingIdOf(skipped.cards[0]) && findingIdOf(skipped.cards[0]) !== findingId);
});
