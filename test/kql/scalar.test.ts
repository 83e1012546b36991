// Scalar semantics: arithmetic and its types, datetime/timespan math with 100 ns precision, between at
// its exact edges, the pinned clock, null propagation, and the built-in functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKql } from '../../src/kql/index.js';
import { golden, NOW, run } from './helpers.js';

test('arithmetic: int/long stay whole (division truncates), real spreads', async () => {
  await golden('print a = 7 / 2, b = -7 / 2, c = 7 % 3, d = 7.0 / 2, e = int(7) + int(1), f = 2 * 3 - 1, g = -(3)', {
    columns: ['a:long', 'b:long', 'c:long', 'd:real', 'e:long', 'f:long', 'g:long'], rows: [[3, -3, 1, 3.5, 8, 5, -3]],
  });
});

test('datetime and timespan arithmetic', async () => {
  await golden('print a = datetime(2024-01-02) - datetime(2024-01-01), b = datetime(2024-01-01) + 36h, c = datetime(2024-01-01) - 1d, d = 2h * 3, e = 1d / 4, f = 1d / 1h, g = -1h + 30m', {
    columns: ['a:timespan', 'b:datetime', 'c:datetime', 'd:timespan', 'e:timespan', 'f:real', 'g:timespan'],
    rows: [['1.00:00:00', '2024-01-02T12:00:00.000Z', '2023-12-31T00:00:00.000Z', '06:00:00', '06:00:00', 24, '-00:30:00']],
  });
});

test('datetimes keep sub-millisecond ticks through literals, math and comparison', async () => {
  await golden('print a = datetime(2024-01-01T00:00:00.1234567Z), b = datetime(2024-01-01T00:00:00.1234567Z) + 1tick, c = datetime(2024-01-01T00:00:00.1234568Z) > datetime(2024-01-01T00:00:00.1234567Z), d = datetime(2024-01-01T00:00:00.1234568Z) - datetime(2024-01-01T00:00:00.1234567Z)', {
    columns: ['a:datetime', 'b:datetime', 'c:bool', 'd:timespan'],
    rows: [['2024-01-01T00:00:00.1234567Z', '2024-01-01T00:00:00.1234568Z', true, '00:00:00.0000001']],
  });
});

test('between is inclusive at both ends, one tick outside is out; datetime .. timespan', async () => {
  await golden(`let T = datatable(t:datetime)[
    datetime(2024-01-01T00:00:00Z), datetime(2024-01-02T00:00:00Z),
    datetime(2023-12-31T23:59:59.9999999Z), datetime(2024-01-02T00:00:00.0000001Z), datetime(null)];
    T | extend inRange = t between (datetime(2024-01-01) .. datetime(2024-01-02)), bySpan = t between (datetime(2024-01-01) .. 1d), outside = t !between (datetime(2024-01-01) .. 1d)`, {
    columns: ['t:datetime', 'inRange:bool', 'bySpan:bool', 'outside:bool'],
    rows: [
      ['2024-01-01T00:00:00.000Z', true, true, false],
      ['2024-01-02T00:00:00.000Z', true, true, false],
      ['2023-12-31T23:59:59.9999999Z', false, false, true],
      ['2024-01-02T00:00:00.0000001Z', false, false, true],
      [null, null, null, null],
    ],
  });
  await golden('print a = 5 between (1 .. 5), b = 0.5 between (1 .. 5), c = 90m between (1h .. 2h)', { columns: ['a:bool', 'b:bool', 'c:bool'], rows: [[true, false, true]] });
});

test('now(), now(offset) and ago() read the pinned clock', async () => {
  await golden('print a = now(), b = now(-5d), c = ago(1h), d = now(1.5h)', {
    columns: ['a:datetime', 'b:datetime', 'c:datetime', 'd:datetime'],
    rows: [['2024-06-10T12:00:00.000Z', '2024-06-05T12:00:00.000Z', '2024-06-10T11:00:00.000Z', '2024-06-10T13:30:00.000Z']],
  });
  const other = await run('print now()', {}, new Date('2030-01-01T00:00:00.000Z'));
  assert.deepEqual(other.rows, [['2030-01-01T00:00:00.000Z']]);
});

test('nulls propagate through comparison and arithmetic; and/or are three-valued', async () => {
  await golden('print a = long(null) == 1, b = long(null) + 1, c = isnull(long(null) > 0), d = (long(null) > 0) or true, e = (long(null) > 0) and false, f = isnull(1 == long(null) and true)', {
    columns: ['a:bool', 'b:long', 'c:bool', 'd:bool', 'e:bool', 'f:bool'], rows: [[null, null, true, true, false, true]],
  });
});

test('string columns are never null: a missing value reads as ""', async () => {
  const t = { name: 'T', columns: [{ name: 's', type: 'string' as const }, { name: 'n', type: 'long' as const }], async *scan() { yield [[null, null]]; } };
  const r = await runKql('T | extend e = isempty(s), m = isnull(n)', { tables: { T: t }, now: NOW });
  assert.deepEqual(r.rows, [['', null, true, true]]);
});

test('bin() on numbers, datetimes and timespans', async () => {
  await golden('print a = bin(7, 5), b = bin(7.5, 2), c = bin(datetime(2024-06-10T12:34:56.789Z), 1h), d = bin(datetime(2024-06-10T12:34:56Z), 1d), e = bin(100m, 1h), f = floor(9, 4)', {
    columns: ['a:long', 'b:real', 'c:datetime', 'd:datetime', 'e:timespan', 'f:long'],
    rows: [[5, 6, '2024-06-10T12:00:00.000Z', '2024-06-10T00:00:00.000Z', '01:00:00', 8]],
  });
});

test('conversions, iff, case, coalesce', async () => {
  await golden('print a = toint("42"), b = tolong("x"), c = toreal("1.5"), d = tostring(12), e = todatetime("2024-01-01T10:00:00Z"), f = totimespan("01:30:00"), g = tobool("true"), h = iff(1 > 2, "y", "n"), i = iif(true, 1, 2), j = case(false, 1, true, 2, 3), k = coalesce(long(null), 7)', {
    columns: ['a:int', 'b:long', 'c:real', 'd:string', 'e:datetime', 'f:timespan', 'g:bool', 'h:string', 'i:long', 'j:long', 'k:long'],
    rows: [[42, null, 1.5, '12', '2024-01-01T10:00:00.000Z', '01:30:00', true, 'n', 1, 2, 7]],
  });
});

test('IPv4 functions', async () => {
  await golden(`print a = ipv4_is_in_range("10.1.2.3", "10.0.0.0/8"), b = ipv4_is_in_range("11.1.2.3", "10.0.0.0/8"), c = ipv4_is_in_range("10.1.2.3", "10.1.2.3"),
    d = ipv4_is_in_any_range("192.168.1.1", "10.0.0.0/8", "192.168.0.0/16"), e = ipv4_is_in_any_range("8.8.8.8", dynamic(["10.0.0.0/8", "8.8.0.0/16"])),
    f = ipv4_is_private("172.31.255.255"), g = ipv4_is_private("172.32.0.1"), h = ipv4_is_private("not-an-ip"), i = parse_ipv4("1.2.3.4")`, {
    columns: ['a:bool', 'b:bool', 'c:bool', 'd:bool', 'e:bool', 'f:bool', 'g:bool', 'h:bool', 'i:long'],
    rows: [[true, false, true, true, true, true, false, null, 16909060]],
  });
});

test('dynamic values: literals, member and index access, array functions, in over a dynamic list', async () => {
  await golden('print d = dynamic({"k": [1, "two", null], "n": {"x": 5}}) | extend a = d.k[1], b = d["n"].x, c = d.k[-1], e = array_length(d.k), f = set_has_element(d.k, 1), g = 1 in (d.k), h = d.absent', {
    columns: ['d:dynamic', 'a:dynamic', 'b:dynamic', 'c:dynamic', 'e:long', 'f:bool', 'g:bool', 'h:dynamic'],
    rows: [[{ k: [1, 'two', null], n: { x: 5 } }, 'two', 5, null, 3, true, true, null]],
  });
});

test('in / !in with literal lists and let-bound lists', async () => {
  await golden('let L = dynamic(["a", "b"]); let N = 3; print a = "a" in (L), b = "c" !in (L), c = 3 in (1, N), d = 2 in (1, 3), e = "B" in~ (L)', {
    columns: ['a:bool', 'b:bool', 'c:bool', 'd:bool', 'e:bool'], rows: [[true, true, true, false, true]],
  });
});
