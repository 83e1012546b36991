// The `stats` card: built from the stats of a real database (hunts and marks through the real services), its
// charts carry the same numbers as its facts, and a chart appears only when it has something to draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardProblems, escapeInline, runLabel, scenarioLabel, statsCard, VERBS, type AdaptiveCard } from '../../src/bot/cards/index.js';
import { words } from '../../src/bot/cards/format.js';
import { CLASSIFICATIONS, ruleStats, type RunStats, type Stats } from '../../src/triage/stats.js';
import { emptyApp, hunt, storyApp } from '../triage/statsFixture.js';
import { SAMPLE_FILE, SAMPLE_NOW } from '../../data/sample/defaults.js';
import { allText, markdownTexts, nodes, unescape, verbs, type Json } from './cardsFixtures.js';

const ofType = (card: AdaptiveCard, type: string): Json[] => nodes(card).filter((n) => n.type === type);
const charts = (card: AdaptiveCard): Json[] => nodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Chart.'));
const one = (card: AdaptiveCard, type: string): Json => {
  const found = ofType(card, type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0]!;
};

/** Every fact in the card, as a renderer shows it: title → value. */
function factMap(card: AdaptiveCard): Map<string, string> {
  const out = new Map<string, string>();
  for (const fs of ofType(card, 'FactSet')) for (const f of fs.facts as Json[]) out.set(unescape(f.title as string), unescape(f.value as string));
  return out;
}

test('a real database: a donut of latest verdicts, bars per scenario, lines per run, and facts with the same numbers', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule);
  const card = statsCard(stats);
  assert.deepEqual(cardProblems(card), []);
  assert.equal(card.version, '1.5');
  const facts = factMap(card);

  const donut = one(card, 'Chart.Donut');
  const slices = donut.data as Json[];
  assert.deepEqual(slices.map((d) => d.legend), CLASSIFICATIONS.filter((c) => stats.verdicts[c] > 0).map(words));
  assert.deepEqual(slices.map((d) => d.value), CLASSIFICATIONS.filter((c) => stats.verdicts[c] > 0).map((c) => stats.verdicts[c]));
  assert.deepEqual(slices.map((d) => d.value), [2, 4, 1, 1], 'TP, BP, FP, Undetermined: the fixture\'s latest verdicts');
  for (const c of CLASSIFICATIONS) assert.match(facts.get(words(c)) ?? '', new RegExp(`^${stats.verdicts[c]} \\(\\d+%\\)$`), c);
  assert.equal(facts.get('Benign Positive'), '4 (50%)');
  assert.equal(facts.get('Judged'), `8 of ${stats.findings.total} findings`);
  assert.equal(facts.get('Dispositions recorded'), '10 (2 re-marks)');
  assert.match(unescape(allText(card)), /Each finding counts once, under its latest disposition/);

  const bars = one(card, 'Chart.VerticalBar');
  assert.deepEqual((bars.data as Json[]).map((b) => b.x), ['1', '2', '3', '4', '5', 'none']);
  assert.deepEqual((bars.data as Json[]).map((b) => b.y), stats.scenarios.map((x) => x.benign));
  assert.deepEqual((bars.data as Json[]).map((b) => b.y), [0, 0, 2, 1, 0, 1]);
  for (const x of stats.scenarios.filter((sc) => sc.number !== null)) assert.equal(facts.get(`Scenario ${x.number}`), `${x.benign} · ${x.title}`);
  assert.equal(facts.get('No scenario'), '1', 'benign without a scenario');

  const line = one(card, 'Chart.Line');
  const series = line.data as Array<{ legend: string; values: Array<{ x: string; y: number }> }>;
  assert.deepEqual(series.map((x) => x.legend), ['Findings', 'New', 'Reopened']);
  const ids = [s.first.run.id, s.second.run.id];
  for (const x of series) assert.deepEqual(x.values.map((v) => v.x), ids.map((runId) => `#${runId}`));
  const field: Record<string, keyof RunStats> = { Findings: 'findings', New: 'created', Reopened: 'reopened' };
  for (const x of series) assert.deepEqual(x.values.map((v) => v.y), stats.runs.map((r) => r[field[x.legend]!]), x.legend);
  assert.deepEqual(series[1]!.values.map((v) => v.y), [s.first.merge.created.length, 1]);
  for (const r of stats.runs) {
    const fact = [...facts].find(([title]) => title.startsWith(`Run ${r.runId} · `));
    assert.equal(fact?.[1], `${r.findings} findings: ${r.created} new, ${r.reopened} reopened`, `run ${r.runId}`);
  }
  assert.match(unescape(allText(card)), /The last 2 runs of 2 that finished with results/);
  assert.deepEqual(verbs(card), [VERBS.triageNext], 'open findings remain, so the card offers to start triage');
});

test('an empty store: no charts, and it says there are no dispositions and no runs yet', (t) => {
  const { app, rule } = emptyApp(t);
  const card = statsCard(ruleStats(app.store, rule));
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(charts(card), []);
  const shown = unescape(allText(card));
  assert.match(shown, /No dispositions yet\.$/m);
  assert.match(shown, /No hunt runs yet/);
  assert.equal(factMap(card).get('Findings'), '0: 0 open, 0 recurring, 0 closed');
  assert.equal(card.actions, undefined, 'nothing to triage');
});

test('findings hunted but none judged: only the runs chart', async (t) => {
  const { app, rule } = emptyApp(t);
  const first = await hunt(app, rule, SAMPLE_FILE, SAMPLE_NOW);
  const card = statsCard(ruleStats(app.store, rule));
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(charts(card).map((c) => c.type), ['Chart.Line']);
  assert.match(unescape(allText(card)), new RegExp(`No dispositions yet\\. ${first.merge.created.length} open findings to judge\\.`));
  assert.deepEqual(verbs(card), [VERBS.triageNext]);
});

// Hand-made stats for the edges a real database reaches only slowly.
function stats(over: Partial<Stats> = {}): Stats {
  return {
    ruleId: 'r', ruleName: 'Rule', findings: { open: 1, recurring: 0, closed: 2, total: 3 },
    verdicts: { TruePositive: 2, BenignPositive: 0, FalsePositive: 0, Undetermined: 0 }, judged: 2, dispositions: 2,
    scenarios: [{ number: 1, title: 'One', benign: 0 }, { number: 2, title: 'Two', benign: 0 }], runs: [], runsTotal: 0, runLimit: 12, ...over,
  };
}
const run = (runId: number, findings = 0): RunStats => ({ runId, startedAt: '2026-12-01T12:00:00.000Z', status: 'ok', rowCount: findings, findings, created: 0, reopened: 0 });

test('judged but nothing benign: the donut, and words instead of an all-zero bar chart', () => {
  const card = statsCard(stats());
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(charts(card).map((c) => c.type), ['Chart.Donut']);
  assert.deepEqual(one(card, 'Chart.Donut').data, [{ legend: 'True Positive', value: 2, color: 'attention' }]);
  assert.match(unescape(allText(card)), /No finding's latest verdict is Benign Positive yet/);
});

test('runs that found nothing still chart readably (y axis up to 1); more runs than fit show the newest', () => {
  const quiet = statsCard(stats({ runs: [run(1), run(2)], runsTotal: 2 }));
  assert.deepEqual(cardProblems(quiet), []);
  assert.equal(one(quiet, 'Chart.Line').yMax, 1);

  const busy = statsCard(stats({ runs: Array.from({ length: 40 }, (_, i) => run(i + 1, i)), runsTotal: 500 }));
  assert.deepEqual(cardProblems(busy), []);
  const line = one(busy, 'Chart.Line');
  assert.equal(line.yMax, undefined);
  const xs = (line.data as Array<{ values: Array<{ x: string }> }>)[0]!.values.map((v) => v.x);
  assert.deepEqual(xs, Array.from({ length: 12 }, (_, i) => runLabel({ runId: 29 + i })));
  assert.match(unescape(allText(busy)), /The last 12 runs of 500/);
  assert.equal([...factMap(busy).keys()].filter((k) => k.startsWith('Run ')).length, 12);
});

test('partial runs say so beside their numbers; a scenario the rule no longer lists keeps its own bar', () => {
  const card = statsCard(stats({
    verdicts: { TruePositive: 0, BenignPositive: 3, FalsePositive: 0, Undetermined: 0 }, judged: 3, dispositions: 3,
    scenarios: [{ number: 1, title: 'One', benign: 1 }, { number: 9, title: '(gone)', benign: 2 }],
    runs: [{ ...run(5, 3), status: 'partial', created: 3 }], runsTotal: 1,
  }));
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual((one(card, 'Chart.VerticalBar').data as Json[]).map((b) => [b.x, b.y]), [['1', 1], ['9', 2]]);
  assert.equal(scenarioLabel({ number: null }), 'none');
  assert.equal([...factMap(card)].find(([k]) => k.startsWith('Run 5'))?.[1], '3 findings: 3 new, 0 reopened · partial results');
});

test('the rule name and scenario titles are text, never markup', () => {
  const hostile = '[click](https://evil.example) **x** <b>';
  const card = statsCard(stats({
    ruleName: hostile, verdicts: { TruePositive: 0, BenignPositive: 1, FalsePositive: 0, Undetermined: 0 }, judged: 1, dispositions: 1,
    scenarios: [{ number: 1, title: hostile, benign: 1 }],
  }));
  assert.deepEqual(cardProblems(card), []);
  const texts = markdownTexts(card);
  assert.ok(texts.some((x) => x === escapeInline(hostile)), 'the rule name, escaped');
  assert.equal(factMap(card).get('Scenario 1'), `1 · ${hostile}`, 'shown literally once unescaped');
  assert.ok(!texts.some((x) => x.includes('[click]')), 'no bare link markup anywhere');
});
