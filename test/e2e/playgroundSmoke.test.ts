// Proves the browser rig itself against a bot that does nothing but echo: the playground renders our card,
// the harness fills every kind of input the triage cards use, and both ways of answering a button (the
// Action.Execute invoke response, and updateActivity after an Action.Submit) replace the card in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../scripts/start.js';
import { ECHO_VERB, startEchoBot, type EchoBotServer } from './support/echoBot.js';
import { CHROMIUM, e2eSkipReason, withPlayground } from './support/playground.js';

const skip = e2eSkipReason();

async function withEchoBot(body: (bot: EchoBotServer) => Promise<void>): Promise<void> {
  const bot = await startEchoBot(await freePort());
  try {
    await body(bot);
  } finally {
    await bot.close();
  }
}

test('the playground shows the echo card, and Action.Execute replaces it in place', { skip }, async (t) => {
  await withEchoBot((bot) =>
    withPlayground(t, 'smoke-execute', { bot: { endpoint: bot.endpoint } }, async (pg) => {
      const since = await pg.send('hello');
      const card = await pg.waitForCard('Echo: hello', { since });
      await pg.setInput('Comment', 'seen it');
      await pg.setInput('Exclude going forward', true);
      await pg.setInput('Scenario', 'Scenario 3');
      await pg.setInput('Findings', ['Finding f1', 'Finding f3']);
      await pg.setInput('Compact multi', ['Item b']);
      await pg.setInput('Reason', 'Inaccurate data');
      const shot = await pg.screenshot('smoke-echo-card');

      await pg.clickAction('Acknowledge', card);
      const updated = await card.waitFor('Acknowledged');
      assert.doesNotMatch(updated, /Echo: hello/, 'the old card is gone from its slot');
      assert.equal(await pg.cardCount(), since + 1, 'replaced in place, not posted as a new message');
      // What the playground sent is what the triage bot will parse: inputs merged into data, strings throughout.
      assert.deepEqual(bot.invokes.at(-1), {
        verb: ECHO_VERB,
        echoed: 'hello',
        comment: 'seen it',
        exclude: 'true',
        scenario: '3',
        selected: 'f1,f3',
        compactMulti: 'b',
        fpReason: 'InaccurateData',
      });
      assert.match(shot, /artifacts\/e2e\/smoke-echo-card\.png$/);
    }),
  );
});

test('Action.Submit reaches the bot as a message, and updateActivity replaces the card in place', { skip }, async (t) => {
  await withEchoBot((bot) =>
    withPlayground(t, 'smoke-submit', { bot: { endpoint: bot.endpoint } }, async (pg) => {
      await pg.send('say plain text first');
      assert.match(await pg.waitForBotText('plain text first'), /plain text first/);
      const since = await pg.send('second');
      const card = await pg.waitForCard('Echo: second', { since });
      await card.clickAction('Submit');
      assert.match(await card.waitFor('Acknowledged'), /echoed=second; exclude=false; scenario=1/);
      assert.equal(await pg.cardCount(), since + 1);
      assert.equal(bot.invokes.at(-1)?.via, 'submit');
      await assert.rejects(card.clickAction('No such button'), /has no "No such button" button/);
    }),
  );
});

test('the browser tests skip only where chromium is missing outside CI', () => {
  assert.match(e2eSkipReason({}, '/nonexistent/chromium') ?? '', /\/nonexistent\/chromium is not installed/);
  assert.equal(e2eSkipReason({ CI: 'true' }, '/nonexistent/chromium'), undefined, 'CI must run them, and fail without a browser');
  assert.equal(e2eSkipReason({}, process.execPath), undefined);
  assert.equal(CHROMIUM, '/usr/bin/chromium');
});
