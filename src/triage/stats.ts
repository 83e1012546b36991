// The numbers behind the `stats` view, for one rule: how its findings were judged, which documented benign
// scenarios those verdicts fell under, and what the recent hunt runs found. Plain data, no wording: the bot's
// card and any other front end (the CLI) present the same object.
//
// Verdicts count each finding once, under its LATEST disposition. That is what an analyst asks of a tuning
// dashboard ("how much of what this rule finds is benign, and why?"): a finding first marked Benign and later
// re-marked True Positive is a True Positive now, and counting both marks would show it twice and let re-marks
// inflate whichever verdict was revised. The number of disposition records (re-marks included) is kept beside
// it as `dispositions`, so the difference (re-marks) stays visible. The scenario tallies follow the same rule.
import type { Rule } from '../rules/index.js';
import type { Classification, FindingState, RunTally, Store } from '../store/index.js';

/** Sentinel's classifications, in the order every view lists them. */
export const CLASSIFICATIONS: readonly Classification[] = ['TruePositive', 'BenignPositive', 'FalsePositive', 'Undetermined'];

/**
 * How many recent runs the view covers. A scheduled hunt runs many times a day, so all of them would neither
 * fit a card nor read as a trend; twelve is half a day of hourly runs, or two weeks of daily ones.
 */
export const STATS_RUN_LIMIT = 12;

export interface ScenarioTally {
  /** The rule's scenario number; null for benign verdicts given without a scenario. */
  readonly number: number | null;
  /** The documentation's own title; for a number the rule no longer lists, a note saying so. */
  readonly title: string;
  /** Findings whose latest disposition is BenignPositive under this scenario. */
  readonly benign: number;
}

export type RunStats = RunTally;

export interface Stats {
  readonly ruleId: string;
  readonly ruleName: string;
  /** The rule's findings by state, and in all. */
  readonly findings: Readonly<Record<FindingState, number>> & { readonly total: number };
  /** Findings by the classification of their latest disposition (every classification present, 0 if none). */
  readonly verdicts: Readonly<Record<Classification, number>>;
  /** Findings with at least one disposition: the sum of `verdicts`. */
  readonly judged: number;
  /** Disposition records in all, re-marks included (>= judged; the excess is re-marks). */
  readonly dispositions: number;
  /** Every scenario of the rule in its order, then any other scenario numbers found, then "no scenario". */
  readonly scenarios: readonly ScenarioTally[];
  /** The last `runLimit` runs that finished with results, oldest first (failed runs looked at nothing). */
  readonly runs: readonly RunStats[];
  /** Runs that finished with results, in all (`runs` holds the last few). */
  readonly runsTotal: number;
  readonly runLimit: number;
}

export const UNKNOWN_SCENARIO_TITLE = '(not a scenario of the rule now)';
export const NO_SCENARIO_TITLE = '(benign, no scenario given)';

export function ruleStats(store: Store, rule: Rule, opts: { runLimit?: number } = {}): Stats {
  const runLimit = opts.runLimit ?? STATS_RUN_LIMIT;
  const snap = store.stats.snapshot(rule.id, runLimit);

  const verdicts = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  const benign = new Map<number | null, number>();
  for (const v of snap.verdicts) {
    verdicts[v.classification] += v.findings;
    if (v.classification === 'BenignPositive') benign.set(v.scenario, (benign.get(v.scenario) ?? 0) + v.findings);
  }

  // The rule's scenarios always appear (a scenario nobody used is worth seeing); the others only when used.
  const documented = new Set(rule.scenarios.map((s) => s.number));
  const others = [...benign.keys()].filter((n): n is number => n !== null && !documented.has(n)).sort((a, b) => a - b);
  const scenarios: ScenarioTally[] = [
    ...rule.scenarios.map((s) => ({ number: s.number, title: s.title, benign: benign.get(s.number) ?? 0 })),
    ...others.map((n) => ({ number: n, title: UNKNOWN_SCENARIO_TITLE, benign: benign.get(n)! })),
    ...(benign.has(null) ? [{ number: null, title: NO_SCENARIO_TITLE, benign: benign.get(null)! }] : []),
  ];

  const f = snap.findings;
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    findings: { ...f, total: f.open + f.recurring + f.closed },
    verdicts,
    judged: CLASSIFICATIONS.reduce((n, c) => n + verdicts[c], 0),
    dispositions: snap.dispositionRecords,
    scenarios,
    runs: snap.runs,
    runsTotal: snap.finishedRuns,
    runLimit,
  };
}
