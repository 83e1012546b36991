// Tabular grammar: a source (table name, datatable, print, range, parenthesized pipeline) followed by
// `| operator` steps. A broken operator is recorded and skipped up to the next `|`, so one query reports
// every broken step at once.
import type {
  ColumnPattern, Expr, JoinCondition, NamedExpr, PrintExpr, RangeExpr, SortKey, TabularOperator,
} from '../ast.js';
import { type Cursor, describe, ParseFailure } from './cursor.js';
import { parseExpr, parseName, parseNamedList } from './expr.js';

// Real Kusto operators this engine does not implement: reported as unsupported rather than unknown.
const KNOWN_UNSUPPORTED = new Set([
  'as', 'consume', 'evaluate', 'facet', 'find', 'fork', 'getschema', 'invoke', 'lookup', 'make-series',
  'mv-apply', 'mv-expand', 'parse', 'parse-where', 'parse-kv', 'partition', 'project-reorder', 'project-smart',
  'reduce', 'render', 'sample', 'sample-distinct', 'scan', 'search', 'serialize', 'top-nested', 'top-hitters',
  'union', 'externaldata', 'make-graph', 'graph-match', 'extend-columns', 'assert-schema', 'execute-and-cache',
]);
const UNSUPPORTED_SOURCES = new Set(['union', 'search', 'find', 'evaluate', 'externaldata']);

/** A tabular pipeline, or a plain scalar expression when there is no source operator and no `|`. */
export function parsePipelineOrExpr(c: Cursor): Expr {
  const head = parseSource(c);
  const operators: TabularOperator[] = [];
  while (c.isPunct('|')) {
    const pipe = c.next();
    const opTok = c.peek();
    try {
      const op = parseOperator(c, pipe.start);
      const t = c.peek();
      if (!(t.kind === 'eof' || (t.kind === 'punct' && ['|', ';', ')', ','].includes(t.text)))) {
        throw new ParseFailure(`unexpected ${describe(t)} after the '${opTok.text}' operator`, t.start, t.end);
      }
      operators.push(op);
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      c.record(e);
      c.skipTo(['|', ';']);
    }
  }
  if (operators.length === 0) return head;
  return { kind: 'pipeline', source: head, operators, start: head.start, end: operators[operators.length - 1]!.end };
}

function parseSource(c: Cursor): Expr {
  const t = c.peek();
  if (t.kind === 'identifier') {
    if (t.text === 'print') return parsePrint(c);
    if (t.text === 'range' && c.peek(1).kind === 'identifier' && c.isWord('from', 2)) return parseRange(c);
    const n = c.peek(1);
    const continues = n.kind === 'eof' || (n.kind === 'punct' && ['|', ';', ')', ',', '.', '['].includes(n.text));
    if (UNSUPPORTED_SOURCES.has(t.text) && !continues) {
      throw new ParseFailure(`unsupported tabular operator '${t.text}'`, t.start, t.end);
    }
  }
  return parseExpr(c);
}

function parsePrint(c: Cursor): PrintExpr {
  const kw = c.next();
  const items = parseNamedList(c);
  return { kind: 'print', items, start: kw.start, end: items[items.length - 1]!.end };
}

function parseRange(c: Cursor): RangeExpr {
  const kw = c.next();
  const column = c.next().text;
  c.expectWord('from');
  const from = parseExpr(c);
  c.expectWord('to', "in 'range'");
  const to = parseExpr(c);
  c.expectWord('step', "in 'range'");
  const step = parseExpr(c);
  return { kind: 'range', column, from, to, step, start: kw.start, end: step.end };
}

function parseOperator(c: Cursor, pipeStart: number): TabularOperator {
  const t = c.peek();
  if (t.kind !== 'identifier' && t.kind !== 'keyword') c.fail('expected a tabular operator');
  c.next();
  const start = t.start;
  const span = () => ({ pipeStart, start, end: c.lastEnd });
  switch (t.text) {
    case 'where':
    case 'filter': {
      const predicate = parseExpr(c);
      return { kind: 'where', predicate, ...span() };
    }
    case 'project':
      return { kind: 'project', items: parseNamedList(c), ...span() };
    case 'extend':
      return { kind: 'extend', items: parseNamedList(c), ...span() };
    case 'project-away':
    case 'project-keep':
      return { kind: t.text, columns: parsePatterns(c), ...span() };
    case 'project-rename': {
      const items = [];
      do {
        const n = parseName(c, 'a new column name');
        c.expectPunct('=', "in 'project-rename'");
        const o = parseName(c, 'the column to rename');
        items.push({ newName: n.name, oldName: o.name, start: n.start, end: o.end });
      } while (c.eatPunct(','));
      return { kind: 'project-rename', items, ...span() };
    }
    case 'summarize':
      return parseSummarize(c, pipeStart, start);
    case 'order':
    case 'sort': {
      c.expectWord('by', `after '${t.text}'`);
      return { kind: 'sort', keys: parseSortKeys(c), ...span() };
    }
    case 'top': {
      const count = parseExpr(c);
      c.expectWord('by', "after the row count of 'top'");
      return { kind: 'top', count, keys: parseSortKeys(c), ...span() };
    }
    case 'take':
    case 'limit':
      return { kind: 'take', count: parseExpr(c), ...span() };
    case 'distinct': {
      if (c.eatPunct('*')) return { kind: 'distinct', items: null, ...span() };
      return { kind: 'distinct', items: parseNamedList(c), ...span() };
    }
    case 'count':
      return { kind: 'count', ...span() };
    case 'join':
      return parseJoin(c, pipeStart, start);
    default:
      throw new ParseFailure(
        KNOWN_UNSUPPORTED.has(t.text) ? `unsupported tabular operator '${t.text}'` : `unknown tabular operator '${t.text}'`,
        t.start,
        t.end,
      );
  }
}

function parseSummarize(c: Cursor, pipeStart: number, start: number): TabularOperator {
  skipHints(c);
  let aggregates: NamedExpr[] = [];
  if (!c.isWord('by') && !atOperatorEnd(c)) aggregates = parseNamedList(c, ['by']);
  let by: NamedExpr[] | null = null;
  const byTok = c.eatWord('by');
  if (byTok) by = parseNamedList(c);
  const op: TabularOperator = { kind: 'summarize', aggregates, by, pipeStart, start, end: c.lastEnd };
  if (byTok) op.byStart = byTok.start;
  return op;
}

function atOperatorEnd(c: Cursor): boolean {
  const t = c.peek();
  return t.kind === 'eof' || (t.kind === 'punct' && ['|', ';', ')'].includes(t.text));
}

/** `hint.strategy=shuffle` and friends: accepted and ignored, since they only tune distribution. */
function skipHints(c: Cursor): void {
  while (c.peek().kind === 'identifier' && c.peek().text === 'hint' && c.isPunct('.', 1)) {
    c.next();
    c.next();
    c.next();
    c.expectPunct('=', 'after the hint name');
    c.next();
  }
}

function parseSortKeys(c: Cursor): SortKey[] {
  const keys: SortKey[] = [];
  do {
    const expr = parseExpr(c);
    let direction: SortKey['direction'] = null;
    let nulls: SortKey['nulls'] = null;
    if (c.isWord('asc') || c.isWord('desc')) direction = c.next().text as 'asc' | 'desc';
    if (c.eatWord('nulls')) {
      if (!c.isWord('first') && !c.isWord('last')) c.fail("expected 'first' or 'last' after 'nulls'");
      nulls = c.next().text as 'first' | 'last';
    }
    keys.push({ expr, direction, nulls, start: expr.start, end: c.lastEnd });
  } while (c.eatPunct(','));
  return keys;
}

function parsePatterns(c: Cursor): ColumnPattern[] {
  const out: ColumnPattern[] = [];
  do {
    const first = c.peek();
    if (c.isPunct('[')) {
      const n = parseName(c, 'a column name');
      out.push({ pattern: n.name, start: n.start, end: n.end });
      continue;
    }
    if (!(first.kind === 'identifier' || first.kind === 'keyword' || c.isPunct('*'))) c.fail('expected a column name');
    let pattern = c.next().text;
    let end = first.end;
    for (;;) {
      const t = c.peek();
      if (t.start !== end || !(t.kind === 'identifier' || t.kind === 'keyword' || t.kind === 'number' || (t.kind === 'punct' && t.text === '*'))) break;
      pattern += t.text;
      end = t.end;
      c.next();
    }
    out.push({ pattern, start: first.start, end });
  } while (c.eatPunct(','));
  return out;
}

function parseJoin(c: Cursor, pipeStart: number, start: number): TabularOperator {
  let joinKind: string | null = null;
  for (;;) {
    if (c.isWord('kind') && c.isPunct('=', 1)) {
      c.next();
      c.next();
      const k = c.next();
      if (k.kind !== 'identifier' && k.kind !== 'keyword') c.fail('expected a join kind', k);
      joinKind = k.text.toLowerCase();
    } else if (c.isWord('hint') && c.isPunct('.', 1)) {
      skipHints(c);
    } else {
      break;
    }
  }
  const right = parseExpr(c);
  c.expectWord('on', "after the right side of 'join'");
  const on: JoinCondition[] = [];
  do on.push(parseJoinCondition(c));
  while (c.eatPunct(','));
  return { kind: 'join', joinKind, right, on, pipeStart, start, end: c.lastEnd };
}

function parseJoinCondition(c: Cursor): JoinCondition {
  const t = c.peek();
  if (t.text === '$left' || t.text === '$right') {
    const a = sideColumn(c);
    c.expectPunct('==', 'between the join keys');
    const b = sideColumn(c);
    if (a.side === b.side) throw new ParseFailure('a join condition must compare $left with $right', t.start, c.lastEnd);
    const [l, r] = a.side === '$left' ? [a.name, b.name] : [b.name, a.name];
    return { left: l, right: r, start: t.start, end: c.lastEnd };
  }
  const n = parseName(c, 'a join key column');
  return { left: n.name, right: n.name, start: n.start, end: n.end };
}

function sideColumn(c: Cursor): { side: string; name: string } {
  const side = c.next();
  if (side.text !== '$left' && side.text !== '$right') c.fail("expected '$left' or '$right'", side);
  c.expectPunct('.', `after '${side.text}'`);
  return { side: side.text, name: parseName(c, 'a column name').name };
}

