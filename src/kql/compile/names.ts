// Kusto's default output column names, as Microsoft's analyzer gives them: a column keeps its name;
// `d.x` is `d_x`; conversion-like functions take their first argument's name; `strlen(a)` is `strlen_a`;
// anything else is `ColumnN` (or `print_N`). Clashing generated names get a numeric suffix (`count_1`).
import type { Expr } from '../ast.js';
import { semanticError } from './types.js';

const FIRST_ARGUMENT = new Set([
  'bin', 'floor', 'tostring', 'toint', 'tolong', 'toreal', 'todouble', 'todatetime', 'totimespan', 'tobool',
  'toboolean', 'abs', 'startofday', 'round', 'split', 'todynamic', 'parse_json', 'format_datetime', 'log',
  'sqrt', 'exp', 'pow', 'toguid', 'tohex',
]);
const PREFIXED: ReadonlyMap<string, string> = new Map([
  ['strlen', 'strlen'], ['string_size', 'string_size'], ['gettype', 'type'],
]);

/** The name Kusto gives an unnamed scalar expression, or null when it falls back to ColumnN. */
export function exprName(e: Expr): string | null {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'member': {
      const t = exprName(e.target);
      return t === null ? null : `${t}_${e.member}`;
    }
    case 'index': {
      const t = exprName(e.target);
      const i = e.index;
      if (t === null || i.kind !== 'literal') return null;
      return `${t}_${String(i.value)}`;
    }
    case 'call': {
      const first = e.args[0];
      if (FIRST_ARGUMENT.has(e.name)) return first ? exprName(first) : null;
      const prefix = PREFIXED.get(e.name);
      if (prefix !== undefined) return `${prefix}_${first ? exprName(first) ?? '' : ''}`;
      return null;
    }
    default:
      return null;
  }
}

/** Hands out output column names for one operator, rejecting explicit duplicates and suffixing generated ones. */
export class NameAllocator {
  private readonly used = new Set<string>();

  constructor(taken: Iterable<string> = []) {
    for (const n of taken) this.used.add(n);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  explicit(name: string, at: { start: number; end: number }): string {
    if (this.used.has(name)) semanticError(`a column named '${name}' is already declared`, at);
    this.used.add(name);
    return name;
  }

  generated(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}${k}`;
    this.used.add(name);
    return name;
  }
}

/** Aggregation functions: valid only inside summarize. */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'count', 'countif', 'dcount', 'dcountif', 'min', 'max', 'minif', 'maxif', 'sum', 'sumif', 'avg', 'avgif',
  'make_set', 'make_set_if', 'make_list', 'make_list_if', 'arg_max', 'arg_min', 'take_any', 'any',
  'makeset', 'makelist',
]);
