// The finding card: facts at a glance, the five documented scenarios, the marking form and its actions, refresh,
// and the closed and read-only states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardProblems, findingCard, INPUT_IDS, MARK_VERBS, VERBS } from '../../src/bot/cards/index.js';
import { actions, allText, executes, input, inputIds, openView, SCENARIOS, unescape, verbs, type Json } from './cardsFixtures.js';

const disposition = {
  classification: 'BenignPositive', reason: 'SuspiciousButExpected', scenario: 3, comment: 'IT team *monitoring*', by: 'aad-alice', byName: 'alice', at: '2026-12-01T10:00:00.000Z',
};

test('an open finding card is a valid 1.5 card with the facts an analyst needs at a glance', () => {
  const card = findingCard(openView(), { scenarios: SCENARIOS, canAct: true });
  assert.deepEqual(cardProblems(card), []);
  assert.equal(card.type, 'AdaptiveCard');
  assert.equal(card.version, '1.5');
  assert.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
  const shown = unescape(allText(card));
  for (const expected of [
    'wks-042.corp.contoso.com', 'kessel-ws.parsec.app', '2026-11-28 09:15:02.123 UTC', '2026-11-30 17:44:10 UTC', '14',
    '88885, 89201, 89202, 89300, 89301 (+2 more)', 'parsecd.exe, pservice.exe', 'services.exe', 'svc_parsec, alice', '203.0.113.5, 2001:db8::1',
  ]) assert.ok(shown.includes(expected), `card shows ${expected}`);
  assert.equal(card.refresh, undefined, 'no refresh without userIds');
});

test('the five scenarios are listed with their documented title, filter, the condition applied, and lint', () => {
  const card = findingCard(openView(), { scenarios: SCENARIOS, canAct: true });
  const shown = unescape(allText(card));
  assert.equal(SCENARIOS.length, 5);
  for (const s of SCENARIOS) {
    assert.ok(shown.includes(s.title), `title of scenario ${s.number}`);
    assert.ok(shown.includes(s.documentedFilter), `documented filter of scenario ${s.number}`);
    assert.ok(shown.includes(s.applies), `condition of scenario ${s.number}`);
    for (const l of s.lint) assert.ok(shown.includes(l), `lint of scenario ${s.number}`);
  }
  const toggles = actions(card).filter((a) => a.type === 'Action.ToggleVisibility');
  assert.equal(toggles.length, 1);
  assert.deepEqual(toggles[0]!.targetElements, SCENARIOS.map((s) => `scenario-${s.number}-details`));
});

test('marking actions: Benign with scenario/exclude/scope, TP, FP with its reason, Undetermined, Skip; all Execute with an equal Submit fallback', () => {
  const view = openView();
  const card = findingCard(view, { scenarios: SCENARIOS, canAct: true });
  assert.deepEqual(verbs(card), [VERBS.findingBenign, VERBS.findingTp, VERBS.findingFp, VERBS.findingUndetermined, VERBS.findingSkip]);
  for (const a of executes(card)) {
    assert.deepEqual(a.data, { verb: a.verb, findingId: view.id, version: view.version });
    const fallback = a.fallback as Json;
    assert.equal(fallback.type, 'Action.Submit');
    assert.deepEqual(fallback.data, a.data);
  }
  assert.deepEqual(inputIds(card).sort(), [INPUT_IDS.comment, INPUT_IDS.exclude, INPUT_IDS.fpReason, INPUT_IDS.scenario, INPUT_IDS.scope].sort());
  const scenario = input(card, INPUT_IDS.scenario);
  assert.deepEqual((scenario.choices as Json[]).map((c) => c.value), ['1', '2', '3', '4', '5']);
  const exclude = input(card, INPUT_IDS.exclude);
  assert.deepEqual([exclude.type, exclude.title, exclude.valueOn, exclude.valueOff, exclude.value], ['Input.Toggle', 'Exclude going forward (propose an exclusion from this scenario)', 'true', 'false', 'false']);
  assert.deepEqual((input(card, INPUT_IDS.scope).choices as Json[]).map((c) => c.value), ['device', 'rule']);
  assert.deepEqual((input(card, INPUT_IDS.fpReason).choices as Json[]).map((c) => c.value), ['IncorrectAlertLogic', 'InaccurateData']);
  // The benign inputs sit in the Benign sub-card with its submit, the FP reason in the FP sub-card.
  const benign = (card.actions ?? []).find((a) => a.title === 'Benign…') as unknown as Json;
  const benignCard = benign.card as Json;
  assert.deepEqual((benignCard.body as Json[]).map((e) => e.id), [INPUT_IDS.scenario, INPUT_IDS.exclude, INPUT_IDS.scope]);
  assert.deepEqual(verbs(benignCard), [VERBS.findingBenign]);
});

test('refresh asks for the current state of this finding, for the given users', () => {
  const card = findingCard(openView(), { scenarios: SCENARIOS, canAct: true, userIds: ['29:alice', '29:bob'] });
  assert.deepEqual(card.refresh, {
    action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.findingRefresh, data: { verb: VERBS.findingRefresh, findingId: '7K3M9Q2XHA' } },
    userIds: ['29:alice', '29:bob'],
  });
  const many = findingCard(openView(), { scenarios: SCENARIOS, canAct: true, userIds: Array.from({ length: 100 }, (_, i) => `29:u${i}`) });
  assert.equal(many.refresh?.userIds?.length, 60, 'Teams refreshes for at most 60 users');
  assert.deepEqual(cardProblems(many), []);
  const odd = findingCard(openView(), { scenarios: SCENARIOS, canAct: true, userIds: ['29:ok', '', 'has space', 'x'.repeat(129), '29:fine'] });
  assert.deepEqual(odd.refresh?.userIds, ['29:ok', '29:fine'], 'strings that are not user ids are dropped');
});

test('a finding closed by a disposition shows who decided what and when, and offers no marking actions', () => {
  const card = findingCard(openView({ state: 'closed', closedBy: 'disposition', version: 4, disposition }), { scenarios: SCENARIOS, canAct: true, userIds: ['29:a'] });
  assert.deepEqual(cardProblems(card), []);
  const shown = unescape(allText(card));
  assert.ok(shown.includes(`Benign Positive (scenario 3: ${SCENARIOS[2]!.title}) by alice at 2026-12-01 10:00:00.000 UTC`), shown);
  assert.ok(shown.includes('IT team *monitoring*'));
  assert.deepEqual(verbs(card), [VERBS.triageNext]);
  assert.ok(!verbs(card).some((v) => (MARK_VERBS as readonly string[]).includes(v)));
  assert.deepEqual(inputIds(card), []);
  assert.ok(card.refresh, 'viewers still refresh to the closed state');
});

test('a finding suppressed by an exclusion says which one', () => {
  const card = findingCard(openView({ state: 'closed', closedBy: 'exclusion 4' }), { scenarios: SCENARIOS, canAct: true });
  assert.ok(allText(card).includes('Suppressed by exclusion 4'));
  assert.deepEqual(verbs(card), [VERBS.triageNext]);
});

test('a false positive verdict shows its reason', () => {
  const fp = { ...disposition, classification: 'FalsePositive', reason: 'InaccurateData', scenario: null, comment: null };
  const card = findingCard(openView({ state: 'closed', closedBy: 'disposition', disposition: fp }), { scenarios: SCENARIOS, canAct: true });
  assert.ok(allText(card).includes('False Positive — Inaccurate Data by alice at'));
});

test('a viewer who may not mark sees a read-only card and a note', () => {
  const card = findingCard(openView(), { scenarios: SCENARIOS, canAct: false });
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(actions(card).filter((a) => a.type !== 'Action.ToggleVisibility'), []);
  assert.deepEqual(inputIds(card), []);
  assert.ok(allText(card).includes('Read-only: only analysts can mark findings.'));
});

test('an undetermined or recurring finding stays markable and shows the earlier verdict', () => {
  const undetermined = { ...disposition, classification: 'Undetermined', reason: null, scenario: null };
  const open = findingCard(openView({ disposition: undetermined }), { scenarios: SCENARIOS, canAct: true });
  assert.ok(allText(open).includes('Undetermined by alice'));
  assert.equal(verbs(open).length, 5);
  const recurring = findingCard(openView({ state: 'recurring', disposition }), { scenarios: SCENARIOS, canAct: true, note: 'That card was out of date; here is the current one.' });
  assert.ok(allText(recurring).includes('Recurring: new events arrived after it was closed'));
  assert.ok(allText(recurring).includes('That card was out of date; here is the current one.'));
  assert.equal(verbs(recurring).length, 5);
});
