// The parser: AST shape and offsets (which the hunt builder splices by), diagnostics with line:column,
// and a fuzz proving that no input makes parseKql (or runKql) throw anything but diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallExpr, Expr, PipelineExpr, SummarizeOp } from '../../src/kql/index.js';
import { KqlError, parseKql, runKql, tokenize } from '../../src/kql/index.js';
import { memoryTable } from '../../src/kql/table.js';
import { deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { assertKusto, NOW, run } from './helpers.js';

const HUNT = `let Time_start = now(-5d);
let Time_end = now();
DeviceNetworkEvents
| where Timestamp between (Time_start..Time_end)
| where RemoteUrl has_any ('a.parsec.app', 'b.parsec.app')
| summarize FirstSeen=min(Timestamp), Count=count() by DeviceId, RemoteUrl`;

function calls(e: Expr, out: CallExpr[] = []): CallExpr[] {
  if (e.kind === 'call') out.push(e);
  for (const v of Object.values(e)) {
    if (v && typeof v === 'object' && 'kind' in v) calls(v as Expr, out);
    if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object') calls(('expr' in x ? x.expr : x) as Expr, out);
  }
  return out;
}

test('statements, pipelines and operators carry offsets into the text', () => {
  const { query, diagnostics } = parseKql(HUNT);
  assert.deepEqual(diagnostics, []);
  const [s1, s2, s3] = query!.statements;
  assert.equal(s1!.kind, 'let');
  assert.equal(s2!.kind, 'let');
  assert.equal(s3!.kind, 'expr');
  const p = (s3 as { expr: PipelineExpr }).expr;
  assert.equal(p.kind, 'pipeline');
  assert.deepEqual(p.operators.map((o) => o.kind), ['where', 'where', 'summarize']);
  for (const op of p.operators) assert.equal(HUNT[op.pipeStart], '|');
  const s = p.operators[2] as SummarizeOp;
  assert.equal(HUNT.slice(s.start, s.end), 'summarize FirstSeen=min(Timestamp), Count=count() by DeviceId, RemoteUrl');
  assert.equal(HUNT.slice(s.byStart!, s.byStart! + 2), 'by');
  assert.deepEqual(s.aggregates.map((a) => [a.name, HUNT.slice(a.start, a.end)]), [
    ['FirstSeen', 'FirstSeen=min(Timestamp)'], ['Count', 'Count=count()'],
  ]);
  assert.deepEqual(s.by!.map((b) => HUNT.slice(b.start, b.end)), ['DeviceId', 'RemoteUrl']);
});

test('now()/ago() calls expose name, args and offsets, so a pinned literal can replace them', async () => {
  const text = 'print a = now(-5d), b = ago(1h), c = now()';
  const { query } = parseKql(text);
  const st = query!.statements[0]!;
  const found = calls(st.kind === 'expr' ? st.expr : st.value);
  assert.deepEqual(found.map((c) => [c.name, text.slice(c.start, c.end), c.args.length]), [
    ['now', 'now(-5d)', 1], ['ago', 'ago(1h)', 1], ['now', 'now()', 0],
  ]);
  // Splice pinned literals in from the end, as the hunt builder does.
  let pinned = text;
  for (const c of [...found].reverse()) pinned = pinned.slice(0, c.start) + 'datetime(2024-06-10T12:00:00.0000000Z)' + pinned.slice(c.end);
  assertKusto(pinned);
  assert.deepEqual((await run(pinned)).rows, [['2024-06-10T12:00:00.000Z', '2024-06-10T12:00:00.000Z', '2024-06-10T12:00:00.000Z']]);
});

test('text spliced at summarize offsets stays valid and runs', async () => {
  const base = "let T = datatable(DeviceId:string, RemoteUrl:string)['d1','x', 'd2', 'y', 'd1', 'z']; T | summarize Count=count() by DeviceId";
  const s = ((parseKql(base).query!.statements[1]! as { expr: PipelineExpr }).expr.operators[0]) as SummarizeOp;
  const lastAgg = s.aggregates[s.aggregates.length - 1]!;
  const spliced = `${base.slice(0, s.pipeStart)}| where not(RemoteUrl == 'z') ${base.slice(s.pipeStart, lastAgg.end)}, Urls=make_set(RemoteUrl) ${base.slice(s.byStart)}`;
  assertKusto(spliced);
  assert.deepEqual((await run(spliced)).rows, [['d1', 1, ['x']], ['d2', 1, ['y']]]);
});

test('and binds tighter than or', () => {
  const { query } = parseKql('T | where a == 1 or b == 2 and c == 3');
  const where = (query!.statements[0] as { expr: PipelineExpr }).expr.operators[0]!;
  const pred = (where as { predicate: Expr }).predicate;
  assert.equal(pred.kind === 'binary' && pred.op, 'or');
  assert.equal(pred.kind === 'binary' && pred.right.kind === 'binary' && pred.right.op, 'and');
});

test('syntax errors are positioned diagnostics; parsing goes on after them', () => {
  const { diagnostics } = parseKql('T\n| where a ==\n| foo\n| mv-expand x\n| project b');
  assert.deepEqual(diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`), [
    "3:1: expected an expression, found '|'",
    "3:3: unknown tabular operator 'foo'",
    "4:3: unsupported tabular operator 'mv-expand'",
  ]);
  const d = diagnostics[0]!;
  assert.equal(d.severity, 'error');
  assert.deepEqual([d.start, d.end], [15, 16]);
});

// A small deterministic PRNG, so a failure reproduces.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const CORPUS = [
  HUNT,
  "let T = datatable(a:string, b:long)['x', 1, 'y', 2]; T | where a in~ ('X') | extend c = b * 2 | order by c desc nulls last",
  'print x = dynamic({"k": [1, 2.5, "s", null]}), y = @"c:\\t""q", z = datetime(2024-01-01T00:00:00.1234567Z) | extend w = x.k[0]',
  "T | join kind=leftanti (U | where x !has 'a') on $left.a == $right.b | top 5 by a asc | project-away b, c*",
  "T | summarize arg_max(t, *) by bin(Timestamp, 1h), tolower(Name) | take 10 | distinct *",
];
const PIECES = ['(', ')', '[', ']', '|', ',', ';', '"', "'", '@"', '..', '==', '=~', '!has', 'in~', 'by', 'let', '*', '-', '\\', '{', '}', '```', 'datetime(', 'timespan(', 'dynamic(', '5d', '\n', '//', 'summarize', 'join', '$left.', '0x', '1e', '\u0000', '😀'];

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0: t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 8)); break;
      case 1: t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)]! + t.slice(at); break;
      case 2: t = t.slice(0, at); break;
      case 3: t = t.slice(0, at) + t.slice(Math.floor(r() * t.length)); break;
      default: t = t.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + t.slice(at);
    }
  }
  return t;
}

test('fuzz: mutated queries never make the lexer or parser throw', () => {
  const r = rng(20240610);
  for (let i = 0; i < 3000; i++) {
    const text = mutate(CORPUS[i % CORPUS.length]!, r);
    const lexed = tokenize(text);
    assert.ok(Array.isArray(lexed.diagnostics));
    const parsed = parseKql(text);
    assert.ok(Array.isArray(parsed.diagnostics), text);
    for (const d of parsed.diagnostics) {
      assert.ok(d.line >= 1 && d.column >= 1 && d.start <= d.end && d.end <= text.length + 1, JSON.stringify({ text, d }));
    }
  }
  // Deep nesting is a diagnostic, not a stack overflow.
  assert.equal(parseKql('print ' + '('.repeat(5000) + '1' + ')'.repeat(5000)).diagnostics[0]?.message, 'expression is nested too deeply');
  assert.ok(parseKql('print ' + '-'.repeat(100000) + '1').diagnostics.length > 0);
});

test('fuzz: runKql on mutated queries resolves or rejects with KqlError, nothing else', async () => {
  const r = rng(7);
  const dne = memoryTable('DeviceNetworkEvents', deviceNetworkEventsColumns, []);
  const ab = memoryTable('T', [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }, { name: 't', type: 'datetime' }], [['x', 1, NOW]]);
  const tables = { DeviceNetworkEvents: dne, T: ab, U: ab };
  for (let i = 0; i < 1500; i++) {
    const text = mutate(CORPUS[i % CORPUS.length]!, r);
    try {
      await runKql(text, { tables, now: NOW });
    } catch (e) {
      assert.ok(e instanceof KqlError, `${text}\n=> ${String(e)}`);
      assert.match(e.message, /^\d+:\d+: /);
    }
  }
});
