// Proposing an exclusion from one benign disposition: scenario K's template, filled with the finding's own
// context (its device, parents, accounts, remote IPs) and the named lists, in the scenario's scope or the
// analyst's. The result is a candidate: nothing is written until the service applies it.
import { resolveTemplate, RulesError, type FindingAttributes, type NamedLists, type Rule, type Scenario } from '../rules/index.js';
import { exclusionFingerprint } from '../store/index.js';
import type { ExclusionScope, Finding } from '../store/types.js';
import { effectiveConditions } from './compile.js';
import { ExclusionError } from './errors.js';
import { onlyRemoteUrl, REMOTE_URL_ONLY_MESSAGE, type Condition } from './model.js';

/** A proposed exclusion, before it is stored. Device scope: `conditions` starts with DeviceId == deviceId. */
export interface Candidate {
  readonly ruleId: string;
  readonly scope: ExclusionScope;
  readonly deviceId: string | null;
  readonly conditions: readonly Condition[];
  readonly scenario: number;
}

export interface ProposeInput {
  readonly rule: Rule;
  readonly scenarioNumber: number;
  readonly finding: Finding;
  readonly lists: NamedLists;
  /** The analyst's choice; default the scenario's own scope. */
  readonly scope?: ExclusionScope | undefined;
}

/** Columns that name the device: a rule-wide exclusion drops them. */
export const DEVICE_COLUMNS: readonly string[] = ['DeviceId', 'DeviceName'];

/** What a scenario template can draw on from a stored finding. */
export function findingAttributes(f: Finding): FindingAttributes {
  return {
    DeviceId: f.deviceId,
    DeviceName: f.deviceName,
    RemoteUrl: f.remoteUrl,
    Processes: f.enrichment.Processes,
    ParentProcesses: f.enrichment.ParentProcesses,
    Accounts: f.enrichment.Accounts,
    RemoteIPs: f.enrichment.RemoteIPs,
    Companies: f.enrichment.Companies,
  };
}

/** Scenario `n` of the rule, or ExclusionError 'scenario_out_of_range'. */
export function scenarioOf(rule: Rule, n: number): Scenario {
  const count = rule.scenarios.length;
  if (count === 0) throw new ExclusionError(`exclusions: rule ${rule.slug} has no scenarios to learn from`, 'scenario_out_of_range');
  const s = Number.isInteger(n) ? rule.scenarios[n - 1] : undefined;
  if (!s) {
    throw new ExclusionError(`exclusions: scenario ${String(n)} is out of range 1–${count} for rule ${rule.slug}`, 'scenario_out_of_range');
  }
  return s;
}

/** The identity the store deduplicates by. */
export function candidateFingerprint(c: Candidate): string {
  return exclusionFingerprint({ ruleId: c.ruleId, scope: c.scope, deviceId: c.deviceId, conditions: c.conditions });
}

/**
 * Scenario K's exclusion for this finding. Device scope keeps (or adds) DeviceId == the finding's device; rule
 * scope drops the device conditions and refuses what is left if it is empty or RemoteUrl alone.
 */
export function proposeFromFinding(input: ProposeInput): Candidate {
  const { rule, finding } = input;
  if (finding.ruleId !== rule.id) {
    throw new ExclusionError(`exclusions: finding ${finding.id} belongs to rule ${finding.ruleId}, not ${rule.id}`, 'wrong_rule');
  }
  const scenario = scenarioOf(rule, input.scenarioNumber);
  let template: Condition[];
  try {
    template = resolveTemplate(scenario, findingAttributes(finding), input.lists);
  } catch (e) {
    if (!(e instanceof RulesError)) throw e;
    throw new ExclusionError(`exclusions: finding ${finding.id} does not fit scenario ${scenario.number}: ${e.message}`, 'scenario_misfit');
  }
  const scope = input.scope ?? scenario.scope;
  const where = `exclusions: finding ${finding.id}, scenario ${scenario.number}`;
  if (scope === 'rule') {
    const conditions = template.filter((c) => !DEVICE_COLUMNS.includes(c.column));
    if (conditions.length === 0) {
      throw new ExclusionError(`${where}: a rule-wide exclusion would have no condition left once the device conditions are dropped; keep scope device`, 'no_conditions');
    }
    if (onlyRemoteUrl(conditions)) throw new ExclusionError(`${where}: a rule-wide exclusion ${REMOTE_URL_ONLY_MESSAGE}; keep scope device`, 'remote_url_only');
    return { ruleId: rule.id, scope, deviceId: null, conditions: effectiveConditions({ scope, deviceId: null, conditions }, where), scenario: scenario.number };
  }
  if (scope !== 'device') throw new ExclusionError(`${where}: scope must be 'device' or 'rule', got '${String(scope)}'`, 'invalid');
  const conditions = effectiveConditions({ scope, deviceId: finding.deviceId, conditions: template }, where);
  return { ruleId: rule.id, scope, deviceId: finding.deviceId, conditions, scenario: scenario.number };
}
