// zod schemas for rule files (a Sentinel hunting query extended with its scenario catalogue) and named lists.
// Checks that need only the file itself live here; checks against the named lists live in the loader.
import { z } from 'zod';
import { conditionProblems, ConditionOp, isNumericColumn, onlyRemoteUrl, parseIPv4Range, REMOTE_URL_ONLY_MESSAGE, SINGLE_VALUE_OPS, textValueProblem } from '../exclusions/model.js';
import { isDeviceNetworkEventsColumn } from '../schema/deviceNetworkEvents.js';
import { LINT_CODES, parseImpliedFact } from './lint.js';
import { PSEUDO_FIELDS } from './pseudoFields.js';
import { clausesOf, parsePseudoFilter, PseudoFilterError } from './pseudoFilter.js';
import { FINDING_ATTRIBUTES, SET_ATTRIBUTES, type FindingAttributeName } from './types.js';

const LIST_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MATCHING_OPS: ReadonlySet<ConditionOp> = new Set(['==', '=~', 'in', 'in~', 'ipv4_is_in_any_range']);

export const FindingAttributeNameSchema = z.enum(FINDING_ATTRIBUTES);

/**
 * A template condition's values: literal strings, `{ param: Attr }` (the finding's own value or set), or
 * `{ list: name | [names], matching?: Attr }` (a named list's entries; with `matching`, only the entries that
 * the finding's attribute matches under the condition's operator).
 */
export type TemplateValueRef =
  | { param: FindingAttributeName }
  | { list: string[]; matching?: FindingAttributeName };

const isAttribute = (v: unknown): v is FindingAttributeName => FINDING_ATTRIBUTES.includes(v as FindingAttributeName);

export const TemplateValuesSchema = z.unknown().transform((v, ctx): string[] | TemplateValueRef => {
  const fail = (message: string, path: (string | number)[] = []): never => {
    ctx.addIssue({ code: 'custom', message, path });
    return z.NEVER;
  };
  if (Array.isArray(v)) {
    const bad = v.findIndex((x) => typeof x !== 'string');
    return bad < 0 ? (v as string[]) : fail(`expected a string, got ${typeof v[bad]} (quote it)`, [bad]);
  }
  if (v === null || typeof v !== 'object') return fail('expected a list of strings, { param: … } or { list: … }');
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['param', 'list', 'matching'].includes(k));
  if (extra.length) return fail(`unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}`);
  const attrs = FINDING_ATTRIBUTES.join(', ');
  if ('param' in o) {
    if ('list' in o || 'matching' in o) return fail('param cannot be combined with list or matching');
    return isAttribute(o.param) ? { param: o.param } : fail(`unknown finding attribute ${JSON.stringify(o.param)} (one of ${attrs})`, ['param']);
  }
  if (!('list' in o)) return fail('expected { param: … } or { list: … }');
  const names = typeof o.list === 'string' ? [o.list] : o.list;
  if (!Array.isArray(names) || names.length === 0) return fail('expected a list name or a non-empty list of names', ['list']);
  const badName = names.findIndex((n) => typeof n !== 'string' || !LIST_NAME_RE.test(n));
  if (badName >= 0) return fail(`not a list name: ${JSON.stringify(names[badName])}`, typeof o.list === 'string' ? ['list'] : ['list', badName]);
  if (!('matching' in o)) return { list: names as string[] };
  return isAttribute(o.matching)
    ? { list: names as string[], matching: o.matching }
    : fail(`unknown finding attribute ${JSON.stringify(o.matching)} (one of ${attrs})`, ['matching']);
});

const isSetAttribute = (a: FindingAttributeName): boolean => (SET_ATTRIBUTES as readonly string[]).includes(a);

export const TemplateConditionSchema = z
  .strictObject({ column: z.string(), op: ConditionOp, values: TemplateValuesSchema })
  .superRefine((c, ctx) => {
    const problems = conditionProblems(c.column, c.op, Array.isArray(c.values) ? c.values : undefined);
    for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    if (problems.length || Array.isArray(c.values)) return;
    const ref = c.values;
    if ('param' in ref && SINGLE_VALUE_OPS.has(c.op) && isSetAttribute(ref.param)) {
      ctx.addIssue({ code: 'custom', path: ['op'], message: `'${c.op}' takes one value but ${ref.param} is a set; use in or in~` });
    }
    if ('list' in ref && SINGLE_VALUE_OPS.has(c.op)) {
      ctx.addIssue({ code: 'custom', path: ['op'], message: `'${c.op}' takes one value but a list has many; use in or in~` });
    }
    if ('list' in ref && ref.matching !== undefined && !MATCHING_OPS.has(c.op)) {
      ctx.addIssue({ code: 'custom', path: ['values', 'matching'], message: `matching works with ${[...MATCHING_OPS].join(', ')}, not '${c.op}'` });
    }
    if (isNumericColumn(c.column)) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `finding attributes and lists are text; give ${c.column} literal numbers` });
    }
  });

export const MappingEntrySchema = z
  .strictObject({
    clause: z.string(),
    field: z.string(),
    column: z.string(),
    via: z.string().optional(),
    list: z.string().regex(LIST_NAME_RE, 'not a list name').optional(),
    note: z.string().min(1),
  })
  .superRefine((m, ctx) => {
    const special = m.column === 'implied' || m.column === 'unmappable';
    if (!special && !isDeviceNetworkEventsColumn(m.column)) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `expected a DeviceNetworkEvents column, implied or unmappable, got '${m.column}'` });
    }
    if (m.via !== undefined && m.column !== 'unmappable') {
      ctx.addIssue({ code: 'custom', path: ['via'], message: 'via names the stand-in column of an unmappable field only' });
    } else if (m.via !== undefined && !isDeviceNetworkEventsColumn(m.via)) {
      ctx.addIssue({ code: 'custom', path: ['via'], message: `unknown DeviceNetworkEvents column '${m.via}'` });
    }
    const known = PSEUDO_FIELDS[m.field];
    if (known?.column === null && m.column !== 'unmappable') {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `${m.field} has no DeviceNetworkEvents column; map it as unmappable (with via for a stand-in)` });
    } else if (known?.column && m.column !== known.column && m.column !== 'implied') {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `${m.field} is ${known.column} (or implied), not '${m.column}'` });
    }
  });

export const LintNoteSchema = z.strictObject({ code: z.enum(LINT_CODES), message: z.string().min(1) });

export const ImpliedClauseSchema = z
  .strictObject({ clause: z.string(), meaning: z.string().min(1), by: z.string().min(1), note: z.string().min(1) })
  .superRefine((f, ctx) => {
    try {
      parseImpliedFact(f);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['clause'], message: (e as Error).message });
    }
  });

function referencedAttributes(template: readonly { values: string[] | TemplateValueRef }[]): Set<FindingAttributeName> {
  const out = new Set<FindingAttributeName>();
  for (const c of template) {
    if (Array.isArray(c.values)) continue;
    if ('param' in c.values) out.add(c.values.param);
    else if (c.values.matching !== undefined) out.add(c.values.matching);
  }
  return out;
}

export const ScenarioSchema = z
  .strictObject({
    number: z.int().min(1),
    title: z.string().min(1),
    documentedFilter: z.string().min(1),
    mapping: z.array(MappingEntrySchema),
    rationale: z.string().min(1).optional(),
    template: z.array(TemplateConditionSchema).min(1, 'a template needs at least one condition'),
    parameters: z.array(FindingAttributeNameSchema),
    scope: z.enum(['device', 'rule']),
    lint: z.array(LintNoteSchema),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    if (onlyRemoteUrl(s.template)) issue(['template'], `a template ${REMOTE_URL_ONLY_MESSAGE}`);
    const used = [...referencedAttributes(s.template)].sort();
    const declared = [...new Set(s.parameters)].sort();
    if (used.join() !== declared.join() || declared.length !== s.parameters.length) {
      issue(['parameters'], `must list each finding attribute the template uses once: [${used.join(', ')}], got [${s.parameters.join(', ')}]`);
    }
    const byDevice = s.template.some((c) => c.column === 'DeviceId' && c.op === '==' && !Array.isArray(c.values) && 'param' in c.values && c.values.param === 'DeviceId');
    if (s.scope === 'device' && !byDevice) issue(['scope'], 'a device-scoped template needs DeviceId == { param: DeviceId }');
    if (s.scope === 'rule' && s.template.some((c) => c.column === 'DeviceId' || c.column === 'DeviceName')) {
      issue(['scope'], 'a rule-wide template cannot hold a DeviceId or DeviceName condition');
    }
    let clauses;
    try {
      clauses = clausesOf(parsePseudoFilter(s.documentedFilter));
    } catch (e) {
      if (!(e instanceof PseudoFilterError)) throw e;
      issue(['documentedFilter'], e.message);
      return;
    }
    if (clauses.length !== s.mapping.length) {
      issue(['mapping'], `documentedFilter has ${clauses.length} clauses, mapping has ${s.mapping.length} entries; map each clause once, in order`);
      return;
    }
    clauses.forEach((c, i) => {
      if (s.mapping[i].clause !== c.text) issue(['mapping', i, 'clause'], `expected ${JSON.stringify(c.text)} (clause ${i + 1} of documentedFilter)`);
      else if (s.mapping[i].field !== c.field) issue(['mapping', i, 'field'], `expected '${c.field}', the field of ${JSON.stringify(c.text)}`);
    });
  });

const stringOrList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

export const RuleFileSchema = z
  .looseObject({
    id: z.guid(),
    name: z.string().min(1),
    description: z.string(),
    requiredDataConnectors: z.array(z.strictObject({ connectorId: z.string().min(1), dataTypes: z.array(z.string()) })),
    tactics: stringOrList,
    relevantTechniques: stringOrList,
    query: z.string().min(1),
    impliedClauses: z.array(ImpliedClauseSchema).default([]),
    scenarios: z.array(ScenarioSchema).default([]),
  })
  .superRefine((r, ctx) => {
    r.scenarios.forEach((s, i) => {
      if (s.number !== i + 1) {
        ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'number'], message: `scenarios are numbered 1..n in document order: expected ${i + 1}, got ${s.number}` });
      }
    });
    r.impliedClauses.forEach((f, i) => {
      if (!r.query.includes(f.by)) ctx.addIssue({ code: 'custom', path: ['impliedClauses', i, 'by'], message: `${JSON.stringify(f.by)} does not occur in the query` });
    });
  });

export const ListFileSchema = z
  .strictObject({ name: z.string(), description: z.string().min(1), kind: z.enum(['ipv4', 'text']), values: z.array(z.string()) })
  .superRefine((l, ctx) => {
    const seen = new Set<string>();
    l.values.forEach((v, i) => {
      const problem = textValueProblem(v) ?? (v === '' ? 'an empty entry' : undefined)
        ?? (l.kind === 'ipv4' && !parseIPv4Range(v) ? `${JSON.stringify(v)} is not an IPv4 address or CIDR range` : undefined)
        ?? (seen.has(v) ? `duplicate entry ${JSON.stringify(v)}` : undefined);
      seen.add(v);
      if (problem) ctx.addIssue({ code: 'custom', path: ['values', i], message: problem });
    });
  });
