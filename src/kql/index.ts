// The local KQL engine's public surface: lexer, parser (AST + diagnostics), and runKql over TableSources.
export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic, KqlError } from './diagnostics.js';
export type { Token } from './lexer.js';
export { tokenize } from './lexer.js';
export { parseKql } from './parser/index.js';
export { runKql } from './exec/query.js';
export type * from './ast.js';
