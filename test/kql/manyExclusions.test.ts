// Queries with thousands of exclusions: consecutive wheres run as one filter, `not(<conjunction>)` terms and
// countif()s go through the predicate index, and deep pipelines break their stack. The index must never
// change an answer: random exclusion sets (hostile strings, case variants, values that collide once folded,
// conditions that are null) are checked against the same query with the index off and against a rewrite
// that the index cannot see into.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { buildPredicateIndex, predicateIndexSettings } from '../../src/kql/compile/predicateIndex.js';
import { RowSchema } from '../../src/kql/compile/types.js';
import { SourceMap } from '../../src/kql/diagnostics.js';
import { kqlLong, kqlString, kqlStringList } from '../../src/kql/escape.js';
import { KqlError, parseKql, runKql } from '../../src/kql/index.js';
import { type ColumnDef, memoryTable, type Row, type TableSource } from '../../src/kql/table.js';
import type { Value } from '../../src/kql/values.js';
import type { WhereOp } from '../../src/kql/ast.js';
import { buildHitsQuery, buildHuntQuery, type QueryExclusion } from '../../src/hunt/buildQuery.js';
import { DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { NOW } from './helpers.js';

const DEFAULT_MIN = predicateIndexSettings.minAnchored;
afterEach(() => {
  predicateIndexSettings.minAnchored = DEFAULT_MIN;
});

async function rows(query: string, tables: Record<string, TableSource>, index: 'on' | 'off'): Promise<Row[]> {
  predicateIndexSettings.minAnchored = index === 'on' ? 1 : Number.POSITIVE_INFINITY;
  try {
    return (await runKql(query, { tables, now: NOW })).rows;
  } finally {
    predicateIndexSettings.minAnchored = DEFAULT_MIN;
  }
}

/** mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLUMNS: ColumnDef[] = [
  { name: 'Dev', type: 'string' },
  { name: 'Parent', type: 'string' },
  { name: 'Account', type: 'string' },
  { name: 'IP', type: 'string' },
  { name: 'Port', type: 'int' },
  { name: 'Size', type: 'long' },
  { name: 'Extra', type: 'dynamic' },
  { name: 'Flag', type: 'bool' },
  { name: 'Grp', type: 'string' },
];

// Case variants, values equal only once folded (Kelvin sign, capital sharp s, Ohm sign), hostile text.
const TEXT = [
  'setup.exe', 'SETUP.EXE', 'Setup.Exe', 'msiexec.exe', 'MsiExec.EXE', 'kelvin', '\u212Aelvin', 'KELVIN',
  'stra\u00dfe', 'STRA\u1E9EE', 'strasse', '\u2126mega', '\u03c9mega', '\u03a9MEGA', 'a"b', 'back\\slash',
  'new\nline', 'pipe|x', 'tab\tx', '', ' spaced ', 'x', 'X', '\u0130stanbul', 'istanbul', 'emoji\u{1F600}',
  'EMOJI\u{1F600}', 'svc-backup', 'SVC-Backup', "it's", 'dev-1', 'DEV-1', 'dev-2',
];
const IPS = ['10.1.2.3', '10.200.0.1', '192.168.1.5', '8.8.8.8', '', 'fe80::1', 'not-an-ip', '172.16.5.4'];
const PORTS: Value[] = [null, 80, 443, 8080, -1, 0];
const SIZES: Value[] = [null, 5, -5, 0, 123456789];
const EXTRAS: Value[] = [null, 5, '5', 'setup.exe', 'SETUP.EXE', [1, 2], { a: 1 }, true, -5];
const FLAGS: Value[] = [null, true, false];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomRows(r: () => number, n: number): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < n; i++) {
    // A string column may hold null (a gap in the source): the engine reads it as "".
    const text = () => (r() < 0.05 ? null : pick(r, TEXT));
    out.push([text(), text(), text(), pick(r, IPS), pick(r, PORTS), pick(r, SIZES), pick(r, EXTRAS), pick(r, FLAGS), pick(r, ['g1', 'g2', 'G1'])]);
  }
  return out;
}

function someText(r: () => number, max: number): string[] {
  const n = 1 + Math.floor(r() * max);
  return Array.from({ length: n }, () => pick(r, TEXT));
}

const num = (r: () => number, xs: readonly Value[]) => kqlLong(pick(r, xs.filter((x): x is number => typeof x === 'number')));

/** One condition, as the exclusion compiler writes them (parenthesized), or a few shapes it never writes. */
function randomCondition(r: () => number): string {
  const col = pick(r, ['Dev', 'Parent', 'Account', 'Grp']);
  const k = Math.floor(r() * 24);
  switch (k) {
    case 0: case 1: case 2: return `(${col} == ${kqlString(pick(r, TEXT))})`;
    case 3: case 4: return `(${col} =~ ${kqlString(pick(r, TEXT))})`;
    case 5: case 6: return `(${col} in ${kqlStringList(someText(r, 3))})`;
    case 7: case 8: return `(${col} in~ ${kqlStringList(someText(r, 3))})`;
    case 9: return `(${col} has ${kqlString(pick(r, TEXT.filter((t) => t)))})`;
    case 10: return `(${col} has_any ${kqlStringList(someText(r, 2).map((t) => t || 'x'))})`;
    case 11: return `(${col} startswith ${kqlString(pick(r, TEXT))})`;
    case 12: return `(${col} contains ${kqlString(pick(r, TEXT))})`;
    case 13: return `(coalesce(ipv4_is_in_any_range(IP, ${kqlString(pick(r, ['10.0.0.0/8', '192.168.0.0/16']))}, "8.8.8.8"), false))`;
    // Null for a value that is not an IPv4 address.
    case 14: return `(ipv4_is_in_any_range(IP, "10.0.0.0/8"))`;
    case 15: return `(IP in ${kqlStringList([pick(r, IPS), pick(r, IPS)])})`;
    // Null when Port/Size is null.
    case 16: return `(Port == ${num(r, PORTS)})`;
    case 17: return `(Port in (${num(r, PORTS)}, ${num(r, PORTS)}))`;
    case 18: return `(Size == ${num(r, SIZES)})`;
    case 19: return `(Port > ${num(r, PORTS)})`;
    case 20: return pick(r, ['(Extra == 5)', '(Extra == "5")', '(Extra =~ "setup.exe")', '(Extra in ("5", "SETUP.EXE"))', '(Extra in~ ("setup.exe"))', '(Extra == -5)']);
    case 21: return pick(r, ['(Flag)', '(Flag == true)', '(Flag == false)', '(isnull(Port))']);
    case 22: return `(${kqlString(pick(r, TEXT))} == ${col})`;
    default: return `(${col} != ${kqlString(pick(r, TEXT))})`;
  }
}

function randomConjunctions(r: () => number, n: number): string[] {
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomCondition(r)).join(' and '));
}

describe('the predicate index gives the answers of evaluating every term', () => {
  test('where not(...) lines: random exclusion sets, against the index off and against an unindexable rewrite', async () => {
    let indexedQueries = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = prng(seed);
      const T = memoryTable('T', COLUMNS, randomRows(r, 300), 64);
      const conjs = randomConjunctions(r, 5 + Math.floor(r() * 60));
      // Sometimes two exclusions share one where (`not(a) and not(b)`), and a plain filter comes first.
      const head = r() < 0.5 ? '| where Grp != "G1"\n' : '';
      const lines: string[] = [];
      for (let i = 0; i < conjs.length; i++) {
        if (i + 1 < conjs.length && r() < 0.2) {
          lines.push(`| where not(${conjs[i]}) and not(${conjs[i + 1]})`);
          i++;
        } else {
          lines.push(`| where not(${conjs[i]})`);
        }
      }
      const query = `T\n${head}${lines.join('\n')}`;
      const rewrite = `T\n${head}| extend ${conjs.map((c, i) => `__k${i} = not(${c})`).join(', ')}\n${conjs.map((_, i) => `| where __k${i}`).join('\n')}\n| project-away __k*`;
      const on = await rows(query, { T }, 'on');
      const off = await rows(query, { T }, 'off');
      const ref = await rows(rewrite, { T }, 'on');
      assert.deepEqual(on, ref, `seed ${seed}: index on vs rewrite\n${query}`);
      assert.deepEqual(off, ref, `seed ${seed}: index off vs rewrite`);
      if (on.length > 0 && on.length < 300) indexedQueries++;
    }
    // The sets must actually filter: a test whose every query kept all rows (or none) would prove little.
    assert.ok(indexedQueries > 10, `only ${indexedQueries} queries kept some but not all rows`);
  });

  test('countif()s: random sets, with and without by, against the index off and an unindexable rewrite', async () => {
    let nonZero = 0;
    for (let seed = 100; seed < 130; seed++) {
      const r = prng(seed);
      const T = memoryTable('T', COLUMNS, randomRows(r, 300), 50);
      const conjs = randomConjunctions(r, 5 + Math.floor(r() * 60));
      const by = seed % 2 ? ' by Grp' : '';
      const query = `T | summarize n=count(), ${conjs.map((c, i) => `h${i}=countif(${c})`).join(', ')}${by}`;
      const rewrite = `T | extend ${conjs.map((c, i) => `__h${i} = ${c}`).join(', ')} | summarize n=count(), ${conjs.map((_, i) => `h${i}=countif(__h${i})`).join(', ')}${by}`;
      const on = await rows(query, { T }, 'on');
      assert.deepEqual(on, await rows(rewrite, { T }, 'on'), `seed ${seed}: index on vs rewrite\n${query}`);
      assert.deepEqual(await rows(query, { T }, 'off'), on, `seed ${seed}: index off`);
      nonZero += on.flat().filter((v) => typeof v === 'number' && v > 0).length;
    }
    assert.ok(nonZero > 100);
  });

  test('a null in a conjunction drops the row (not(null)), and false beats null', async () => {
    const T = memoryTable('T', COLUMNS, [
      ['d1', 'p', 'a', '', null, null, null, null, 'g'],
      ['d2', 'p', 'a', '', null, null, null, null, 'g'],
      ['d3', 'p', 'a', '', 80, null, null, null, 'g'],
    ]);
    const excl = ['(Port == 80) and (Dev == "d1")', '(Dev == "d9") and (Port == 1)', '(Dev == "d7")', '(Dev == "d8")'];
    const q = `T ${excl.map((c) => `| where not(${c})`).join(' ')} | project Dev`;
    // d1: null and true is null, so not(...) is null and where drops it; d2: null and false is false.
    assert.deepEqual(await rows(q, { T }, 'on'), [['d2'], ['d3']]);
    assert.deepEqual(await rows(q, { T }, 'off'), [['d2'], ['d3']]);
    const hits = `T | summarize ${excl.map((c, i) => `h${i}=countif(${c})`).join(', ')}, d=countif((Dev =~ "D3") and (Port == 80))`;
    assert.deepEqual(await rows(hits, { T }, 'on'), [[0, 0, 0, 0, 1]]);
  });
});

describe('anchors', () => {
  const scope = (columns: ColumnDef[]) => ({
    env: { src: new SourceMap(''), now: NOW, tables: new Map(), lets: new Map(), preps: [] },
    row: new RowSchema(columns),
  });
  const conjunctionsOf = (query: string): import('../../src/kql/ast.js').Expr[] => {
    const { query: ast } = parseKql(query);
    const st = ast!.statements[0]!;
    assert.equal(st.kind, 'expr');
    const pipeline = st.kind === 'expr' ? st.expr : null;
    assert.equal(pipeline?.kind, 'pipeline');
    return (pipeline!.kind === 'pipeline' ? pipeline!.operators : []).map((op) => {
      const p = (op as WhereOp).predicate;
      return p.kind === 'call' ? p.args[0]! : p;
    });
  };

  test('each conjunction is anchored on its least shared literal test; others are evaluated always', () => {
    const conjs = conjunctionsOf(
      'T | where not((Parent in~ ("msiexec.exe", "setup.exe")) and (Dev == "a"))' +
        ' | where not((Parent in~ ("msiexec.exe", "setup.exe")) and (Dev == "b"))' +
        ' | where not((Parent in~ ("MSIEXEC.EXE")) and (Account =~ "svc"))' +
        ' | where not((Dev has "x") and (ipv4_is_in_any_range(IP, "10.0.0.0/8")))' +
        ' | where not(("a" == Dev))' +
        ' | where not((Port == -1))' +
        ' | where not((Size in (5, -5)))',
    );
    const index = buildPredicateIndex(conjs, scope(COLUMNS))!;
    assert.ok(index);
    assert.deepEqual([...index.unanchored], [3, 4]);
    const byKey = index.probes.map((p) => [...p.byKey].map(([k, ids]) => [k, [...ids]]));
    // Dev is exact, keyed by the value itself; Account folded; Port and Size by their numbers.
    assert.deepEqual(byKey, [[['a', [0]], ['b', [1]]], [['svc', [2]]], [[-1, [5]]], [[5, [6]], [-5, [6]]]]);
    // `==` is null for a null value, so a null Port makes that conjunction a candidate; `in` is false.
    assert.deepEqual([...index.probes[2]!.nullIds], [5]);
    assert.deepEqual([...index.probes[3]!.nullIds], []);
  });

  test('below the threshold no index is built', () => {
    const conjs = conjunctionsOf('T | where not((Dev == "a")) | where not((Dev has "b"))');
    predicateIndexSettings.minAnchored = 2;
    assert.equal(buildPredicateIndex(conjs, scope(COLUMNS)), null);
    predicateIndexSettings.minAnchored = 1;
    assert.ok(buildPredicateIndex(conjs, scope(COLUMNS)));
  });
});

describe('thousands of operators and terms', () => {
  const K = 10_000;
  const deviceId = (i: number) => i.toString(16).padStart(40, '0');
  const exclusions: QueryExclusion[] = Array.from({ length: K }, (_, i) => ({
    id: i + 1,
    conditions: i % 4 === 3
      ? [{ column: 'InitiatingProcessAccountName', op: 'in~' as const, values: [`svc-account-${i}`] }]
      : [
          { column: 'DeviceId', op: '==' as const, values: [deviceId(i)] },
          { column: 'InitiatingProcessParentFileName', op: 'in~' as const, values: ['msiexec.exe', 'setup.exe'] },
        ],
  }));
  const col = (name: string) => deviceNetworkEventsColumns.findIndex((c) => c.name === name);
  const [dev, parent, account, action] = ['DeviceId', 'InitiatingProcessParentFileName', 'InitiatingProcessAccountName', 'ActionType'].map(col);
  const events: Row[] = [];
  for (let i = 0; i < 600; i++) {
    const row: Row = deviceNetworkEventsColumns.map((c) => (c.type === 'string' ? '' : null));
    row[dev!] = deviceId(i % 2 ? i * 17 : i);
    row[parent!] = ['msiexec.exe', 'SETUP.EXE', 'explorer.exe'][i % 3]!;
    row[account!] = i % 5 === 0 ? `SVC-ACCOUNT-${i * 7}` : 'user';
    row[action!] = i % 7 === 0 ? 'ConnectionFailed' : 'ConnectionSuccess';
    events.push(row);
  }
  const table = memoryTable(DEVICE_NETWORK_EVENTS, deviceNetworkEventsColumns, events, 128);
  const rule = `${DEVICE_NETWORK_EVENTS}\n| where ActionType == "ConnectionSuccess"\n| summarize Count=count() by DeviceId, InitiatingProcessParentFileName`;

  /** The exclusions each event matches, worked out without the engine. */
  const matches = (row: Row): number[] => {
    const out: number[] = [];
    const acct = String(row[account!]).toLowerCase();
    const installer = ['msiexec.exe', 'setup.exe'].includes(String(row[parent!]).toLowerCase());
    exclusions.forEach((x, i) => {
      const hit = i % 4 === 3 ? acct === `svc-account-${i}` : installer && row[dev!] === deviceId(i);
      if (hit) out.push(x.id);
    });
    return out;
  };
  const seen = events.filter((e) => e[action!] === 'ConnectionSuccess');

  test(`the hunt query with ${K} exclusion lines runs, and removes exactly the matching events`, async () => {
    const q = buildHuntQuery(rule, { exclusions, enrich: false });
    const expected = new Map<string, number>();
    for (const e of seen) {
      if (matches(e).length) continue;
      const key = JSON.stringify([e[dev!], e[parent!]]);
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    assert.ok(expected.size > 50 && [...expected.values()].reduce((a, b) => a + b) < seen.length - 50);
    const got = (await runKql(q, { tables: { [DEVICE_NETWORK_EVENTS]: table }, now: NOW })).rows;
    assert.deepEqual(new Map(got.map((r) => [JSON.stringify([r[0], r[1]]), r[2]])), expected);
    assert.deepEqual(await rows(q, { [DEVICE_NETWORK_EVENTS]: table }, 'off'), got);
  });

  test(`the hits query with ${K} countifs counts each exclusion's events`, async () => {
    const q = buildHitsQuery(rule, { exclusions })!;
    const expected = new Array<number>(K).fill(0);
    for (const e of seen) for (const id of matches(e)) expected[id - 1]!++;
    assert.ok(expected.filter((n) => n > 0).length > 100);
    const res = await runKql(q, { tables: { [DEVICE_NETWORK_EVENTS]: table }, now: NOW });
    assert.equal(res.columns.length, K);
    assert.equal(res.columns[K - 1]!.name, `hits_${K}`);
    assert.deepEqual(res.rows, [expected]);
  });

  test(`${K}-term and chains, ${K} pipes of every stateless kind, and ${K} countifs compile and run`, async () => {
    const T = memoryTable('T', [{ name: 'A', type: 'string' }, { name: 'B', type: 'long' }],
      Array.from({ length: 200 }, (_, i) => [`a${i % 50}`, i]));
    const terms = Array.from({ length: K }, (_, i) => `not((A == "a${i}") and (B > 10))`);
    const run = async (q: string) => (await runKql(q, { tables: { T }, now: NOW })).rows;
    // a0..a49 with B > 10 go; B <= 10 (rows 0..10) stay.
    assert.deepEqual(await run(`T | where ${terms.join(' and ')} | count`), [[11]]);
    assert.deepEqual(await run(`T | ${terms.map((t) => `where ${t}`).join(' | ')} | count`), [[11]]);
    assert.deepEqual(await run(`T | ${Array.from({ length: K }, (_, i) => `extend X = ${i}`).join(' | ')} | summarize max(X)`), [[K - 1]]);
    const mixed = Array.from({ length: K / 4 }, (_, i) => `extend C${i % 3} = B + ${i} | where C${i % 3} >= 0 | project-rename D = C${i % 3} | project-away D`).join(' | ');
    assert.deepEqual(await run(`T | ${mixed} | count`), [[200]]);
    const counts = (await run(`T | summarize ${terms.map((t, i) => `h${i}=countif(${t})`).join(', ')}`))[0]!;
    // not((A == "ai") and (B > 10)): true but for rows i, i+50, i+100, i+150 (i < 50) whose B passes 10.
    assert.deepEqual([counts[0], counts[10], counts[11], counts[49], counts[50], counts[K - 1]], [197, 197, 196, 196, 200, 200]);
  });

  test('type errors in a flattened and chain are the ones compileScalar gives', async () => {
    const T = memoryTable('T', [{ name: 'A', type: 'string' }], []);
    const message = async (q: string) => {
      try {
        await runKql(q, { tables: { T }, now: NOW });
      } catch (e) {
        assert.ok(e instanceof KqlError);
        return e.message;
      }
      return assert.fail(`no error for ${q}`);
    };
    assert.match(await message('T | where A == "x" and strlen(A) and true'), /the operator 'and' expects bool operands, not long/);
    assert.match(await message('T | where 5'), /where: the condition must be bool, not long/);
    assert.match(await message('T | where not(A == "x") and nosuch(A)'), /unknown function 'nosuch'/);
  });
});
