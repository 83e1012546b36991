// The marking inputs the finding and bulk cards share, with the ids and values the router reads (verbs.ts).
import { choiceSet, textInput, toggle } from './elements.js';
import { clip } from './markdown.js';
import type { ScenarioView } from './scenarios.js';
import type { ChoiceSetInput, TextInput, ToggleInput } from './types.js';
import { COMMENT_MAX_LENGTH, INPUT_IDS } from './verbs.js';

/** Scenario choices shown; a rule with more is cut here (the catalogue has five). */
export const MAX_SCENARIOS = 10;

export function scenarioInput(scenarios: readonly ScenarioView[], label = 'Benign scenario'): ChoiceSetInput {
  const choices = scenarios.slice(0, MAX_SCENARIOS).map((s) => ({ title: `${s.number}. ${clip(s.title, 90)}`, value: String(s.number) }));
  return choiceSet(INPUT_IDS.scenario, label, choices, { placeholder: 'Choose the documented scenario' });
}

/** Off unless the analyst asks: a benign mark then also proposes an exclusion learned from the scenario. */
export function excludeInput(): ToggleInput {
  return toggle(INPUT_IDS.exclude, 'Exclude going forward (propose an exclusion from this scenario)', false);
}

/** No value: the scenario's own scope applies unless the analyst picks one. */
export function scopeInput(): ChoiceSetInput {
  return choiceSet(
    INPUT_IDS.scope,
    'Exclusion scope',
    [
      { title: 'This device only', value: 'device' },
      { title: 'Every device (rule-wide)', value: 'rule' },
    ],
    { placeholder: "The scenario's own scope" },
  );
}

export function fpReasonInput(label = 'False positive reason'): ChoiceSetInput {
  return choiceSet(
    INPUT_IDS.fpReason,
    label,
    [
      { title: 'Incorrect alert logic (the rule matched what it should not)', value: 'IncorrectAlertLogic' },
      { title: 'Inaccurate data (the events themselves are wrong)', value: 'InaccurateData' },
    ],
    { value: 'IncorrectAlertLogic' },
  );
}

export function classificationInput(): ChoiceSetInput {
  return choiceSet(
    INPUT_IDS.classification,
    'Classification',
    [
      { title: 'Benign Positive (pick a scenario)', value: 'benign' },
      { title: 'True Positive', value: 'tp' },
      { title: 'False Positive', value: 'fp' },
      { title: 'Undetermined', value: 'undetermined' },
    ],
    { placeholder: 'Choose a classification' },
  );
}

export function commentInput(placeholder = 'Why? (stored with the disposition)'): TextInput {
  return textInput(INPUT_IDS.comment, 'Comment', { placeholder, isMultiline: true, maxLength: COMMENT_MAX_LENGTH });
}
