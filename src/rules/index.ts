// The rule catalogue's public surface.
export { loadRules, findRule } from './loader.js';
export { loadLists, listEntries, entriesMatching } from './lists.js';
export { describeTemplate, resolveTemplate } from './template.js';
export { lintFilter, lintScenario, LINT_CODES, type LintCode } from './lint.js';
export { parsePseudoFilter, clausesOf, renderGrouped, PseudoFilterError, type PseudoNode, type PseudoClause } from './pseudoFilter.js';
export { PSEUDO_FIELDS } from './pseudoFields.js';
export { RulesError } from './rulesError.js';
export * from './types.js';
