// The compiler's shared shapes: a compiled scalar is a closure over a row plus its static type; a plan is a
// typed, re-runnable stream of row batches. Column indexes are resolved when compiling, never per row.
import type { SourceMap } from '../diagnostics.js';
import { PositionedError } from '../diagnostics.js';
import type { ColumnDef, Row, TableSource } from '../table.js';
import type { KDateTime, KqlType, Value } from '../values.js';

export type RowFn = (row: Row) => Value;

export interface Compiled {
  readonly type: KqlType;
  readonly fn: RowFn;
  /** True when the value depends on no row and no pending subquery: folded once at compile time. */
  readonly isConst: boolean;
}

export interface Plan {
  readonly columns: readonly ColumnDef[];
  run(): AsyncIterable<Row[]>;
}

export type Binding = { kind: 'scalar'; value: Compiled } | { kind: 'tabular'; plan: Plan };

/** Query-wide compile state: the clock, the tables, let bindings, and subqueries to run before the scan. */
export interface Env {
  readonly src: SourceMap;
  readonly now: KDateTime;
  readonly tables: ReadonlyMap<string, TableSource>;
  readonly lets: Map<string, Binding>;
  /** Subqueries (`in (T)`, toscalar) evaluated after compilation, before the main scan. */
  readonly preps: Array<() => Promise<void>>;
}

/** What names mean inside one operator: the input row's columns plus the query's environment. */
export interface Scope {
  readonly env: Env;
  readonly row: RowSchema | null;
}

export class RowSchema {
  private readonly byName = new Map<string, number>();

  constructor(readonly columns: readonly ColumnDef[]) {
    columns.forEach((c, i) => {
      if (!this.byName.has(c.name)) this.byName.set(c.name, i);
    });
  }

  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }
}

export const EMPTY_ROW: Row = [];

export function constant(type: KqlType, value: Value): Compiled {
  return { type, fn: () => value, isConst: true };
}

/** Evaluates a constant expression once, so rows pay nothing for it. */
export function fold(c: Compiled, at?: { start: number; end: number }): Compiled {
  if (!c.isConst) return c;
  try {
    return constant(c.type, c.fn(EMPTY_ROW));
  } catch (e) {
    if (e instanceof PositionedError || !at) throw e;
    throw new PositionedError(e instanceof Error ? e.message : String(e), at.start, at.end);
  }
}

export function constValue(c: Compiled): Value {
  return c.fn(EMPTY_ROW);
}

export function semanticError(message: string, at: { start: number; end: number }): never {
  throw new PositionedError(message, at.start, at.end);
}

export const isNumeric = (t: KqlType): boolean => t === 'long' || t === 'int' || t === 'real';
