// A rule scenario as a card shows it: the documentation's own title and filter, the condition a benign mark
// under it actually applies, and the lint notes that explain where the two differ.
import { describeTemplate } from '../../rules/template.js';
import type { Scenario } from '../../rules/types.js';

export interface ScenarioView {
  readonly number: number;
  readonly title: string;
  readonly documentedFilter: string;
  /** The condition template in words (describeTemplate). */
  readonly applies: string;
  readonly lint: readonly string[];
  /** The scope an exclusion learned under it gets unless the analyst picks another. */
  readonly scope?: 'device' | 'rule';
}

export function scenarioView(s: Scenario): ScenarioView {
  return {
    number: s.number,
    title: s.title,
    documentedFilter: s.documentedFilter,
    applies: describeTemplate(s),
    lint: s.lint.map((l) => l.message),
    scope: s.scope,
  };
}

export function scenarioViews(scenarios: readonly Scenario[]): ScenarioView[] {
  return scenarios.map(scenarioView);
}
