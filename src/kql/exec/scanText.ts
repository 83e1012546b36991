// The requiredText part of a scan hint: text that the raw record of every row the query keeps must contain.
// It comes from the where filters that run on the table's own rows, before anything regroups or limits
// them (take, top, summarize, distinct, count, join). project, extend and project-rename may sit in between:
// a column is followed while it still holds the table's value, and dropped once something replaces it.
//
// A needle is only text that the record spells verbatim: each run of plain printable ASCII in the
// operator's literal. Cut out are `"`, `\`, `/` (a writer may emit `\/`) and control characters, which JSON
// escapes; non-ASCII, which JSON may escape and whose case folds the engine and a case-insensitive regex
// disagree on (the Ohm sign folds to omega for one, not the other); and, for a case-insensitive operator,
// ASCII letters that a non-ASCII character folds to (the Kelvin sign folds to 'k'). Any character may
// also be written \uXXXX, but the reader never skips a line with such an escape.
//
// This assumes a string column's raw value is a JSON string or CSV field text, as Defender and Log
// Analytics export them: a JSON number or object in a string column is typed by re-serializing it, and
// that text may differ from the record's (`1e3` becomes "1000").
import type { Expr, InExpr, TabularOperator } from '../ast.js';
import { exprName } from '../compile/names.js';
import { foldCode } from '../compile/strings.js';
import { constValue, type Env } from '../compile/types.js';
import type { ColumnDef, TableSource } from '../table.js';
import type { KqlType, Value } from '../values.js';

/** Shorter pieces filter too little to pay for a test on every record. */
const MIN_PIECE = 3;
const MAX_PIECES = 8;
/** Beyond this much text, looking for a substring common to a list's values is not worth its cost. */
const MAX_COMMON_SEED = 256;

/** Operators that hold only when the column's value contains the right side, with their case sensitivity. */
const CONTAINING: ReadonlyMap<string, boolean> = new Map([
  ['has', false], ['has_cs', true], ['contains', false], ['contains_cs', true],
  ['startswith', false], ['startswith_cs', true], ['endswith', false], ['endswith_cs', true],
  ['hasprefix', false], ['hasprefix_cs', true], ['hassuffix', false], ['hassuffix_cs', true],
  ['==', true], ['=~', false],
]);

let foldTargets: ReadonlySet<number> | undefined;

/** ASCII letters that some non-ASCII code unit folds to, in both cases. */
function foldedFromWide(c: number): boolean {
  if (!foldTargets) {
    const s = new Set<number>();
    for (let u = 128; u < 65536; u++) {
      const f = foldCode(u);
      if (f < 128) s.add(f).add(f >= 97 && f <= 122 ? f - 32 : f);
    }
    foldTargets = s;
  }
  return foldTargets.has(c);
}

function verbatim(c: number, cs: boolean): boolean {
  return c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x2f && (cs || !foldedFromWide(c));
}

/** The runs of `value` that a record holding it spells verbatim (lowercased: the record test ignores case). */
export function verbatimPieces(value: string, cs: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i < value.length && verbatim(value.charCodeAt(i), cs)) continue;
    if (i - start >= MIN_PIECE) out.push(value.slice(start, i).toLowerCase());
    start = i + 1;
  }
  return out;
}

/**
 * A piece every alternative contains (each alternative being the pieces that one value of an any-of list
 * requires), the longest there is: `has_any ('a.parsec.app', 'parsecgaming.com')` gives "parsec".
 */
export function commonPiece(alternatives: readonly (readonly string[])[]): string | undefined {
  const alts = [...new Map(alternatives.map((a) => [a.join('\n'), a])).values()];
  if (alts.length === 0 || alts.some((a) => a.length === 0)) return undefined;
  const size = (a: readonly string[]) => a.reduce((n, p) => n + p.length, 0);
  const seed = alts.reduce((a, b) => (size(b) < size(a) ? b : a));
  if (size(seed) > MAX_COMMON_SEED) return undefined;
  const longest = Math.max(...seed.map((p) => p.length));
  for (let len = longest; len >= MIN_PIECE; len--) {
    for (const p of seed) {
      for (let i = 0; i + len <= p.length; i++) {
        const s = p.slice(i, i + len);
        if (alts.every((a) => a.some((q) => q.includes(s)))) return s;
      }
    }
  }
  return undefined;
}

function anyOf(alternatives: string[][]): string[] {
  if (alternatives.length === 1) return alternatives[0]!;
  const common = commonPiece(alternatives);
  return common === undefined ? [] : [common];
}

/** Which names are the input's columns, and which of those still hold a string column of the table, by name. */
interface Ctx {
  readonly env: Env;
  readonly schema: ReadonlySet<string>;
  readonly tracked: ReadonlyMap<string, string>;
}

function constOf(e: Expr, ctx: Ctx): { type: KqlType; value: Value } | undefined {
  if (e.kind === 'literal') return { type: e.type, value: e.value };
  if (e.kind !== 'name' || ctx.schema.has(e.name)) return undefined;
  const b = ctx.env.lets.get(e.name);
  return b?.kind === 'scalar' && b.value.isConst ? { type: b.value.type, value: constValue(b.value) } : undefined;
}

function stringOf(e: Expr, ctx: Ctx): string | undefined {
  const c = constOf(e, ctx);
  return c?.type === 'string' && typeof c.value === 'string' ? c.value : undefined;
}

/** A list's values when each is a constant string (dynamic arrays expanded, as `in` does); else undefined. */
function stringsOf(items: readonly Expr[], ctx: Ctx): string[] | undefined {
  const out: string[] = [];
  for (const item of items) {
    const c = constOf(item, ctx);
    if (c?.type === 'string' && typeof c.value === 'string') out.push(c.value);
    else if (c?.type === 'dynamic' && Array.isArray(c.value) && c.value.every((v) => typeof v === 'string')) out.push(...(c.value as string[]));
    else return undefined;
  }
  return out;
}

const columnOf = (e: Expr, ctx: Ctx): string | undefined => (e.kind === 'name' ? ctx.tracked.get(e.name) : undefined);

function listNeedles(e: InExpr, ctx: Ctx): string[] {
  if (columnOf(e.left, ctx) === undefined) return [];
  const values = stringsOf(e.items, ctx);
  if (!values || values.length === 0) return [];
  switch (e.op) {
    case 'has_all':
      return values.flatMap((v) => verbatimPieces(v, false));
    case 'in':
      return anyOf(values.map((v) => verbatimPieces(v, true)));
    case 'in~':
    case 'has_any':
      return anyOf(values.map((v) => verbatimPieces(v, false)));
    default:
      return [];
  }
}

/** Needles from one operand of a where predicate's `and`s; none from anything negated, or-ed or computed. */
function operandNeedles(e: Expr, ctx: Ctx): string[] {
  if (e.kind === 'in') return listNeedles(e, ctx);
  if (e.kind !== 'binary') return [];
  const cs = CONTAINING.get(e.op);
  if (cs === undefined) return [];
  let value: string | undefined;
  if (columnOf(e.left, ctx) !== undefined) value = stringOf(e.right, ctx);
  else if ((e.op === '==' || e.op === '=~') && columnOf(e.right, ctx) !== undefined) value = stringOf(e.left, ctx);
  return value === undefined ? [] : verbatimPieces(value, cs);
}

/** Needles from each operand of `predicate`'s `and`s, left to right (iteratively: the spine may be deep). */
function needles(predicate: Expr, ctx: Ctx, out: string[]): void {
  const stack: Expr[] = [predicate];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'binary' && e.op === 'and') stack.push(e.right, e.left);
    else for (const n of operandNeedles(e, ctx)) out.push(n);
  }
}

function restrict(tracked: ReadonlyMap<string, string>, output: readonly ColumnDef[]): Map<string, string> {
  const names = new Set(output.map((c) => c.name));
  return new Map([...tracked].filter(([n]) => names.has(n)));
}

/** Which names hold a table column after `op`, or undefined once its rows are no longer the table's own. */
function carry(op: TabularOperator, tracked: ReadonlyMap<string, string>, output: readonly ColumnDef[]): Map<string, string> | undefined {
  switch (op.kind) {
    case 'sort':
    case 'project-away':
    case 'project-keep':
      return restrict(tracked, output);
    case 'project': {
      const m = new Map<string, string>();
      for (const i of op.items) {
        if (i.expr.kind !== 'name') continue;
        const src = tracked.get(i.expr.name);
        if (src !== undefined) m.set(i.name ?? i.expr.name, src);
      }
      return restrict(m, output);
    }
    case 'extend': {
      // Every item reads the input row, so a copy (`B = A`) follows A's input value.
      const m = new Map(tracked);
      for (const i of op.items) {
        const name = i.name ?? exprName(i.expr);
        if (name === null) return undefined;
        const src = i.expr.kind === 'name' ? tracked.get(i.expr.name) : undefined;
        if (src !== undefined) m.set(name, src);
        else m.delete(name);
      }
      return restrict(m, output);
    }
    case 'project-rename': {
      const m = new Map(tracked);
      for (const i of op.items) m.delete(i.oldName);
      for (const i of op.items) {
        const src = tracked.get(i.oldName);
        if (src !== undefined) m.set(i.newName, src);
        else m.delete(i.newName);
      }
      return restrict(m, output);
    }
    default:
      return undefined;
  }
}

/** Without repeats or pieces that a longer one already implies, at most MAX_PIECES, from the first few. */
function tidy(found: readonly string[]): string[] {
  const unique = [...new Set(found)].slice(0, 8 * MAX_PIECES);
  return unique.filter((p) => !unique.some((q) => q !== p && q.includes(p))).slice(0, MAX_PIECES);
}

/** Needles for a scan of `table` whose rows go through `operators` (`schemas[i]`: what operator i reads). */
export function requiredText(
  table: TableSource,
  operators: readonly TabularOperator[],
  schemas: readonly (readonly ColumnDef[])[],
  env: Env,
): string[] {
  let tracked: ReadonlyMap<string, string> = new Map(table.columns.filter((c) => c.type === 'string').map((c) => [c.name, c.name]));
  const found: string[] = [];
  for (let i = 0; i < operators.length && tracked.size > 0; i++) {
    const op = operators[i]!;
    if (op.kind === 'where') {
      needles(op.predicate, { env, schema: new Set(schemas[i]!.map((c) => c.name)), tracked }, found);
      continue;
    }
    const next = carry(op, tracked, schemas[i + 1]!);
    if (!next) break;
    tracked = next;
  }
  return tidy(found);
}
