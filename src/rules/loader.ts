// Loads the rule catalogue: every *.yaml / *.yml in data/rules (a Sentinel hunting query, optionally extended
// with scenarios), checked against the named lists in data/lists. Every problem in every file is one line.
import { basename, extname } from 'node:path';
import { conditionProblems } from '../exclusions/model.js';
import { collectLists, listEntries, yamlFilesIn } from './lists.js';
import { RulesError } from './rulesError.js';
import { RuleFileSchema } from './schema.js';
import type { NamedLists, Rule, RuleFile, Scenario } from './types.js';
import { problemLine, readYamlFile, validate } from './yamlFile.js';

const RULE_KEYS = new Set([
  'id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query', 'impliedClauses', 'scenarios',
]);

// Problems that need the named lists: unknown names, a list of the wrong kind for its operator, entries the
// condition could not hold.
function listProblems(file: string, scenarios: readonly Scenario[], lists: NamedLists): string[] {
  const out: string[] = [];
  const line = (path: (string | number)[], message: string): number => out.push(problemLine('rules', file, path, message));
  const known = `known lists: ${[...lists.keys()].join(', ') || 'none'}; lists live in data/lists`;
  scenarios.forEach((s, si) => {
    s.template.forEach((c, ci) => {
      if (Array.isArray(c.values) || !('list' in c.values)) return;
      const names = c.values.list;
      const path = (j: number): (string | number)[] => ['scenarios', si, 'template', ci, 'values', 'list', ...(names.length > 1 ? [j] : [])];
      let usable = true;
      names.forEach((n, j) => {
        const list = lists.get(n);
        if (!list) {
          usable = false;
          line(path(j), `unknown list '${n}' (${known})`);
        } else if ((list.kind === 'ipv4') !== (c.op === 'ipv4_is_in_any_range')) {
          usable = false;
          line(path(j), `list '${n}' holds ${list.kind === 'ipv4' ? 'IPv4 ranges, for ipv4_is_in_any_range' : 'text, not IPv4 ranges'}; it cannot feed '${c.op}'`);
        }
      });
      if (!usable) return;
      const entries = listEntries(lists, names);
      if (entries.length === 0) return; // an empty list is valid configuration; filling the template reports it
      for (const p of conditionProblems(c.column, c.op, entries)) {
        if (p.path[0] === 'values') line(['scenarios', si, 'template', ci, 'values', 'list'], `list entries: ${p.message}`);
      }
    });
    s.mapping.forEach((m, mi) => {
      if (m.list !== undefined && !lists.has(m.list)) line(['scenarios', si, 'mapping', mi, 'list'], `unknown list '${m.list}' (${known})`);
    });
  });
  return out;
}

function toRule(file: string, data: RuleFile): Rule {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!RULE_KEYS.has(k)) extra[k] = v;
  return {
    id: data.id,
    name: data.name,
    description: data.description,
    requiredDataConnectors: data.requiredDataConnectors,
    tactics: data.tactics,
    relevantTechniques: data.relevantTechniques,
    query: data.query,
    impliedClauses: data.impliedClauses,
    scenarios: data.scenarios,
    slug: basename(file, extname(file)),
    file,
    extra,
  };
}

/**
 * Loads and validates every rule file in `dir` against the lists in `listsDir`. Throws one RulesError whose
 * `lines` hold every problem found (YAML syntax with line and column, schema, lists, duplicate ids).
 */
export function loadRules(dir = 'data/rules', listsDir = 'data/lists'): Rule[] {
  const { lists, lines } = collectLists(listsDir);
  const rules: Rule[] = [];
  for (const file of yamlFilesIn('rules', dir)) {
    const raw = readYamlFile('rules', file);
    const parsed = raw.ok ? validate('rules', file, RuleFileSchema, raw.data) : raw;
    if (!parsed.ok) {
      lines.push(...parsed.lines);
      continue;
    }
    const problems = listProblems(file, parsed.data.scenarios, lists);
    const rule = toRule(file, parsed.data);
    const sameId = rules.find((r) => r.id.toLowerCase() === rule.id.toLowerCase());
    const sameSlug = rules.find((r) => r.slug === rule.slug);
    if (sameId) problems.push(problemLine('rules', file, ['id'], `duplicate rule id ${rule.id} (already in ${sameId.file})`));
    if (sameSlug) problems.push(`rules: ${file}: duplicate rule name '${rule.slug}' (already in ${sameSlug.file})`);
    if (problems.length) lines.push(...problems);
    else rules.push(rule);
  }
  if (lines.length) throw new RulesError(lines);
  return rules;
}

function known(rules: readonly Rule[]): string {
  return rules.length ? rules.map((r) => `${r.slug} (${r.id})`).join(', ') : 'none loaded';
}

/**
 * A rule by id, by file slug (`parsec-network-connection`), by name, or by a fragment of the slug or name
 * (`parsec`) when exactly one rule has it. Anything else is a RulesError that lists the known rules.
 */
export function findRule(rules: readonly Rule[], idOrName: string | undefined): Rule {
  if (idOrName === undefined) {
    // No rule named: fine while there is exactly one, which is the shipped catalogue's case.
    if (rules.length === 1) return rules[0]!;
    throw new RulesError(rules.length ? `rules: ${rules.length} rules are loaded; name one with --rule or TRIAGE_RULE: ${known(rules)}` : 'rules: no rules are loaded');
  }
  const key = idOrName.trim().toLowerCase();
  if (!key) throw new RulesError(`rules: an empty rule name; known rules: ${known(rules)}`);
  const exact = rules.find((r) => r.id.toLowerCase() === key || r.slug.toLowerCase() === key || r.name.toLowerCase() === key);
  if (exact) return exact;
  const partial = rules.filter((r) => r.slug.toLowerCase().includes(key) || r.name.toLowerCase().includes(key));
  if (partial.length === 1) return partial[0];
  if (partial.length > 1) {
    throw new RulesError(`rules: '${idOrName}' matches ${partial.length} rules: ${known(partial)}; give the id or the full name`);
  }
  throw new RulesError(`rules: no rule '${idOrName}'; known rules: ${known(rules)}`);
}
