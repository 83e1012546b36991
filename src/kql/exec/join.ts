// join: the right side is read into a hash table first, then the left side streams through it. The kind
// defaults to innerunique (Kusto's default: left rows de-duplicated by key before an inner join).
import type { JoinOp } from '../ast.js';
import { NameAllocator } from '../compile/names.js';
import { type Env, isNumeric, type Plan, semanticError } from '../compile/types.js';
import { type Key, keyOf } from '../compile/valueops.js';
import type { ColumnDef, Row } from '../table.js';
import type { Value } from '../values.js';
import { compileTabular } from './pipeline.js';

const KINDS: Record<string, string> = {
  inner: 'inner', innerunique: 'innerunique', leftouter: 'leftouter', rightouter: 'rightouter',
  fullouter: 'fullouter', leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti',
  rightanti: 'rightanti', rightantisemi: 'rightanti', leftsemi: 'leftsemi', rightsemi: 'rightsemi',
};

type KeyFn = (r: Row) => Key | string | null;

function keyFn(indexes: number[]): KeyFn {
  if (indexes.length === 1) {
    const i = indexes[0]!;
    return (r) => keyOf(r[i] ?? null);
  }
  return (r) => {
    const ks = indexes.map((i) => keyOf(r[i] ?? null));
    return ks.includes(null) ? null : JSON.stringify(ks);
  };
}

const nullsFor = (cols: readonly ColumnDef[]): Value[] => cols.map((c) => (c.type === 'string' ? '' : null));

export function compileJoin(op: JoinOp, left: Plan, env: Env): Plan {
  const kind = KINDS[op.joinKind ?? 'innerunique'];
  if (!kind) return semanticError(`unknown join kind '${op.joinKind}'`, op);
  const right = compileTabular(op.right, env);
  const li: number[] = [];
  const ri: number[] = [];
  for (const cond of op.on) {
    const a = left.columns.findIndex((c) => c.name === cond.left);
    const b = right.columns.findIndex((c) => c.name === cond.right);
    if (a < 0) semanticError(`unknown column '${cond.left}' on the left side of join`, cond);
    if (b < 0) semanticError(`unknown column '${cond.right}' on the right side of join`, cond);
    const [lt, rt] = [left.columns[a]!.type, right.columns[b]!.type];
    if (lt !== rt && !(isNumeric(lt) && isNumeric(rt))) semanticError(`join keys '${cond.left}' (${lt}) and '${cond.right}' (${rt}) have different types`, cond);
    li.push(a);
    ri.push(b);
  }
  let columns: ColumnDef[];
  if (kind === 'leftanti' || kind === 'leftsemi') columns = [...left.columns];
  else if (kind === 'rightanti' || kind === 'rightsemi') columns = [...right.columns];
  else {
    const names = new NameAllocator(left.columns.map((c) => c.name));
    columns = [...left.columns, ...right.columns.map((c) => ({ name: names.generated(c.name), type: c.type }))];
  }
  const lkey = keyFn(li);
  const rkey = keyFn(ri);
  const leftNulls = nullsFor(left.columns);
  const rightNulls = nullsFor(right.columns);
  return {
    columns,
    async *run() {
      const table = new Map<Key | string, Row[]>();
      const rightRows: Row[] = [];
      for await (const batch of right.run()) {
        for (const r of batch) {
          rightRows.push(r);
          const k = rkey(r);
          if (k === null) continue;
          const list = table.get(k);
          if (list) list.push(r);
          else table.set(k, [r]);
        }
      }
      const matched = new Set<Row>();
      const seenLeft = new Set<Key | string>();
      const trackRight = kind === 'rightouter' || kind === 'fullouter' || kind === 'rightanti' || kind === 'rightsemi';
      for await (const batch of left.run()) {
        const out: Row[] = [];
        for (const l of batch) {
          const k = lkey(l);
          if (kind === 'innerunique') {
            if (k === null || seenLeft.has(k)) continue;
            seenLeft.add(k);
          }
          const hits = k === null ? undefined : table.get(k);
          if (trackRight && hits) for (const r of hits) matched.add(r);
          switch (kind) {
            case 'leftanti':
              if (!hits) out.push(l);
              break;
            case 'leftsemi':
              if (hits) out.push(l);
              break;
            case 'rightanti':
            case 'rightsemi':
              break;
            default:
              if (hits) for (const r of hits) out.push([...l, ...r]);
              else if (kind === 'leftouter' || kind === 'fullouter') out.push([...l, ...rightNulls]);
          }
        }
        if (out.length) yield out;
      }
      if (!trackRight) return;
      const tail: Row[] = [];
      for (const r of rightRows) {
        const hit = matched.has(r);
        if (kind === 'rightsemi' ? hit : !hit) tail.push(kind === 'rightanti' || kind === 'rightsemi' ? r : [...leftNulls, ...r]);
      }
      if (tail.length) yield tail;
    },
  };
}
