// The triage walk-through over a real hunt's findings: next → card; act → the next card; … → "All findings
// triaged". Dialog state is in SQLite, so a restarted bot carries on where the first one stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botFixture, leaveOpen, removeFixture } from './fixture.js';
import { Chat, cardOf, cardsIn, findingIdOf, textOf, textsIn } from './support.js';

test('next walks through the open findings one card at a time until all are triaged', async (t) => {
  const f = await botFixture();
  t.after(() => removeFixture(f));
  const [a, b, c] = await leaveOpen(f.app, 3);
  const chat = new Chat(f.bot);

  const first = await chat.say('next');
  const cardA = cardOf(first.sent[0]);
  assert.equal(findingIdOf(cardA), a, 'the most recently seen open finding comes first');
  assert.match(textOf(cardA), /Benign scenarios/);

  const va = f.app.store.findings.get(a!)!.version;
  const afterTp = await chat.execute('finding.tp', { verb: 'finding.tp', findingId: a, version: va, comment: 'real abuse' }, first.sent[0]!.id);
  assert.equal(afterTp.invoke.type, 'application/vnd.microsoft.card.adaptive');
  assert.match(textOf(afterTp.invoke.value), /True Positive/, 'the invoke response shows the disposition');
  assert.equal(afterTp.updates.length, 1, 'the posted card is updated for everyone');
  assert.equal(afterTp.updates[0]!.id, first.sent[0]!.id);
  assert.equal(f.app.store.dispositions.latest(a!)?.classification, 'TruePositive');
  assert.equal(f.app.store.dispositions.latest(a!)?.comment, 'real abuse');
  const cardB = cardsIn(afterTp).at(-1);
  assert.equal(findingIdOf(cardB), b, 'the walk-through posts the next open finding');

  const afterSkip = await chat.execute('finding.skip', { verb: 'finding.skip', findingId: b, version: f.app.store.findings.get(b!)!.version }, afterTp.sent.at(-1)!.id);
  assert.equal(f.app.store.dispositions.latest(b!), null, 'skip stores nothing');
  assert.equal(afterSkip.updates.length, 0, 'skip changes nobody else’s card');
  const cardC = cardsIn(afterSkip).at(-1);
  assert.equal(findingIdOf(cardC), c);

  const vc = f.app.store.findings.get(c!)!.version;
  const done = await chat.execute('finding.fp', { verb: 'finding.fp', findingId: c, version: vc, fpReason: 'InaccurateData' }, afterSkip.sent.at(-1)!.id);
  assert.equal(f.app.store.dispositions.latest(c!)?.reason, 'InaccurateData');
  assert.match(textsIn(done).join('\n'), /^All findings triaged in this walk-through; 1 of them are still open/m, 'the skipped one is still open and named');

  const again = await chat.say('triage');
  assert.equal(findingIdOf(cardOf(again.sent[0])), b, 'a new walk-through offers the skipped finding again');
  const vb = f.app.store.findings.get(b!)!.version;
  const end = await chat.submit({ verb: 'finding.undetermined', findingId: b, version: vb }, again.sent[0]!.id!);
  assert.equal(f.app.store.dispositions.latest(b!)?.classification, 'Undetermined');
  assert.equal(end.updates.length, 1, 'the Action.Submit path updates the card in place');
  assert.match(textsIn(end).join('\n'), /All findings triaged/);
  assert.equal(f.app.store.findings.list({ state: 'open' }).length, 1, 'Undetermined leaves the finding open');
});

test('the walk-through survives a restart: its state is in the SQLite storage', async (t) => {
  let f = await botFixture();
  t.after(() => removeFixture(f));
  const [a, b] = await leaveOpen(f.app, 2);
  const first = await new Chat(f.bot).say('next');
  assert.equal(findingIdOf(cardOf(first.sent[0])), a);

  f = f.restart();
  const chat = new Chat(f.bot);
  const out = await chat.execute('finding.benign', { verb: 'finding.benign', findingId: a, version: f.app.store.findings.get(a!)!.version, scenario: '1', exclude: 'false' }, first.sent[0]!.id);
  assert.equal(f.app.store.dispositions.latest(a!)?.classification, 'BenignPositive');
  assert.equal(findingIdOf(cardsIn(out).at(-1)), b, 'the restarted bot continues the same walk-through');
  assert.equal(out.updates.length, 1, 'and knows which message to update');
});

test('with no open finding, next says so at once', async (t) => {
  const f = await botFixture();
  t.after(() => removeFixture(f));
  await leaveOpen(f.app, 0);
  const out = await new Chat(f.bot).say('next');
  assert.deepEqual(textsIn(out), ['All findings triaged: no open finding is left.']);
});
