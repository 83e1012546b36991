// The stats behind the `stats` card, on a real SQLite file after real hunts and marks. Every expectation is
// computed here from the store's listing APIs (findings.list, dispositions.history, findings.runs) and from what
// the hunts themselves returned, never from the aggregate SQL under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Classification, Disposition, Finding } from '../../src/store/index.js';
import { CLASSIFICATIONS, NO_SCENARIO_TITLE, ruleStats, STATS_RUN_LIMIT } from '../../src/triage/stats.js';
import { emptyApp, storyApp, type StoryApp } from './statsFixture.js';

interface Expected {
  findings: Finding[];
  histories: Map<string, Disposition[]>;
  latest: Disposition[];
}

function expected(s: StoryApp): Expected {
  const findings = s.app.store.findings.list({ ruleId: s.rule.id, state: 'all', limit: 100_000 });
  const histories = new Map(findings.map((f) => [f.id, s.app.store.dispositions.history(f.id)]));
  const latest = [...histories.values()].flatMap((h) => h.slice(-1));
  return { findings, histories, latest };
}

function byClassification(ds: readonly Disposition[]): Record<Classification, number> {
  const out = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  for (const d of ds) out[d.classification]++;
  return out;
}

test('verdicts count each finding once, under its latest disposition; every disposition is counted apart', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule);
  const e = expected(s);
  const all = [...e.histories.values()].flat();

  assert.deepEqual(stats.verdicts, byClassification(e.latest));
  // What the fixture did by hand: A benign→TP, D TP; B, C (scenario 3), G FP→benign (4), H (no scenario); E FP; F undetermined.
  assert.deepEqual(stats.verdicts, { TruePositive: 2, BenignPositive: 4, FalsePositive: 1, Undetermined: 1 });
  // Counting every disposition would give other numbers: that is what makes the two re-marks matter.
  assert.notDeepEqual(byClassification(all), stats.verdicts);
  assert.equal(stats.judged, e.latest.length);
  assert.equal(stats.judged, 8);
  assert.equal(stats.dispositions, all.length);
  assert.equal(stats.dispositions, 10);
});

test('benign verdicts per scenario: every scenario of the rule with its title, then benign without a scenario', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule);
  const benign = expected(s).latest.filter((d) => d.classification === 'BenignPositive');
  const count = (n: number | null) => benign.filter((d) => d.scenario === n).length;

  assert.deepEqual(
    stats.scenarios,
    [...s.rule.scenarios.map((sc) => ({ number: sc.number, title: sc.title, benign: count(sc.number) })), { number: null, title: NO_SCENARIO_TITLE, benign: count(null) }],
  );
  assert.equal(s.rule.scenarios.length, 5);
  // Scenario 1's only benign mark was revised to TP, so its bar is empty; 3 holds two, 4 one (G, re-marked).
  assert.deepEqual(stats.scenarios.map((x) => x.benign), [0, 0, 2, 1, 0, 1]);
  assert.equal(stats.scenarios.reduce((n, x) => n + x.benign, 0), stats.verdicts.BenignPositive);
});

test('findings by state agree with the listing', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule);
  const { findings } = expected(s);
  const inState = (state: Finding['state']) => findings.filter((f) => f.state === state).length;
  assert.deepEqual(stats.findings, { open: inState('open'), recurring: inState('recurring'), closed: inState('closed'), total: findings.length });
  assert.equal(stats.findings.recurring, s.second.merge.reopened.length);
  assert.ok(stats.findings.recurring > 0, 'the second hunt reopened a closed finding');
});

test('per run: findings seen, created and reopened, oldest first; the failed run is left out', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule);
  const { findings } = expected(s);
  const [first, second] = [s.first, s.second];

  assert.equal(s.app.store.runs.list({ ruleId: s.rule.id }).length, 3, 'three runs were recorded, one of them failed');
  assert.equal(s.app.store.runs.list({ ruleId: s.rule.id })[0]!.status, 'failed');
  assert.deepEqual(stats.runs.map((r) => r.runId), [first.run.id, second.run.id]);
  assert.equal(stats.runsTotal, 2);
  assert.equal(stats.runLimit, STATS_RUN_LIMIT);

  for (const [hunt, r] of [[first, stats.runs[0]!], [second, stats.runs[1]!]] as const) {
    const seen = findings.filter((f) => s.app.store.findings.runs(f.id).some((x) => x.runId === hunt.run.id));
    const merged = hunt.merge.created.length + hunt.merge.updated.length + hunt.merge.reopened.length + hunt.merge.unchanged.length;
    assert.equal(r.findings, seen.length, `run ${hunt.run.id}: findings`);
    assert.equal(r.findings, merged);
    assert.equal(r.rowCount, hunt.rows.length);
    assert.equal(r.created, findings.filter((f) => f.createdRunId === hunt.run.id).length, `run ${hunt.run.id}: created`);
    assert.equal(r.created, hunt.merge.created.length);
    assert.equal(r.reopened, hunt.merge.reopened.length, `run ${hunt.run.id}: reopened`);
    assert.equal(r.status, hunt.run.status);
    assert.equal(r.startedAt, hunt.run.startedAt);
  }
  assert.equal(stats.runs[0]!.created, stats.runs[0]!.findings, 'the first run created every finding it saw');
  assert.equal(stats.runs[1]!.created, 1, 'the new device');
  assert.ok(s.second.merge.reopened.includes(s.reopened.id), 'the closed finding with a newer event');
  // A renamed device gives the hunt two rows (DeviceName is in its `by`) for one finding: rows are not findings.
  assert.ok(stats.runs[0]!.rowCount! > stats.runs[0]!.findings);
});

test('a manual reopen is not counted as reopened by a run', async (t) => {
  const s = await storyApp(t);
  const closed = expected(s).findings.find((f) => f.state === 'closed')!;
  s.app.store.findings.reopen(closed.id, 'bob');
  assert.equal(s.app.store.findings.get(closed.id)!.state, 'open');
  assert.deepEqual(ruleStats(s.app.store, s.rule).runs.map((r) => r.reopened), [0, s.second.merge.reopened.length]);
});

test('runLimit keeps the newest runs and still reports how many there are', async (t) => {
  const s = await storyApp(t);
  const stats = ruleStats(s.app.store, s.rule, { runLimit: 1 });
  assert.deepEqual(stats.runs.map((r) => r.runId), [s.second.run.id]);
  assert.equal(stats.runsTotal, 2);
  assert.equal(stats.runLimit, 1);
});

test('an empty store gives zeros, every scenario of the rule, and no runs', (t) => {
  const { app, rule } = emptyApp(t);
  const stats = ruleStats(app.store, rule);
  assert.deepEqual(stats.verdicts, { TruePositive: 0, BenignPositive: 0, FalsePositive: 0, Undetermined: 0 });
  assert.deepEqual(stats.findings, { open: 0, recurring: 0, closed: 0, total: 0 });
  assert.equal(stats.judged, 0);
  assert.equal(stats.dispositions, 0);
  assert.deepEqual(stats.scenarios, rule.scenarios.map((sc) => ({ number: sc.number, title: sc.title, benign: 0 })));
  assert.deepEqual(stats.runs, []);
  assert.equal(stats.runsTotal, 0);
  assert.equal(stats.ruleId, rule.id);
});
