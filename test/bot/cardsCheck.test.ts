// The structural 1.5 check every card test relies on must itself catch what it claims to: run against broken
// variants of a valid card, each breakage is reported with its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardProblems, findingCard, noticeCard, type AdaptiveCard } from '../../src/bot/cards/index.js';
import { openView, SCENARIOS, type Json } from './cardsFixtures.js';

const valid = (): Json => JSON.parse(JSON.stringify(findingCard(openView(), { scenarios: SCENARIOS, canAct: true, userIds: ['29:a'] }))) as Json;
const topActions = (c: Json): Json[] => c.actions as Json[];

function problemsAfter(mutate: (c: Json) => void): string[] {
  const c = valid();
  mutate(c);
  return cardProblems(c);
}

test('a valid card has no problems', () => {
  assert.deepEqual(cardProblems(valid()), []);
  assert.deepEqual(cardProblems(noticeCard('hi', 'info')), []);
});

test('each kind of breakage is reported', () => {
  const cases: [string, (c: Json) => void, RegExp][] = [
    ['wrong version', (c) => (c.version = '1.6'), /card\.version: must be 1\.5/],
    ['missing schema', (c) => delete c.$schema, /card\.\$schema/],
    ['unknown root property', (c) => (c.speak = 'x'), /card: unknown property speak/],
    ['unknown element', (c) => (c.body as Json[]).push({ type: 'Media', sources: [] }), /unknown element type "Media"/],
    ['misspelt property', (c) => ((c.body as Json[])[1]!.wieght = 'Bolder'), /unknown property wieght/],
    ['bad enum', (c) => ((c.body as Json[])[1]!.color = 'Red'), /"Red" is not one of/],
    ['no fallback', (c) => delete topActions(c)[1]!.fallback, /missing fallback/],
    ['fallback with other data', (c) => (((topActions(c)[1]!.fallback as Json).data as Json).version = 99), /fallback\.data: differs/],
    ['fallback not a Submit', (c) => ((topActions(c)[1]!.fallback as Json).type = 'Action.OpenUrl'), /fallback: must be an Action\.Submit/],
    ['bare Submit', (c) => topActions(c).push({ type: 'Action.Submit', title: 'x', data: { verb: 'help' } }), /"Action\.Submit" is not an allowed action/],
    ['unknown verb', (c) => { const a = topActions(c)[1]!; a.verb = 'finding.explode'; (a.data as Json).verb = 'finding.explode'; (a.fallback as Json).data = a.data; }, /unknown verb "finding\.explode"/],
    ['verb differs from data', (c) => (topActions(c)[1]!.verb = 'finding.fp'), /differs from data\.verb/],
    ['finding action without version', (c) => { const a = topActions(c)[1]!; delete (a.data as Json).version; (a.fallback as Json).data = a.data; }, /carries findingId and version/],
    ['duplicate input id', (c) => (c.body as Json[]).push({ type: 'Input.Text', id: 'comment' }), /duplicate id comment/],
    ['toggle target missing', (c) => (c.body as Json[]).push({ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 't', targetElements: ['nowhere'] }] }), /targets unknown element nowhere/],
    ['duplicate choice', (c) => { const sub = (topActions(c)[0]!.card as Json).body as Json[]; (sub[0]!.choices as Json[]).push({ title: 'again', value: '1' }); }, /duplicate choice value 1/],
    ['too many actions', (c) => topActions(c).push(topActions(c)[1]!, topActions(c)[1]!), /7 actions; Teams shows 6/],
    ['bad refresh', (c) => (((c.refresh as Json).action as Json).verb = 'help'), /card\.refresh\.action/],
    ['oversized', (c) => (c.body as Json[]).push({ type: 'TextBlock', text: 'x'.repeat(40_000) }), /bytes, over 28672/],
  ];
  for (const [name, mutate, expected] of cases) {
    const problems = problemsAfter(mutate);
    assert.ok(problems.some((p) => expected.test(p)), `${name}: ${JSON.stringify(problems)}`);
  }
});

test('non-objects are rejected outright', () => {
  assert.deepEqual(cardProblems(null), ['card: must be an object']);
  assert.ok(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: 'x' } as unknown as AdaptiveCard).some((p) => /card\.body: must be an array/.test(p)));
});
