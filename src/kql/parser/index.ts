// parseKql: statements separated by ';' (let bindings, then tabular or scalar expressions). It never throws:
// every problem, even an internal one, comes back as a diagnostic.
import type { QueryAst, Statement } from '../ast.js';
import { type Diagnostic, SourceMap } from '../diagnostics.js';
import { tokenize } from '../lexer.js';
import { Cursor, describe, ParseFailure } from './cursor.js';
import { parseName } from './expr.js';
import { parsePipelineOrExpr } from './tabular.js';

const UNSUPPORTED_STATEMENTS = new Set(['set', 'declare', 'alias', 'restrict', 'pattern']);

export function parseKql(text: string): { query: QueryAst | null; diagnostics: Diagnostic[] } {
  let src = new SourceMap('');
  try {
    src = new SourceMap(typeof text === 'string' ? text : String(text));
    const lexed = tokenize(src.text);
    const c = new Cursor(lexed.tokens, src);
    const statements = parseStatements(c);
    const diagnostics = [...lexed.diagnostics, ...c.diagnostics].sort((a, b) => a.start - b.start);
    if (statements.length === 0 && diagnostics.length === 0) {
      diagnostics.push(src.diagnostic(0, src.text.length, 'the query is empty'));
    }
    return { query: { kind: 'query', statements, start: 0, end: src.text.length }, diagnostics };
  } catch (e) {
    // A defect in the parser itself (or a stack overflow on pathological input): still a diagnostic.
    const msg = e instanceof RangeError ? 'the query is nested too deeply' : `internal parser error: ${String(e)}`;
    return { query: null, diagnostics: [src.diagnostic(0, src.text.length, msg)] };
  }
}

function parseStatements(c: Cursor): Statement[] {
  const statements: Statement[] = [];
  while (c.peek().kind !== 'eof') {
    if (c.eatPunct(';')) continue;
    try {
      statements.push(parseStatement(c));
      const t = c.peek();
      if (t.kind !== 'eof' && !c.isPunct(';')) {
        throw new ParseFailure(`expected ';' or the end of the query, found ${describe(t)}`, t.start, t.end);
      }
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      c.record(e);
      c.skipTo([';']);
      // An unbalanced closing bracket stops skipTo at top level; step over it so parsing moves on.
      if (!c.isPunct(';') && c.peek().kind !== 'eof') c.next();
    }
  }
  return statements;
}

function parseStatement(c: Cursor): Statement {
  const t = c.peek();
  if (t.kind === 'keyword' && t.text === 'let') {
    c.next();
    const n = parseName(c, 'a name after let');
    c.expectPunct('=', `after 'let ${n.name}'`);
    if (c.isPunct('(') && (c.isPunct(')', 1) || (c.peek(1).kind === 'identifier' && c.isPunct(':', 2)))) {
      throw new ParseFailure('unsupported construct: user-defined functions (let f = (...) { ... })', t.start, c.peek().end);
    }
    const value = parsePipelineOrExpr(c);
    return { kind: 'let', name: n.name, nameStart: n.start, nameEnd: n.end, value, start: t.start, end: value.end };
  }
  if (t.kind === 'identifier' && UNSUPPORTED_STATEMENTS.has(t.text) && c.peek(1).kind === 'identifier') {
    throw new ParseFailure(`unsupported statement '${t.text}'`, t.start, t.end);
  }
  const expr = parsePipelineOrExpr(c);
  return { kind: 'expr', expr, start: expr.start, end: expr.end };
}
