// project, extend, project-away/keep and project-rename: per-row reshaping with indexes fixed at compile time.
import type { ExtendOp, NamedExpr, ProjectAwayOp, ProjectOp, ProjectRenameOp } from '../../ast.js';
import { exprName, NameAllocator } from '../../compile/names.js';
import { compileScalar } from '../../compile/scalar.js';
import { type Env, type Plan, RowSchema, type RowFn, semanticError } from '../../compile/types.js';
import type { ColumnDef, Row } from '../../table.js';

function mapRows(input: Plan, columns: ColumnDef[], f: (r: Row) => Row): Plan {
  return {
    columns,
    async *run() {
      for await (const batch of input.run()) {
        const out: Row[] = new Array(batch.length);
        for (let i = 0; i < batch.length; i++) out[i] = f(batch[i]!);
        yield out;
      }
    },
  };
}

/** Output name of a project/summarize-by item: explicit, a plain column keeps its name, else derived. */
export function itemName(item: NamedExpr, names: NameAllocator, counter: { n: number }): string {
  if (item.name !== null) return names.explicit(item.name, { start: item.nameStart ?? item.start, end: item.nameEnd ?? item.end });
  if (item.expr.kind === 'name') return names.explicit(item.expr.name, item.expr);
  return names.generated(exprName(item.expr) ?? `Column${++counter.n}`);
}

export function compileProject(op: ProjectOp, input: Plan, env: Env): Plan {
  const scope = { env, row: new RowSchema(input.columns) };
  const names = new NameAllocator();
  const counter = { n: 0 };
  const columns: ColumnDef[] = [];
  const fns: RowFn[] = [];
  const direct: number[] = [];
  for (const item of op.items) {
    const c = compileScalar(item.expr, scope);
    columns.push({ name: itemName(item, names, counter), type: c.type });
    fns.push(c.fn);
    direct.push(item.expr.kind === 'name' ? scope.row.indexOf(item.expr.name) : -1);
  }
  if (direct.every((i) => i >= 0)) {
    return mapRows(input, columns, (r) => {
      const out: Row = new Array(direct.length);
      for (let j = 0; j < direct.length; j++) out[j] = r[direct[j]!] ?? null;
      return out;
    });
  }
  return mapRows(input, columns, (r) => {
    const out: Row = new Array(fns.length);
    for (let j = 0; j < fns.length; j++) out[j] = fns[j]!(r);
    return out;
  });
}

export function compileExtend(op: ExtendOp, input: Plan, env: Env): Plan {
  const columns = [...input.columns];
  const targets: number[] = [];
  const fns: RowFn[] = [];
  const declared = new Set<string>();
  let counter = 0;
  // Every item reads the input row: a column added by this extend is not visible to its siblings.
  const scope = { env, row: new RowSchema(input.columns) };
  for (const item of op.items) {
    const c = compileScalar(item.expr, scope);
    const name = item.name ?? exprName(item.expr) ?? `Column${++counter}`;
    if (item.name !== null && declared.has(name)) {
      semanticError(`a column named '${name}' is already declared`, { start: item.nameStart ?? item.start, end: item.nameEnd ?? item.end });
    }
    declared.add(name);
    let at = columns.findIndex((col) => col.name === name);
    if (at < 0) {
      at = columns.length;
      columns.push({ name, type: c.type });
    } else {
      columns[at] = { name, type: c.type };
    }
    targets.push(at);
    fns.push(c.fn);
  }
  const width = columns.length;
  const inWidth = input.columns.length;
  return mapRows(input, columns, (r) => {
    const out: Row = new Array(width);
    for (let j = 0; j < inWidth; j++) out[j] = r[j] ?? null;
    for (let j = 0; j < fns.length; j++) out[targets[j]!] = fns[j]!(r);
    return out;
  });
}

function patternTest(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (n) => n === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (n) => re.test(n);
}

export function compileProjectAway(op: ProjectAwayOp, input: Plan): Plan {
  const hit = new Set<number>();
  for (const p of op.columns) {
    const test = patternTest(p.pattern);
    let any = false;
    input.columns.forEach((c, i) => {
      if (test(c.name)) {
        hit.add(i);
        any = true;
      }
    });
    if (!any && !p.pattern.includes('*')) semanticError(`unknown column '${p.pattern}'`, p);
  }
  const keep = input.columns.map((_, i) => i).filter((i) => (op.kind === 'project-away' ? !hit.has(i) : hit.has(i)));
  const columns = keep.map((i) => input.columns[i]!);
  return mapRows(input, columns, (r) => {
    const out: Row = new Array(keep.length);
    for (let j = 0; j < keep.length; j++) out[j] = r[keep[j]!] ?? null;
    return out;
  });
}

export function compileRename(op: ProjectRenameOp, input: Plan): Plan {
  const columns = [...input.columns];
  for (const item of op.items) {
    const i = columns.findIndex((c) => c.name === item.oldName);
    if (i < 0) semanticError(`unknown column '${item.oldName}'`, item);
    if (columns.some((c, j) => j !== i && c.name === item.newName)) {
      semanticError(`a column named '${item.newName}' is already declared`, item);
    }
    columns[i] = { name: item.newName, type: columns[i]!.type };
  }
  return { columns, run: () => input.run() };
}
