// Filling a scenario's condition template from the finding being dispositioned and the named lists. Nothing
// is dropped silently: an empty attribute, an empty list, or a list none of the finding's values match is an
// error that says which, since it means the scenario does not describe this finding.
import { z } from 'zod';
import { ConditionError, parseConditions, type Condition } from '../exclusions/model.js';
import { entriesMatching, listEntries } from './lists.js';
import { RulesError } from './rulesError.js';
import {
  SCALAR_ATTRIBUTES, SET_ATTRIBUTES, type FindingAttributeName, type FindingAttributes, type NamedLists, type Scenario, type TemplateCondition,
} from './types.js';

const FindingAttributesSchema = z.object({
  ...Object.fromEntries(SCALAR_ATTRIBUTES.map((a) => [a, z.string().optional()])),
  ...Object.fromEntries(SET_ATTRIBUTES.map((a) => [a, z.array(z.string()).optional()])),
});

const isScalar = (a: FindingAttributeName): boolean => (SCALAR_ATTRIBUTES as readonly string[]).includes(a);

function shownValues(values: readonly string[]): string {
  const head = values.slice(0, 5).map((v) => JSON.stringify(v)).join(', ');
  return values.length > 5 ? `${head}, … (${values.length} in all)` : head;
}

function attributeValues(finding: Partial<FindingAttributes>, attr: FindingAttributeName, fail: (m: string) => never): string[] {
  const v = finding[attr];
  if (v === undefined) return fail(`the finding has no ${attr}`);
  const values = typeof v === 'string' ? [v] : [...v];
  if (values.length === 0 || (isScalar(attr) && values[0] === '')) return fail(`the finding's ${attr} is empty`);
  return values;
}

function fill(c: TemplateCondition, finding: Partial<FindingAttributes>, lists: NamedLists, fail: (m: string) => never): string[] {
  if (Array.isArray(c.values)) return c.values;
  const ref = c.values;
  if ('param' in ref) return attributeValues(finding, ref.param, fail);
  let entries: string[];
  try {
    entries = listEntries(lists, ref.list);
  } catch (e) {
    return fail(e instanceof RulesError ? e.message.replace(/^lists: /, '') : String(e));
  }
  const names = ref.list.join(', ');
  if (entries.length === 0) return fail(`list ${names} is empty; configure it in data/lists`);
  if (ref.matching === undefined) return entries;
  const own = attributeValues(finding, ref.matching, fail);
  const matched = entriesMatching(entries, c.op, own);
  if (matched.length === 0) {
    const how = c.op === 'ipv4_is_in_any_range' ? 'falls in a range of' : 'is in';
    return fail(`none of the finding's ${ref.matching} (${shownValues(own)}) ${how} list ${names} (${shownValues(entries)})`);
  }
  return matched;
}

/**
 * The scenario's template as concrete, validated conditions for one finding. Throws RulesError
 * `template: scenario N: template[i] (Column): reason`.
 */
export function resolveTemplate(scenario: Scenario, finding: Partial<FindingAttributes>, lists: NamedLists): Condition[] {
  const where = `template: scenario ${scenario.number}`;
  const parsed = FindingAttributesSchema.safeParse(finding);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new RulesError(`${where}: finding.${i.path.join('.')}: ${i.message}`);
  }
  const conditions = scenario.template.map((c, i) => {
    const fail = (m: string): never => {
      throw new RulesError(`${where}: template[${i}] (${c.column}): ${m}`);
    };
    return { column: c.column, op: c.op, values: fill(c, finding, lists, fail) };
  });
  try {
    return parseConditions(conditions);
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    throw new RulesError(e.problems.map((p) => `${where}: ${p.replace(/^conditions: \[(\d+)\]/, 'template[$1]')}`));
  }
}

function describeValues(c: TemplateCondition): string {
  if (Array.isArray(c.values)) return c.values.map((v) => JSON.stringify(v)).join(', ');
  const ref = c.values;
  if ('param' in ref) return `the finding's ${ref.param}`;
  const lists = ref.list.join(', ');
  return ref.matching === undefined ? `list ${lists}` : `the entries of list ${lists} that the finding's ${ref.matching} match`;
}

/** A template in words, before any finding fills it: "DeviceId == the finding's DeviceId and …". */
export function describeTemplate(scenario: Scenario): string {
  return scenario.template.map((c) => `${c.column} ${c.op} ${describeValues(c)}`).join(' and ');
}
