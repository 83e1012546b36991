// The lexer: token kinds and offsets, every string literal form and escape, datetime and timespan
// literals, comments, and diagnostics (never exceptions) for bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kqlString } from '../../src/kql/escape.js';
import { tokenize } from '../../src/kql/index.js';
import { KDateTime, KTimespan } from '../../src/kql/values.js';
import { assertKusto, run } from './helpers.js';

const kinds = (text: string) => tokenize(text).tokens.map((t) => `${t.kind}:${t.text}`);

test('tokens carry kind, text and offsets; comments are skipped', () => {
  const { tokens, diagnostics } = tokenize('T // note\n| where a !has "x"');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(kinds('T // note\n| where a !has "x"'), [
    'identifier:T', 'punct:|', 'identifier:where', 'identifier:a', 'keyword:!has', 'string:"x"', 'eof:',
  ]);
  const s = tokens[5]!;
  assert.deepEqual([s.start, s.end, s.value], [25, 28, 'x']);
});

test('operators lex as single tokens', () => {
  assert.deepEqual(kinds('a =~ b !~ c in~ d !in~ e !in f == g != h <= i >= j .. k project-away mv-expand !between'), [
    'identifier:a', 'punct:=~', 'identifier:b', 'punct:!~', 'identifier:c', 'keyword:in~', 'identifier:d',
    'keyword:!in~', 'identifier:e', 'keyword:!in', 'identifier:f', 'punct:==', 'identifier:g', 'punct:!=',
    'identifier:h', 'punct:<=', 'identifier:i', 'punct:>=', 'identifier:j', 'punct:..', 'identifier:k',
    'identifier:project-away', 'identifier:mv-expand', 'keyword:!between', 'eof:',
  ]);
  // A minus between names is still subtraction.
  assert.deepEqual(kinds('a-b'), ['identifier:a', 'punct:-', 'identifier:b', 'eof:']);
});

test('each string escape form decodes, in both quote styles', () => {
  const cases: Array<[string, string]> = [
    ['"a\\\\b"', 'a\\b'], ['"q\\"q"', 'q"q'], ["'it\\'s'", "it's"], ['"l1\\nl2"', 'l1\nl2'], ['"\\r\\t"', '\r\t'],
    ['"\\u0041\\u00e9"', 'Aé'], ['"\\x41\\x7e"', 'A~'], ['"\\101"', 'A'], ['"\\U0001F600"', '😀'],
    ["'\"'", '"'], ['"\'"', "'"], ['@"c:\\temp\\x"', 'c:\\temp\\x'], ['@"say ""hi"""', 'say "hi"'],
    ["@'it''s'", "it's"], ['h"secret"', 'secret'], ['```multi\nline```', 'multi\nline'],
  ];
  for (const [text, value] of cases) {
    const { tokens, diagnostics } = tokenize(text);
    assert.deepEqual(diagnostics, [], text);
    assert.equal(tokens[0]!.kind, 'string', text);
    assert.equal(tokens[0]!.value, value, text);
    assertKusto(`print ${text}`);
  }
});

test('escape.ts output reads back as exactly the value', () => {
  const values = ['plain', 'q"uo\'te', 'back\\slash', 'new\nline\r\ttab', 'pipe | semi;', 'ctl\u0001\u001f\u007f', 'üñí 😀', ''];
  for (const v of values) {
    const { tokens, diagnostics } = tokenize(kqlString(v));
    assert.deepEqual(diagnostics, []);
    assert.equal(tokens[0]!.value, v);
  }
});

test('adjacent string literals concatenate', async () => {
  assert.deepEqual((await run(`print s = "a" 'b' @"c"`)).rows, [['abc']]);
});

test('bad escapes and unterminated strings are diagnostics with positions', () => {
  const bad = tokenize('print "a\\qb"');
  assert.equal(bad.diagnostics.length, 1);
  assert.equal(bad.diagnostics[0]!.message, "invalid escape sequence '\\q'");
  assert.deepEqual([bad.diagnostics[0]!.line, bad.diagnostics[0]!.column], [1, 9]);
  const open = tokenize('print 1\n| extend x = "abc');
  assert.equal(open.diagnostics[0]!.message, 'unterminated string literal');
  assert.deepEqual([open.diagnostics[0]!.line, open.diagnostics[0]!.column], [2, 14]);
  assert.equal(tokenize('print "\\x4g"').diagnostics.length, 1);
  assert.equal(tokenize('print #').diagnostics[0]!.message, "unexpected character '#'");
});

test('datetime literals keep sub-millisecond ticks; null is allowed', () => {
  const [a, , b, , c] = tokenize('datetime(2024-01-01T00:00:00.1234567Z), datetime(2024-01-01), datetime(null)').tokens;
  assert.equal(a!.kind, 'datetime');
  assert.deepEqual(a!.value, new KDateTime(Date.UTC(2024, 0, 1) + 123, 4567));
  assert.deepEqual(b!.value, new KDateTime(Date.UTC(2024, 0, 1), 0));
  assert.equal(c!.value, null);
  assert.equal(tokenize('datetime(2024-13-01)').diagnostics[0]!.message, "invalid datetime literal '2024-13-01'");
});

test('timespan literals in every form', () => {
  const cases: Array<[string, number]> = [
    ['5d', 5 * 864_000_000_000], ['1h', 36_000_000_000], ['30m', 18_000_000_000], ['10s', 100_000_000],
    ['100ms', 1_000_000], ['1.5h', 54_000_000_000], ['2min', 1_200_000_000], ['3tick', 3], ['7microseconds', 70],
    ['timespan(1.02:03:04)', 864_000_000_000 + 2 * 36_000_000_000 + 3 * 600_000_000 + 4 * 10_000_000],
    ['timespan(00:00:01.5)', 15_000_000], ['timespan(2d)', 2 * 864_000_000_000],
  ];
  for (const [text, ticks] of cases) {
    const { tokens, diagnostics } = tokenize(text);
    assert.deepEqual(diagnostics, [], text);
    assert.equal(tokens[0]!.kind, 'timespan', text);
    assert.deepEqual(tokens[0]!.value, new KTimespan(ticks), text);
    assertKusto(`print ${text}`);
  }
  assert.equal(tokenize('5parsecs').diagnostics[0]!.message, "invalid number literal '5parsecs'");
});

test('numbers: longs, reals, hex, exponents; `1..2` is a range, not a real', () => {
  const toks = tokenize('42 1.5 0x1F 1e3 1..2').tokens;
  assert.deepEqual(toks.map((t) => t.value), [42, 1.5, 31, 1000, 1, undefined, 2, undefined]);
});
