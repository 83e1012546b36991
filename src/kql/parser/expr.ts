// Scalar expression grammar, lowest precedence first: or, and, comparisons and string/list operators,
// additive, multiplicative, unary, postfix (member, index), primary.
import type { BinaryOp, Expr, ListOp, NamedExpr } from '../ast.js';
import type { Token } from '../lexer.js';
import { type Cursor, ParseFailure } from './cursor.js';
import { parseDatatable, parseDynamic, parseTypedLiteral, TYPED_LITERALS } from './literals.js';
import { parsePipelineOrExpr } from './tabular.js';

const COMPARISON = new Set(['==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>=']);
const STRING_OPS = new Set([
  'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs',
]);
const LIST_OPS = new Set(['in', '!in', 'in~', '!in~', 'has_any', 'has_all']);

export function parseExpr(c: Cursor): Expr {
  c.enter();
  try {
    return parseOr(c);
  } finally {
    c.leave();
  }
}

function binary(op: BinaryOp, opTok: Token, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, opStart: opTok.start, left, right, start: left.start, end: right.end };
}

function parseOr(c: Cursor): Expr {
  let left = parseAnd(c);
  while (c.peek().kind === 'keyword' && c.peek().text === 'or') {
    const op = c.next();
    left = binary('or', op, left, parseAnd(c));
  }
  return left;
}

function parseAnd(c: Cursor): Expr {
  let left = parseComparison(c);
  while (c.peek().kind === 'keyword' && c.peek().text === 'and') {
    const op = c.next();
    left = binary('and', op, left, parseComparison(c));
  }
  return left;
}

function parseComparison(c: Cursor): Expr {
  let left = parseAdditive(c);
  for (;;) {
    const t = c.peek();
    if (t.kind === 'punct' && COMPARISON.has(t.text)) {
      c.next();
      const op = (t.text === '<>' ? '!=' : t.text) as BinaryOp;
      left = binary(op, t, left, parseAdditive(c));
    } else if (t.kind === 'keyword' && STRING_OPS.has(t.text.replace(/^!/, ''))) {
      c.next();
      left = binary(t.text as BinaryOp, t, left, parseAdditive(c));
    } else if (t.kind === 'keyword' && LIST_OPS.has(t.text)) {
      c.next();
      const { items, end } = parseList(c, t.text);
      left = { kind: 'in', op: t.text as ListOp, opStart: t.start, left, items, start: left.start, end };
    } else if (t.kind === 'keyword' && (t.text === 'between' || t.text === '!between')) {
      c.next();
      c.expectPunct('(', `after '${t.text}'`);
      const low = parseExpr(c);
      c.expectPunct('..', 'between the bounds of between');
      const high = parseExpr(c);
      const close = c.expectPunct(')', 'after the bounds of between');
      left = { kind: 'between', negated: t.text === '!between', left, low, high, start: left.start, end: close.end };
    } else if (t.kind === 'keyword' && t.text === 'matches') {
      c.next();
      c.expectWord('regex', "after 'matches'");
      left = binary('matches regex', t, left, parseAdditive(c));
    } else {
      return left;
    }
  }
}

/** `( item, ... )` after in/has_any; a single item without parentheses is accepted too (`in L`). */
function parseList(c: Cursor, op: string): { items: Expr[]; end: number } {
  if (!c.isPunct('(')) {
    const item = parsePostfix(c);
    return { items: [item], end: item.end };
  }
  c.next();
  const items: Expr[] = [];
  if (!c.isPunct(')')) {
    for (;;) {
      items.push(parsePipelineOrExpr(c));
      if (!c.eatPunct(',')) break;
    }
  }
  const close = c.expectPunct(')', `to close the '${op}' list`);
  return { items, end: close.end };
}

function parseAdditive(c: Cursor): Expr {
  let left = parseMultiplicative(c);
  while (c.isPunct('+') || c.isPunct('-')) {
    const op = c.next();
    left = binary(op.text as BinaryOp, op, left, parseMultiplicative(c));
  }
  return left;
}

function parseMultiplicative(c: Cursor): Expr {
  let left = parseUnary(c);
  while (c.isPunct('*') || c.isPunct('/') || c.isPunct('%')) {
    const op = c.next();
    left = binary(op.text as BinaryOp, op, left, parseUnary(c));
  }
  return left;
}

function parseUnary(c: Cursor): Expr {
  if (c.isPunct('-') || c.isPunct('+')) {
    const op = c.next();
    c.enter();
    try {
      const operand = parseUnary(c);
      return { kind: 'unary', op: op.text as '-' | '+', operand, start: op.start, end: operand.end };
    } finally {
      c.leave();
    }
  }
  return parsePostfix(c);
}

function parsePostfix(c: Cursor): Expr {
  let e = parsePrimary(c);
  for (;;) {
    if (c.isPunct('.') && (c.peek(1).kind === 'identifier' || c.peek(1).kind === 'keyword')) {
      c.next();
      const m = c.next();
      e = { kind: 'member', target: e, member: m.text, start: e.start, end: m.end };
    } else if (c.isPunct('[')) {
      c.next();
      const index = parseExpr(c);
      const close = c.expectPunct(']', 'to close the index');
      e = index.kind === 'literal' && typeof index.value === 'string'
        ? { kind: 'member', target: e, member: index.value, start: e.start, end: close.end }
        : { kind: 'index', target: e, index, start: e.start, end: close.end };
    } else {
      return e;
    }
  }
}

function parsePrimary(c: Cursor): Expr {
  const t = c.peek();
  switch (t.kind) {
    case 'number': {
      c.next();
      const real = !/^0[xX]/.test(t.text) && /[.eE]/.test(t.text);
      return { kind: 'literal', type: real ? 'real' : 'long', value: t.value as number, start: t.start, end: t.end };
    }
    case 'string': {
      // Adjacent string literals concatenate.
      let value = '';
      let end = t.end;
      while (c.peek().kind === 'string') {
        const s = c.next();
        value += s.value as string;
        end = s.end;
      }
      return { kind: 'literal', type: 'string', value, start: t.start, end };
    }
    case 'datetime':
    case 'timespan':
      c.next();
      return { kind: 'literal', type: t.kind, value: t.value as never, start: t.start, end: t.end };
    case 'keyword':
      if (t.text === 'true' || t.text === 'false') {
        c.next();
        return { kind: 'literal', type: 'bool', value: t.text === 'true', start: t.start, end: t.end };
      }
      return c.fail('expected an expression');
    case 'identifier':
      return parseIdentifierExpr(c, t);
    case 'punct':
      if (t.text === '(') {
        c.next();
        c.enter();
        try {
          const inner = parsePipelineOrExpr(c);
          c.expectPunct(')', 'to close the parenthesis');
          return inner;
        } finally {
          c.leave();
        }
      }
      if (t.text === '[' && c.peek(1).kind === 'string' && c.isPunct(']', 2)) {
        c.next();
        const s = c.next();
        const close = c.next();
        return { kind: 'name', name: s.value as string, start: t.start, end: close.end };
      }
      return c.fail('expected an expression');
    default:
      return c.fail('expected an expression');
  }
}

function parseIdentifierExpr(c: Cursor, t: Token): Expr {
  if (c.isPunct('(', 1)) {
    if (t.text === 'dynamic') return parseDynamic(c);
    if (t.text === 'datatable') return parseDatatable(c);
    if (TYPED_LITERALS.has(t.text)) return parseTypedLiteral(c);
    c.next();
    c.next();
    const args: Expr[] = [];
    if (!c.isPunct(')')) {
      for (;;) {
        if (c.isPunct('*')) {
          const s = c.next();
          args.push({ kind: 'star', start: s.start, end: s.end });
        } else {
          args.push(parsePipelineOrExpr(c));
        }
        if (!c.eatPunct(',')) break;
      }
    }
    const close = c.expectPunct(')', `to close the call to '${t.text}'`);
    return { kind: 'call', name: t.text, nameStart: t.start, nameEnd: t.end, args, start: t.start, end: close.end };
  }
  c.next();
  return { kind: 'name', name: t.text, start: t.start, end: t.end };
}

/** A column name: bare identifier (keywords allowed) or `['name']`. */
export function parseName(c: Cursor, context: string): { name: string; start: number; end: number } {
  const t = c.peek();
  if (t.kind === 'identifier' || t.kind === 'keyword') {
    c.next();
    return { name: t.text, start: t.start, end: t.end };
  }
  if (c.isPunct('[') && c.peek(1).kind === 'string' && c.isPunct(']', 2)) {
    c.next();
    const s = c.next();
    const close = c.next();
    return { name: s.value as string, start: t.start, end: close.end };
  }
  return c.fail(`expected ${context}`);
}

/** `Name = expr` or `expr`, comma separated, until a token that cannot continue the list. */
export function parseNamedList(c: Cursor, stopWords: readonly string[] = []): NamedExpr[] {
  const items: NamedExpr[] = [];
  for (;;) {
    items.push(parseNamedExpr(c));
    if (!c.eatPunct(',')) return items;
    if (stopWords.some((w) => c.isWord(w))) return items;
  }
}

export function parseNamedExpr(c: Cursor): NamedExpr {
  const t = c.peek();
  const bracketed = c.isPunct('[') && c.peek(1).kind === 'string' && c.isPunct(']', 2);
  if (((t.kind === 'identifier' || t.kind === 'keyword') && c.isPunct('=', 1)) || (bracketed && c.isPunct('=', 3))) {
    const n = parseName(c, 'a column name');
    c.next(); // '='
    const expr = parseExpr(c);
    return { name: n.name, nameStart: n.start, nameEnd: n.end, expr, start: n.start, end: expr.end };
  }
  if (c.isPunct('(') && (c.peek(1).kind === 'identifier') && c.isPunct(',', 2)) {
    throw new ParseFailure('unsupported construct: tuple assignment (a, b) = ...; name each column instead', t.start, t.end);
  }
  const expr = parseExpr(c);
  return { name: null, expr, start: expr.start, end: expr.end };
}
