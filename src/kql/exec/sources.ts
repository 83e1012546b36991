// Tabular sources written in the query itself: datatable(...)[...], print, range.
import type { DatatableExpr, PrintExpr, RangeExpr } from '../ast.js';
import { compileScalar } from '../compile/scalar.js';
import { type Compiled, constValue, type Env, isNumeric, type Plan, semanticError } from '../compile/types.js';
import { toDynamic } from '../compile/valueops.js';
import type { ColumnDef, Row } from '../table.js';
import { addTimespan, KDateTime, type KqlType, KTimespan, type Value } from '../values.js';

function fits(type: KqlType, c: Compiled, v: Value): Value | undefined {
  if (v === null) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? v : undefined;
    case 'long':
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
    case 'real':
      return typeof v === 'number' ? v : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'datetime':
      return v instanceof KDateTime ? v : undefined;
    case 'timespan':
      return v instanceof KTimespan ? v : undefined;
    case 'dynamic':
      return c.type === 'dynamic' ? v : toDynamic(v);
  }
}

function batches(rows: Row[]): AsyncIterable<Row[]> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < rows.length; i += 4096) yield rows.slice(i, i + 4096);
    },
  };
}

export function compileDatatable(e: DatatableExpr, env: Env): Plan {
  const width = e.columns.length;
  if (e.values.length % width !== 0) {
    semanticError(`datatable: ${e.values.length} values do not fill rows of ${width} columns`, e);
  }
  const rows: Row[] = [];
  for (let i = 0; i < e.values.length; i += width) {
    const row: Row = [];
    for (let j = 0; j < width; j++) {
      const node = e.values[i + j]!;
      const col = e.columns[j]!;
      const c = compileScalar(node, { env, row: null });
      if (!c.isConst) semanticError('datatable: values must be constants', node);
      const v = fits(col.type, c, constValue(c));
      if (v === undefined) semanticError(`datatable: column '${col.name}' is ${col.type}, but this value is ${c.type}`, node);
      row.push(v);
    }
    rows.push(row);
  }
  const columns: ColumnDef[] = e.columns.map((c) => ({ name: c.name, type: c.type }));
  return { columns, run: () => batches(rows) };
}

export function compilePrint(e: PrintExpr, env: Env): Plan {
  const columns: ColumnDef[] = [];
  const fns = e.items.map((item, i) => {
    const c = compileScalar(item.expr, { env, row: null });
    const name = item.name ?? `print_${i}`;
    if (columns.some((col) => col.name === name)) semanticError(`a column named '${name}' is already declared`, item);
    columns.push({ name, type: c.type });
    return c.fn;
  });
  return { columns, run: () => batches([fns.map((f) => f([]))]) };
}

const MAX_RANGE_ROWS = 10_000_000;

export function compileRange(e: RangeExpr, env: Env): Plan {
  const scope = { env, row: null };
  const [from, to, step] = [compileScalar(e.from, scope), compileScalar(e.to, scope), compileScalar(e.step, scope)];
  const dt = from.type === 'datetime';
  if (dt ? to.type !== 'datetime' || step.type !== 'timespan' : !isNumeric(from.type) || !isNumeric(to.type) || !isNumeric(step.type)) {
    semanticError('range: expects numbers, or datetimes with a timespan step', e);
  }
  const type: KqlType = dt ? 'datetime' : from.type === 'real' || step.type === 'real' ? 'real' : 'long';
  return {
    columns: [{ name: e.column, type }],
    async *run() {
      const a = from.fn([]);
      const b = to.fn([]);
      const s = step.fn([]);
      let batch: Row[] = [];
      let n = 0;
      if (dt) {
        if (!(a instanceof KDateTime) || !(b instanceof KDateTime) || !(s instanceof KTimespan) || s.ticks === 0) return;
        const dir = Math.sign(s.ticks);
        for (let v = a; (v.ms - b.ms || v.sub - b.sub) * dir <= 0 && n < MAX_RANGE_ROWS; v = addTimespan(v, s), n++) {
          batch.push([v]);
          if (batch.length === 4096) {
            yield batch;
            batch = [];
          }
        }
      } else {
        if (typeof a !== 'number' || typeof b !== 'number' || typeof s !== 'number' || s === 0) return;
        for (let v = a; (v - b) * Math.sign(s) <= 0 && n < MAX_RANGE_ROWS; v += s, n++) {
          batch.push([v]);
          if (batch.length === 4096) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length) yield batch;
    },
  };
}
