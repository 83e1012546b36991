// The `stats` card: how the rule's findings were judged (a donut of latest verdicts), which documented benign
// scenarios the benign verdicts fell under (bars), and what recent hunt runs found (lines), each chart followed
// by a FactSet with the same numbers, for clients that show no chart (an unknown element is dropped, the facts
// remain). A chart is only emitted when it has something to draw: with no data it says so in words.
//
// Charts: Chart.Donut, Chart.VerticalBar and Chart.Line, in Teams' documented JSON (learn.microsoft.com,
// "Charts in Adaptive Cards"), each seen rendered by the Agents Playground 0.2.28. The playground shows no chart
// `title`, so every chart has a TextBlock heading above it instead. (The chart library it bundles declares "at
// most 4 data sets" for bar charts in its validation, yet draws the six scenario bars; no host tried enforces it.)
import type { Classification } from '../../store/index.js';
import { CLASSIFICATIONS, type RunStats, type ScenarioTally, type Stats } from '../../triage/stats.js';
import { adaptiveCard, execute, facts, heading, subtle, text } from './elements.js';
import { plural, shortTime, words } from './format.js';
import { clip, md } from './markdown.js';
import type { AdaptiveCard, CardElement, ChartColor, DonutChart, LineChart, VerticalBarChart } from './types.js';
import { VERBS } from './verbs.js';

/** Runs the card shows at most, whatever the caller fetched: the line chart and its facts stay readable. */
export const STATS_CARD_MAX_RUNS = 12;
/** Scenario bars at most (a rule documents a handful; the rest are summed into one line). */
export const STATS_CARD_MAX_SCENARIOS = 12;

const VERDICT_COLOR: Record<Classification, ChartColor> = {
  TruePositive: 'attention',
  BenignPositive: 'good',
  FalsePositive: 'warning',
  Undetermined: 'neutral',
};

/** The x label of a scenario's bar: its number, or "none" for benign verdicts given without one. */
export function scenarioLabel(s: Pick<ScenarioTally, 'number'>): string {
  return s.number === null ? 'none' : String(s.number);
}

/** The x label of a run on the line chart. */
export function runLabel(r: Pick<RunStats, 'runId'>): string {
  return `#${r.runId}`;
}

function percent(n: number, of: number): string {
  return of > 0 ? `${Math.round((n / of) * 100)}%` : '—';
}

function verdictSection(s: Stats): CardElement[] {
  const head = heading(md`Verdicts`, { size: 'Default', separator: true });
  if (s.judged === 0) {
    const open = s.findings.open + s.findings.recurring;
    const waiting = open > 0 ? md` ${plural(open, 'open finding')} to judge.` : md``;
    return [head, text(md`No dispositions yet.${waiting}`)];
  }
  const remarks = s.dispositions - s.judged;
  const donut: DonutChart = {
    type: 'Chart.Donut',
    title: 'Findings by latest verdict',
    // Zero slices are left out: they draw nothing but crowd the legend (the facts list all four).
    data: CLASSIFICATIONS.filter((c) => s.verdicts[c] > 0).map((c) => ({ legend: words(c), value: s.verdicts[c], color: VERDICT_COLOR[c] })),
  };
  return [
    head,
    subtle(md`Each finding counts once, under its latest disposition.`),
    donut,
    facts([
      ...CLASSIFICATIONS.map((c) => [words(c), `${s.verdicts[c]} (${percent(s.verdicts[c], s.judged)})`] as const),
      ['Judged', `${s.judged} of ${plural(s.findings.total, 'finding')}`],
      ['Dispositions recorded', remarks > 0 ? `${s.dispositions} (${plural(remarks, 're-mark')})` : String(s.dispositions)],
    ]),
  ];
}

function scenarioSection(s: Stats): CardElement[] {
  if (s.judged === 0) return [];
  const head = heading(md`Benign verdicts by scenario`, { size: 'Default', separator: true });
  const total = s.scenarios.reduce((n, x) => n + x.benign, 0);
  if (total === 0) return [head, text(md`No finding's latest verdict is Benign Positive yet.`)];
  const shown = s.scenarios.slice(0, STATS_CARD_MAX_SCENARIOS);
  const rest = s.scenarios.slice(STATS_CARD_MAX_SCENARIOS);
  const bars: VerticalBarChart = {
    type: 'Chart.VerticalBar',
    title: 'Benign verdicts by scenario',
    xAxisTitle: 'Scenario',
    yAxisTitle: 'Findings',
    color: 'good',
    showBarValues: true,
    data: shown.map((x) => ({ x: scenarioLabel(x), y: x.benign, ...(x.number === null ? { color: 'neutral' as const } : {}) })),
  };
  const more = rest.length ? [subtle(md`(+${plural(rest.length, 'more scenario')}: ${rest.reduce((n, x) => n + x.benign, 0)} benign)`)] : [];
  return [
    head,
    subtle(md`Findings whose latest verdict is Benign Positive, per documented scenario of the rule.`),
    bars,
    // The count first, then the documentation's title: FactSet titles sit in a narrow column, values wrap.
    facts(shown.map((x): [string, string] => (x.number === null ? ['No scenario', String(x.benign)] : [`Scenario ${x.number}`, `${x.benign} · ${clip(x.title, 160)}`]))),
    ...more,
  ];
}

function runSection(s: Stats): CardElement[] {
  const head = heading(md`Findings per hunt run`, { size: 'Default', separator: true });
  const runs = s.runs.slice(-STATS_CARD_MAX_RUNS);
  if (runs.length === 0) return [head, text(md`No hunt runs yet: run \`hunt\` to look for findings.`)];
  const series = (legend: string, color: ChartColor, y: (r: RunStats) => number) => ({ legend, color, values: runs.map((r) => ({ x: runLabel(r), y: y(r) })) });
  const top = Math.max(...runs.map((r) => r.findings));
  const line: LineChart = {
    type: 'Chart.Line',
    title: 'Findings per hunt run',
    xAxisTitle: 'Run',
    yAxisTitle: 'Findings',
    yMin: 0,
    // Runs that found nothing would otherwise get a degenerate axis (0 … 1.00e-4 in the playground).
    ...(top === 0 ? { yMax: 1 } : {}),
    data: [
      series('Findings', 'categoricalBlue', (r) => r.findings),
      series('New', 'categoricalPurple', (r) => r.created),
      series('Reopened', 'categoricalMarigold', (r) => r.reopened),
    ],
  };
  const covered = Math.min(runs.length, s.runsTotal);
  return [
    head,
    subtle(md`The last ${plural(covered, 'run')} of ${s.runsTotal} that finished with results (failed runs looked at nothing and are left out).`),
    line,
    facts(runs.map((r) => [`Run ${r.runId} · ${shortTime(r.startedAt)}`, runFact(r)] as const)),
  ];
}

function runFact(r: RunStats): string {
  const partial = r.status === 'partial' ? ' · partial results' : '';
  return `${plural(r.findings, 'finding')}: ${r.created} new, ${r.reopened} reopened${partial}`;
}

export function statsCard(s: Stats): AdaptiveCard {
  const f = s.findings;
  const open = f.open + f.recurring;
  return adaptiveCard(
    [
      heading(md`Triage stats`),
      subtle(md`${clip(s.ruleName, 120)}`),
      facts([['Findings', `${f.total}: ${f.open} open, ${f.recurring} recurring, ${f.closed} closed`]]),
      ...verdictSection(s),
      ...scenarioSection(s),
      ...runSection(s),
    ],
    open > 0 ? [execute('Start triage', { verb: VERBS.triageNext }, 'positive')] : [],
  );
}
