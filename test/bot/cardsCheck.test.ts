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

test('charts: data Teams can draw passes; empty, all-zero or misshapen data is reported', () => {
  const chartCard = (...body: Json[]): Json => ({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body });
  const donut = (): Json => ({ type: 'Chart.Donut', title: 't', data: [{ legend: 'True Positive', value: 2, color: 'attention' }, { legend: 'Benign Positive', value: 0 }] });
  const bars = (): Json => ({ type: 'Chart.VerticalBar', xAxisTitle: 'Scenario', yAxisTitle: 'Findings', color: 'good', showBarValues: true, data: [{ x: '1', y: 0 }, { x: '2', y: 3 }] });
  const line = (): Json => ({ type: 'Chart.Line', yMin: 0, data: [{ legend: 'Findings', color: 'categoricalBlue', values: [{ x: '#1', y: 4 }, { x: '#2', y: 0 }] }] });
  assert.deepEqual(cardProblems(chartCard(donut(), bars(), line())), []);
  const cases: [string, Json, RegExp][] = [
    ['empty donut', { ...donut(), data: [] }, /data: must be a non-empty array/],
    ['all-zero bars', { ...bars(), data: [{ x: '1', y: 0 }] }, /every value is 0/],
    ['all-zero line without yMax', { ...line(), data: [{ legend: 'F', values: [{ x: '#1', y: 0 }] }] }, /every value is 0/],
    ['bar with a string y', { ...bars(), data: [{ x: '1', y: '3' }] }, /a bar is \{ x: string, y: number \}/],
    ['negative slice', { ...donut(), data: [{ legend: 'x', value: -1 }] }, /a slice is/],
    ['unknown point property', { ...donut(), data: [{ legend: 'x', value: 1, label: 'y' }] }, /unknown property label/],
    ['unknown color', { ...bars(), data: [{ x: '1', y: 1, color: 'red' }] }, /"red" is not a chart color/],
    ['unknown chart color', { ...bars(), color: 'blue' }, /"blue" is not one of/],
    ['series without values', { ...line(), data: [{ legend: 'F', values: [] }] }, /a series is/],
    ['misspelt chart property', { ...bars(), yAxisTitel: 'x' }, /unknown property yAxisTitel/],
    ['unknown chart type', { type: 'Chart.Radar', data: [{ x: '1', y: 1 }] }, /unknown element type "Chart\.Radar"/],
  ];
  for (const [name, chart, expected] of cases) {
    const problems = cardProblems(chartCard(chart));
    assert.ok(problems.some((p) => expected.test(p)), `${name}: ${JSON.stringify(problems)}`);
  }
  const flatButBounded = { ...line(), yMax: 1, data: [{ legend: 'F', values: [{ x: '#1', y: 0 }] }] };
  assert.deepEqual(cardProblems(chartCard(flatButBounded)), [], 'a flat line with a y range set draws a readable axis');
});
