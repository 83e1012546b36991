// Literal forms that need their own grammar: dynamic(...) (JSON-like, with KQL literals inside),
// typed literals such as long(null) or real(+inf), and datatable(col:type, ...)[values].
import type { ColumnDecl, DatatableExpr, Expr, LiteralExpr } from '../ast.js';
import type { Token } from '../lexer.js';
import { type DynamicValue, KDateTime, type KqlType, KTimespan } from '../values.js';
import { type Cursor, ParseFailure } from './cursor.js';
import { parseExpr, parseName } from './expr.js';

/** KQL type names (with their aliases) as written in datatable schemas and typed literals. */
export const TYPE_NAMES: ReadonlyMap<string, KqlType> = new Map<string, KqlType>([
  ['string', 'string'], ['long', 'long'], ['int', 'int'], ['real', 'real'], ['double', 'real'],
  ['decimal', 'real'], ['bool', 'bool'], ['boolean', 'bool'], ['datetime', 'datetime'], ['date', 'datetime'],
  ['timespan', 'timespan'], ['time', 'timespan'], ['dynamic', 'dynamic'], ['guid', 'guid'],
]);

export const TYPED_LITERALS = new Set(['long', 'int', 'real', 'double', 'decimal', 'bool', 'boolean']);

export function parseTypedLiteral(c: Cursor): LiteralExpr {
  const name = c.next();
  const type = TYPE_NAMES.get(name.text)!;
  c.expectPunct('(');
  let sign = 1;
  if (c.isPunct('-') || c.isPunct('+')) sign = c.next().text === '-' ? -1 : 1;
  const t = c.next();
  let value: number | boolean | null;
  if (t.text === 'null') value = null;
  else if (type === 'bool' && (t.text === 'true' || t.text === 'false')) value = t.text === 'true';
  else if (type !== 'bool' && t.kind === 'number') value = sign * (t.value as number);
  else if (type === 'real' && (t.text === 'nan' || t.text === 'inf')) value = t.text === 'nan' ? Number.NaN : sign * Infinity;
  else throw new ParseFailure(`invalid ${name.text} literal`, name.start, t.end);
  if ((type === 'long' || type === 'int') && typeof value === 'number' && !Number.isInteger(value)) {
    throw new ParseFailure(`invalid ${name.text} literal: not a whole number`, name.start, t.end);
  }
  const close = c.expectPunct(')', `to close the ${name.text} literal`);
  return { kind: 'literal', type, value, start: name.start, end: close.end };
}

export function parseDynamic(c: Cursor): LiteralExpr {
  const name = c.next();
  c.expectPunct('(');
  const value = parseDynamicValue(c, 0);
  const close = c.expectPunct(')', 'to close the dynamic literal');
  return { kind: 'literal', type: 'dynamic', value, start: name.start, end: close.end };
}

function parseDynamicValue(c: Cursor, depth: number): DynamicValue {
  if (depth > 100) c.fail('dynamic literal is nested too deeply');
  const t = c.peek();
  if (c.isPunct('[')) {
    c.next();
    const out: DynamicValue[] = [];
    while (!c.isPunct(']')) {
      out.push(parseDynamicValue(c, depth + 1));
      if (!c.eatPunct(',')) break;
    }
    c.expectPunct(']', 'to close the dynamic array');
    return out;
  }
  if (c.isPunct('{')) {
    c.next();
    const out: { [k: string]: DynamicValue } = {};
    while (!c.isPunct('}')) {
      const k = c.next();
      if (k.kind !== 'string' && k.kind !== 'identifier' && k.kind !== 'keyword') c.fail('expected a property name', k);
      c.expectPunct(':', 'after the property name');
      out[k.kind === 'string' ? (k.value as string) : k.text] = parseDynamicValue(c, depth + 1);
      if (!c.eatPunct(',')) break;
    }
    c.expectPunct('}', 'to close the dynamic object');
    return out;
  }
  if (c.isPunct('-') || c.isPunct('+')) {
    const s = c.next();
    const n = c.next();
    if (n.kind !== 'number') c.fail('expected a number', n);
    return (s.text === '-' ? -1 : 1) * (n.value as number);
  }
  c.next();
  switch (t.kind) {
    case 'string':
      return t.value as string;
    case 'number':
      return t.value as number;
    case 'datetime':
      return t.value instanceof KDateTime ? t.value.toISOString() : null;
    case 'timespan':
      return t.value instanceof KTimespan ? t.value.toString() : null;
    default:
      if (t.text === 'true' || t.text === 'false') return t.text === 'true';
      if (t.text === 'null') return null;
      return c.fail('expected a dynamic value', t);
  }
}

export function parseDatatable(c: Cursor): DatatableExpr {
  const kw = c.next();
  c.expectPunct('(');
  const columns: ColumnDecl[] = [];
  while (!c.isPunct(')')) {
    const n = parseName(c, 'a column name');
    c.expectPunct(':', 'after the column name');
    const typeTok: Token = c.next();
    const type = TYPE_NAMES.get(typeTok.text);
    if (!type) throw new ParseFailure(`unknown type '${typeTok.text}'`, typeTok.start, typeTok.end);
    columns.push({ name: n.name, type, start: n.start, end: typeTok.end });
    if (!c.eatPunct(',')) break;
  }
  c.expectPunct(')', 'to close the datatable schema');
  if (columns.length === 0) throw new ParseFailure('datatable needs at least one column', kw.start, c.lastEnd);
  c.expectPunct('[', 'before the datatable values');
  const values: Expr[] = [];
  while (!c.isPunct(']')) {
    // Values are constant scalars; the compiler checks constancy and types.
    values.push(parseExpr(c));
    if (!c.eatPunct(',')) break;
  }
  const close = c.expectPunct(']', 'to close the datatable values');
  return { kind: 'datatable', columns, values, start: kw.start, end: close.end };
}

