// Statements and sources: let (scalars, dynamic lists, tabular, chained), datatable, print, range,
// toscalar and `in` over a subquery; the result is the last tabular statement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { golden, run, table } from './helpers.js';

test('let binds scalars, lists and tables; later lets see earlier ones', async () => {
  await golden(`let Limit = 2;
let Names = dynamic(['a', 'c']);
let Base = datatable(Name:string, N:long)['a', 1, 'b', 2, 'c', 3];
let Picked = Base | where Name in (Names);
Picked | where N >= Limit`, { columns: ['Name:string', 'N:long'], rows: [['c', 3]] });
});

test('a let may shadow a table of the same name', async () => {
  const events = table('Events', 'Name:string', [['x'], ['y']]);
  const r = await run("let Events = Events | where Name == 'y'; Events | count", { Events: events });
  assert.deepEqual(r.rows, [[1]]);
});

test('print gives one row; unnamed columns are print_N by position', async () => {
  await golden('print 1, x = "two", 3.5', { columns: ['print_0:long', 'x:string', 'print_2:real'], rows: [[1, 'two', 3.5]] });
});

test('datatable with every column type', async () => {
  await golden(`datatable(s:string, l:long, i:int, r:real, b:bool, t:datetime, ts:timespan, d:dynamic)[
  "x", 1, int(2), 2.5, true, datetime(2024-01-01), 1h, dynamic({"a": [1]}),
  "", long(null), int(null), real(null), bool(null), datetime(null), timespan(null), dynamic(null)]`, {
    columns: ['s:string', 'l:long', 'i:int', 'r:real', 'b:bool', 't:datetime', 'ts:timespan', 'd:dynamic'],
    rows: [
      ['x', 1, 2, 2.5, true, '2024-01-01T00:00:00.000Z', '01:00:00', { a: [1] }],
      ['', null, null, null, null, null, null, null],
    ],
  });
});

test('range generates a column', async () => {
  await golden('range x from 1 to 7 step 3', { columns: ['x:long'], rows: [[1], [4], [7]] });
});

test('toscalar and `in` over a tabular subquery run before the main scan', async () => {
  await golden(`let Seen = datatable(Id:string)['d1', 'd3'];
let MaxN = toscalar(datatable(N:long)[4, 9, 2] | summarize max(N));
datatable(Id:string, N:long)['d1', 9, 'd2', 9, 'd3', 1]
| where Id in (Seen) and N == MaxN
| extend Excluded = Id in (Seen | where Id != 'd1')`, { columns: ['Id:string', 'N:long', 'Excluded:bool'], rows: [['d1', 9, false]] });
});

test('the last tabular statement is the result', async () => {
  await golden("print a = 1; print b = 'second'", { columns: ['b:string'], rows: [['second']] });
});
