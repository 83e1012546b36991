// An index over many conjunctions (the `where not(<c1> and <c2>)` lines of thousands of exclusions, or the
// countif()s of their hit counts), so that a row pays for the few conjunctions that can hold for it rather
// than for all of them. Each conjunction gets an anchor: one of its conditions that tests a column against
// literal values (`==`, `in` on the value itself; `=~`, `in~` on its case-folded text). A row looks its value
// up once per anchored column and gets the conjunctions whose anchor may hold; every other conjunction has
// an anchor that is false for that row, which makes the whole conjunction false (`false and null` is false).
//
// A lookup key is computed from the value exactly as the anchor's operator compares it (the same column read,
// keyOf, asString and foldString), so a conjunction is left out only when its anchor is definitely false. A
// candidate is then evaluated in full by the caller, so a key that matches too much costs time, never
// correctness. Conjunctions without an anchor are returned as `unanchored`: the caller evaluates them always.
import type { Expr } from '../ast.js';
import { andOperands } from './conjuncts.js';
import { asString } from './convert.js';
import { compileScalar } from './scalar.js';
import { foldString } from './strings.js';
import type { RowFn, Scope } from './types.js';
import { type Key, keyOf } from './valueops.js';
import type { Row } from '../table.js';

/** Internal switch for tests and measurements: below this many anchored conjunctions no index is built. */
export const predicateIndexSettings = { minAnchored: 4 };

const NONE: readonly number[] = [];

interface Anchor {
  readonly column: number;
  readonly folded: boolean;
  readonly keys: readonly Key[];
  /** `==` is null, not false, for a null value: such a row must evaluate the conjunction. */
  readonly nullMayHold: boolean;
}

type Primitive = string | number | boolean;

function literalOf(e: Expr): Primitive | undefined {
  // `-5` parses as a unary minus over 5, and folds to the number -5 (compileUnary).
  if (e.kind === 'unary' && e.operand.kind === 'literal' && typeof e.operand.value === 'number') {
    return e.op === '-' ? -e.operand.value : e.operand.value;
  }
  if (e.kind !== 'literal') return undefined;
  const v = e.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

function columnOf(e: Expr, scope: Scope): number {
  return e.kind === 'name' && scope.row ? scope.row.indexOf(e.name) : -1;
}

function literalsOf(items: readonly Expr[]): Primitive[] | undefined {
  const out: Primitive[] = [];
  for (const item of items) {
    const v = literalOf(item);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

const foldKey = (v: Primitive): string => foldString(asString(v));

/** The anchor a condition offers, if it is a column tested against literal values. */
function anchorOf(e: Expr, scope: Scope): Anchor | null {
  if (e.kind === 'binary' && (e.op === '==' || e.op === '=~')) {
    const column = columnOf(e.left, scope);
    const v = literalOf(e.right);
    if (column < 0 || v === undefined) return null;
    if (e.op === '==') return { column, folded: false, keys: [keyOf(v)], nullMayHold: true };
    return typeof v === 'string' ? { column, folded: true, keys: [foldKey(v)], nullMayHold: false } : null;
  }
  if (e.kind === 'in' && (e.op === 'in' || e.op === 'in~')) {
    const column = columnOf(e.left, scope);
    const values = literalsOf(e.items);
    if (column < 0 || !values || values.length === 0) return null;
    // `in` is false (not null) for a null value.
    if (e.op === 'in') return { column, folded: false, keys: values.map(keyOf), nullMayHold: false };
    return { column, folded: true, keys: values.map(foldKey), nullMayHold: false };
  }
  return null;
}

const probeOf = (a: Anchor): number => a.column * 2 + (a.folded ? 1 : 0);

/** One anchored column: the value's key, and the conjunctions each key may make true. */
export class Probe {
  readonly byKey = new Map<Key, number[]>();
  readonly nullIds: number[] = [];

  constructor(
    private readonly read: RowFn,
    private readonly folded: boolean,
  ) {}

  add(id: number, a: Anchor): void {
    for (const k of a.keys) {
      let ids = this.byKey.get(k);
      if (!ids) this.byKey.set(k, (ids = []));
      if (ids[ids.length - 1] !== id) ids.push(id);
    }
    if (a.nullMayHold) this.nullIds.push(id);
  }

  /** The conjunctions anchored here whose anchor may hold for `row`. */
  lookup(row: Row): readonly number[] {
    const v = this.read(row);
    if (v === null || v === undefined) return this.nullIds;
    const key = this.folded ? foldString(asString(v)) : keyOf(v);
    return this.byKey.get(key) ?? NONE;
  }
}

export interface PredicateIndex {
  /** Each anchored conjunction is in exactly one probe, under one or more keys. */
  readonly probes: readonly Probe[];
  /** Ids (positions in the input) of the conjunctions that must be evaluated for every row. */
  readonly unanchored: readonly number[];
}

/**
 * Indexes `conjunctions` (read in `scope`); null when too few have an anchor to be worth it. The anchor of
 * each is the condition whose keys are shared by the fewest conjunctions, so that a common value (a parent
 * process in thousands of exclusions) does not make every row a candidate for all of them.
 */
export function buildPredicateIndex(conjunctions: readonly Expr[], scope: Scope): PredicateIndex | null {
  const options: Anchor[][] = [];
  let anchoredCount = 0;
  for (const c of conjunctions) {
    const list: Anchor[] = [];
    for (const x of andOperands(c)) {
      const a = anchorOf(x, scope);
      if (a) list.push(a);
    }
    if (list.length) anchoredCount++;
    options.push(list);
  }
  if (anchoredCount === 0 || anchoredCount < predicateIndexSettings.minAnchored) return null;

  const popularity = new Map<number, Map<Key, number>>();
  for (const list of options) {
    for (const a of list) {
      const p = probeOf(a);
      let counts = popularity.get(p);
      if (!counts) popularity.set(p, (counts = new Map()));
      for (const k of a.keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const cost = (a: Anchor): number => {
    const counts = popularity.get(probeOf(a))!;
    let n = a.folded ? 0.5 : 0;
    for (const k of a.keys) n += counts.get(k)!;
    return n;
  };

  const probes = new Map<number, Probe>();
  const unanchored: number[] = [];
  for (let id = 0; id < options.length; id++) {
    const list = options[id]!;
    if (list.length === 0) {
      unanchored.push(id);
      continue;
    }
    let best = list[0]!;
    if (list.length > 1) {
      let bestCost = cost(best);
      for (let j = 1; j < list.length; j++) {
        const c = cost(list[j]!);
        if (c < bestCost) [best, bestCost] = [list[j]!, c];
      }
    }
    const p = probeOf(best);
    let probe = probes.get(p);
    if (!probe) {
      const col = scope.row!.columns[best.column]!;
      // The engine's own read of the column (a string column reads a missing value as "").
      const read = compileScalar({ kind: 'name', name: col.name, start: 0, end: 0 }, scope).fn;
      probes.set(p, (probe = new Probe(read, best.folded)));
    }
    probe.add(id, best);
  }
  return { probes: [...probes.values()], unanchored };
}
