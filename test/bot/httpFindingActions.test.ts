// The finding card's actions over real HTTP, as Action.Execute invokes (the invoke response replaces the card
// for the actor, a PUT to the connector for everyone) and as Action.Submit messages; and the submissions that
// must store nothing: a stale card, a forged id, an unknown verb, an invalid input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE } from '../support/botHttp.js';
import { cardOf } from '../support/connector.js';
import { actionsOf, findingIdOf, textOf } from '../dialogs/support.js';
import { httpFixture, idOf, turn, type HttpFixture } from './httpFixture.js';

const CARD = 'application/vnd.microsoft.card.adaptive';

/** Posts `next` and returns the finding card's message id and the finding it shows. */
async function postedCard(h: HttpFixture): Promise<{ cardId: string; findingId: string; version: number }> {
  const out = await turn(h.connector, () => h.chat.message('next'));
  const findingId = findingIdOf(out.cards[0])!;
  return { cardId: idOf(out.sent[0]), findingId, version: h.f.app.store.findings.get(findingId)!.version };
}

const dispositions = (h: HttpFixture): number => (h.f.app.store.db.prepare('SELECT count(*) AS n FROM dispositions').get() as { n: number }).n;

test('benign with "exclude going forward": the card shows the verdict for everyone and a proposal card follows', async (t) => {
  const h = await httpFixture(t);
  const target = h.f.app.store.findings.list({ state: 'open' }).find((x) => x.enrichment.ParentProcesses.length === 1 && /^(msiexec|setup)\.exe$/i.test(x.enrichment.ParentProcesses[0]!))!;
  const posted = await turn(h.connector, () => h.chat.message('next'));
  // Seed the card for this finding as if it were on screen (the walk-through may have shown another first).
  const cardId = h.connector.seedActivity(h.chat.conversation.id, { type: 'message', attachments: posted.sent[0]!.body.attachments });
  const out = await turn(h.connector, () =>
    h.chat.execute('finding.benign', { verb: 'finding.benign', findingId: target.id, version: target.version, scenario: '4', exclude: 'true', scope: 'device', comment: 'Intune rollout' }, { replyToId: cardId }),
  );
  assert.equal(out.res.status, 200);
  assert.equal(out.res.body.statusCode, 200);
  assert.equal(out.res.body.type, CARD);
  assert.match(textOf(out.res.body.value), /Benign Positive \(scenario 4: .*\) by Alice Analyst/, 'the invoke response shows the disposition');
  assert.ok(!actionsOf(out.res.body.value).some((a) => a.verb === 'finding.benign'), 'a closed card offers no marking');

  assert.equal(out.updates.length, 1, 'the posted message was updated');
  assert.equal(out.updates[0]!.activityId, cardId);
  assert.deepEqual(cardOf(h.connector.activity(cardId)), out.res.body.value, 'everyone now sees the same card');

  const proposal = out.cards.find((c) => /Exclusion \d+ · active/.test(textOf(c)));
  assert.ok(proposal, 'a proposal card (active at once: four-eyes is off) with its impact');
  assert.match(textOf(proposal), /Impact[\s\S]*\d+ findings?: \d+ open, \d+ closed/);
  const d = h.f.app.store.dispositions.latest(target.id)!;
  assert.deepEqual([d.classification, d.scenario, d.comment, d.analystId, d.analystName], ['BenignPositive', 4, 'Intune rollout', ALICE.aadObjectId, ALICE.name]);
  assert.equal(h.f.app.store.exclusions.list().length, 1);
});

test('True Positive, False Positive with its reason, and Undetermined', async (t) => {
  const h = await httpFixture(t);
  const cases: Array<[string, Record<string, unknown>, string, string | null]> = [
    ['finding.tp', {}, 'TruePositive', 'SuspiciousActivity'],
    ['finding.fp', { fpReason: 'InaccurateData' }, 'FalsePositive', 'InaccurateData'],
    ['finding.undetermined', { comment: 'need logs' }, 'Undetermined', null],
  ];
  for (const [verb, extra, classification, reason] of cases) {
    const { cardId, findingId, version } = await postedCard(h);
    const out = await turn(h.connector, () => h.chat.execute(verb, { verb, findingId, version, ...extra }, { replyToId: cardId }));
    assert.equal(out.res.body.type, CARD, verb);
    const d = h.f.app.store.dispositions.latest(findingId)!;
    assert.deepEqual([d.classification, d.reason], [classification, reason], verb);
    assert.equal(out.updates[0]?.activityId, cardId, `${verb}: the posted card is updated`);
    assert.match(textOf(cardOf(h.connector.activity(cardId))), new RegExp(classification.replace(/([a-z])([A-Z])/g, '$1 $2')));
  }
  const undetermined = h.f.app.store.findings.list({ state: 'all' }).find((x) => h.f.app.store.dispositions.latest(x.id)?.classification === 'Undetermined')!;
  assert.notEqual(undetermined.state, 'closed', 'Undetermined leaves the finding open');
});

test('skip stores nothing and posts the next finding; refresh returns the card as it stands', async (t) => {
  const h = await httpFixture(t);
  const { cardId, findingId, version } = await postedCard(h);
  const before = dispositions(h);
  const skipped = await turn(h.connector, () => h.chat.execute('finding.skip', { verb: 'finding.skip', findingId, version }, { replyToId: cardId }));
  assert.equal(dispositions(h), before);
  assert.equal(skipped.updates.length, 0);
  assert.notEqual(findingIdOf(skipped.cards.at(-1)), findingId, 'the walk-through moved on');

  const refresh = await h.chat.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'finding.refresh', data: { verb: 'finding.refresh', findingId } }, trigger: 'automatic' }, undefined, { replyToId: cardId });
  assert.equal(refresh.body.type, CARD);
  assert.equal(findingIdOf(refresh.body.value), findingId);
  assert.equal(refresh.body.value.refresh.userIds[0], ALICE.id, 'the refresh names the user whose view it is');
});

test('Action.Submit fallback: a message with value updates the posted card and replies', async (t) => {
  const h = await httpFixture(t);
  const { cardId, findingId, version } = await postedCard(h);
  const out = await turn(h.connector, () => h.chat.submit({ verb: 'finding.fp', findingId, version, fpReason: 'IncorrectAlertLogic' }, cardId));
  assert.equal(out.updates.length, 1);
  assert.equal(out.updates[0]!.method, 'PUT');
  assert.equal(out.updates[0]!.activityId, cardId);
  assert.match(textOf(cardOf(h.connector.activity(cardId))), /False Positive/);
  assert.ok(out.texts.some((x) => x.startsWith(`Marked finding ${findingId} False Positive`)), out.texts.join(' | '));
});

test('a stale card (the finding changed since it was posted): the current card and a clear reply, nothing stored', async (t) => {
  const h = await httpFixture(t);
  const { cardId, findingId, version } = await postedCard(h);
  await turn(h.connector, () => h.chat.execute('finding.undetermined', { verb: 'finding.undetermined', findingId, version }, { replyToId: cardId }));
  const before = dispositions(h);
  const now = h.f.app.store.findings.get(findingId)!.version;
  assert.ok(now > version);
  const out = await turn(h.connector, () => h.chat.execute('finding.tp', { verb: 'finding.tp', findingId, version }, { replyToId: cardId }));
  assert.equal(dispositions(h), before, 'nothing stored');
  assert.match(out.texts[0]!, /this finding changed since the card was posted/i);
  assert.equal(out.res.body.type, CARD);
  assert.match(textOf(out.res.body.value), new RegExp(`version ${now}`), 'the reply carries the current card');
  const sub = await turn(h.connector, () => h.chat.submit({ verb: 'finding.tp', findingId, version }, cardId));
  assert.equal(dispositions(h), before, 'nor through Action.Submit');
  assert.match(sub.texts[0]!, /changed since the card was posted/);
});

test('a forged finding id, an unknown verb and an invalid input: a clear reply, nothing stored', async (t) => {
  const h = await httpFixture(t);
  const { cardId, findingId, version } = await postedCard(h);
  const before = dispositions(h);
  const forged = await turn(h.connector, () => h.chat.execute('finding.tp', { verb: 'finding.tp', findingId: 'zzzzzzzz', version: 1 }, { replyToId: cardId }));
  assert.match(forged.texts[0]!, /I can't find finding "zzzzzzzz"/);
  assert.equal(forged.res.body.type, 'application/vnd.microsoft.activity.message');
  assert.equal(forged.updates.length, 0);

  const unknown = await turn(h.connector, () => h.chat.execute('finding.delete', { verb: 'finding.delete', findingId, version }, { replyToId: cardId }));
  assert.match(unknown.texts[0]!, /^I don't know that action \("finding\.delete"\)/);
  const unknownSubmit = await turn(h.connector, () => h.chat.submit({ verb: 'drop.tables' }, cardId));
  assert.match(unknownSubmit.texts[0]!, /^I don't know that action/);

  const invalid = await turn(h.connector, () => h.chat.execute('finding.fp', { verb: 'finding.fp', findingId, version, fpReason: 'BecauseISaySo' }, { replyToId: cardId }));
  assert.match(invalid.texts[0]!, /fpReason "BecauseISaySo"/);
  const markup = await turn(h.connector, () => h.chat.execute('finding.tp', { verb: 'finding.tp', findingId: '<b>x</b>', version }, { replyToId: cardId }));
  assert.match(markup.texts[0]!, /findingId .*is not a finding id/);
  const noScenario = await turn(h.connector, () => h.chat.execute('finding.benign', { verb: 'finding.benign', findingId, version, exclude: 'true' }, { replyToId: cardId }));
  assert.match(noScenario.texts[0]!, /Pick the benign scenario first/);
  assert.equal(dispositions(h), before, 'none of them stored anything');
});

test('a benign mark whose exclusion would not fit the finding is refused whole: no disposition either', async (t) => {
  const h = await httpFixture(t);
  const target = h.f.app.store.findings.list({ state: 'open' }).find((x) => x.enrichment.ParentProcesses.every((p) => !/^(msiexec|setup)\.exe$/i.test(p)))!;
  const before = dispositions(h);
  const out = await turn(h.connector, () =>
    h.chat.execute('finding.benign', { verb: 'finding.benign', findingId: target.id, version: target.version, scenario: '4', exclude: 'true' }),
  );
  assert.match(out.texts[0]!, /^Not stored: this finding does not fit that scenario/);
  assert.equal(dispositions(h), before);
  assert.equal(h.f.app.store.exclusions.list().length, 0);
});
