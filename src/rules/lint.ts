// Lint for a scenario's documented filter. The filters were written as prose-like pseudo code, and several of
// them do not say what they mean: an always-true disjunct, `and`/`or` mixed without parentheses, clauses the
// rule already implies, fields network events do not have, named lists. The notes are computed from the text,
// so the ones stored next to each scenario can be checked against it and cannot drift.
import { PSEUDO_FIELDS } from './pseudoFields.js';
import { clausesOf, isGroup, parsePseudoFilter, renderGrouped, type PseudoClause, type PseudoNode } from './pseudoFilter.js';

export const LINT_CODES = [
  'always-true-disjunct', 'always-true-filter', 'mixed-and-or', 'implied-clause', 'unmappable-field', 'unknown-field', 'named-list',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

export interface LintNoteOut {
  code: LintCode;
  message: string;
}

/**
 * A clause the rule's own query already guarantees, written in the documentation with a label instead of a
 * real value (`process.name == "parsec.app"`: the product's domain, not a file name).
 */
export interface ImpliedFact {
  clause: string;
  meaning: string;
  by: string;
  note: string;
}

type Truth = 'always' | 'never' | 'unknown';

interface Implied {
  fact: ImpliedFact;
  field: string;
  value: string;
}

/** The implied facts as (field, value) pairs; a fact whose clause is not `field == "value"` is rejected. */
export function parseImpliedFact(fact: ImpliedFact): Implied {
  const node = parsePseudoFilter(fact.clause);
  if (node.kind !== 'compare' || node.op !== '==') throw new Error(`an implied clause must read field == "value", not ${JSON.stringify(fact.clause)}`);
  return { fact, field: node.field, value: node.value };
}

function impliedFor(c: PseudoClause, implied: readonly Implied[]): Implied | undefined {
  if (c.kind !== 'compare') return undefined;
  return implied.find((i) => i.field === c.field && i.value.toLowerCase() === c.value.toLowerCase());
}

// Literal truth over every row the rule returns: the label of an implied clause is never a real value, so
// `field == label` holds for no row and `field != label` for every row.
function truth(n: PseudoNode, implied: readonly Implied[]): Truth {
  if (!isGroup(n)) {
    if (n.kind !== 'compare' || !impliedFor(n, implied)) return 'unknown';
    return n.op === '==' ? 'never' : 'always';
  }
  const ts = n.items.map((i) => truth(i, implied));
  const [absorbing, neutral] = n.kind === 'or' ? ['always', 'never'] : ['never', 'always'];
  if (ts.includes(absorbing as Truth)) return absorbing as Truth;
  return ts.every((t) => t === neutral) ? (neutral as Truth) : 'unknown';
}

const q = (s: string): string => `\`${s}\``;

function andList(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function alwaysTrueNotes(root: PseudoNode, implied: readonly Implied[]): LintNoteOut[] {
  if (truth(root, implied) !== 'always') return [];
  if (root.kind !== 'or') {
    return [{ code: 'always-true-filter', message: 'as written the filter holds for every row, so it excludes every finding' }];
  }
  const culprits = root.items.filter((i) => truth(i, implied) === 'always');
  const why = culprits.map((c) => {
    const imp = c.kind === 'compare' ? impliedFor(c, implied) : undefined;
    return imp ? `${q(renderGrouped(c))} holds for every row, since no row's ${imp.field} is "${imp.value}" (${imp.fact.note})` : `${q(renderGrouped(c))} holds for every row`;
  });
  return [{
    code: 'always-true-disjunct',
    message: `as written the filter excludes every finding: ${why.join('; ')}, and one always-true disjunct makes the whole \`or\` true`,
  }];
}

function isBareAnd(n: PseudoNode): n is PseudoNode & { kind: 'and' } {
  return n.kind === 'and' && !n.parens;
}

function mixedNotes(node: PseudoNode): LintNoteOut[] {
  if (!isGroup(node)) return [];
  const inner = node.items.flatMap(mixedNotes);
  if (node.kind !== 'or' || !node.items.some(isBareAnd)) return inner;
  let message = `\`and\` binds tighter than \`or\`, so this reads as ${q(renderGrouped({ ...node, parens: false }))}`;
  const [first, ...rest] = node.items;
  if (isGroup(first) && isBareAnd(first) && rest.every((r) => !isGroup(r))) {
    const shared = first.items.slice(0, -1).map((n) => renderGrouped(n, true));
    const alone = rest.map((r) => q(renderGrouped(r)));
    const holds = shared.length === 1 ? 'holds' : 'hold';
    message += `: ${andList(alone)} ${alone.length === 1 ? 'alone excludes' : 'each exclude'} a row, whether or not ${andList(shared.map(q))} ${holds}`;
    const alternatives = [renderGrouped(first.items[first.items.length - 1], true), ...rest.map((r) => renderGrouped(r, true))];
    message += `; the likely intent is ${q(`${shared.join(' and ')} and (${alternatives.join(' or ')})`)}`;
  }
  return [{ code: 'mixed-and-or', message }, ...inner];
}

function clauseNotes(clauses: readonly PseudoClause[], implied: readonly Implied[]): LintNoteOut[] {
  const out: LintNoteOut[] = [];
  const seenFields = new Set<string>();
  const seenLists = new Set<string>();
  for (const c of clauses) {
    const imp = impliedFor(c, implied);
    if (imp && c.kind === 'compare' && c.op === '==') {
      out.push({
        code: 'implied-clause',
        message: `${q(c.text)} is implied: it means "${imp.fact.meaning}", which the rule's ${q(imp.fact.by)} already guarantees for every row; read literally it matches no row (${imp.fact.note})`,
      });
    }
    if (!seenFields.has(c.field)) {
      seenFields.add(c.field);
      const known = PSEUDO_FIELDS[c.field];
      if (!known) {
        out.push({ code: 'unknown-field', message: `${q(c.field)} is not a known pseudo field; its column has to be chosen in the mapping` });
      } else if (known.column === null) {
        out.push({ code: 'unmappable-field', message: `${q(c.field)} is unmappable: ${known.why}` });
      }
    }
    if (c.kind === 'in') {
      for (const list of c.lists) {
        if (seenLists.has(list)) continue;
        seenLists.add(list);
        out.push({
          code: 'named-list',
          message: `${q(list)} is a named list: configuration, not code; its entries live in data/lists/${list}.yaml`,
        });
      }
    }
  }
  return out;
}

/** Every lint note for a documented filter, structural ones first, then per clause in document order. */
export function lintFilter(text: string, impliedFacts: readonly ImpliedFact[]): LintNoteOut[] {
  const root = parsePseudoFilter(text);
  const implied = impliedFacts.map(parseImpliedFact);
  return [...alwaysTrueNotes(root, implied), ...mixedNotes(root), ...clauseNotes(clausesOf(root), implied)];
}

/** The notes a scenario's documented filter should carry, given its rule's implied clauses. */
export function lintScenario(
  rule: { readonly impliedClauses: readonly ImpliedFact[] },
  scenario: { readonly documentedFilter: string },
): LintNoteOut[] {
  return lintFilter(scenario.documentedFilter, rule.impliedClauses);
}
