// Tabular operators, one golden each: a datatable, a query, and the exact output table.
import { test } from 'node:test';
import { golden } from './helpers.js';

const T = `let T = datatable(Name:string, Size:long, Ts:datetime)[
  'a', 10, datetime(2024-01-01T00:10:00Z),
  'b', 20, datetime(2024-01-01T00:50:00Z),
  'A', 30, datetime(2024-01-01T01:05:00Z),
  'a', long(null), datetime(2024-01-01T02:00:00Z)];
`;

test('where / filter keeps rows whose condition is true (null is not true)', async () => {
  await golden(`${T}T | where Size > 15 | filter Name != 'b'`, { columns: ['Name:string', 'Size:long', 'Ts:datetime'], rows: [['A', 30, '2024-01-01T01:05:00.000Z']] });
  await golden(`${T}T | where Size < 100 or Name == 'zz' | project Name`, { columns: ['Name:string'], rows: [['a'], ['b'], ['A']] });
});

test('project names, renames, computes; unnamed expressions get Kusto default names', async () => {
  await golden(`${T}T | take 1 | project Size, N = Name, strlen(Name), Size * 2, tostring(Size)`, {
    columns: ['Size:long', 'N:string', 'strlen_Name:long', 'Column1:long', 'Size1:string'],
    rows: [[10, 'a', 1, 20, '10']],
  });
});

test('project-away, project-keep (with wildcards) and project-rename', async () => {
  await golden(`${T}T | take 1 | project-away Size`, { columns: ['Name:string', 'Ts:datetime'], rows: [['a', '2024-01-01T00:10:00.000Z']] });
  await golden(`${T}T | take 1 | project-away S*, T*`, { columns: ['Name:string'], rows: [['a']] });
  await golden(`${T}T | take 1 | project-keep N*, Size`, { columns: ['Name:string', 'Size:long'], rows: [['a', 10]] });
  await golden(`${T}T | take 1 | project-rename Bytes = Size`, { columns: ['Name:string', 'Bytes:long', 'Ts:datetime'], rows: [['a', 10, '2024-01-01T00:10:00.000Z']] });
});

test('extend appends and replaces in place; every item reads the input row', async () => {
  await golden(`${T}T | take 2 | extend Double = Size * 2, Name = toupper(Name), Was = Name, Size + 1 | extend Quad = Double * 2`, {
    columns: ['Name:string', 'Size:long', 'Ts:datetime', 'Double:long', 'Was:string', 'Column1:long', 'Quad:long'],
    rows: [
      ['A', 10, '2024-01-01T00:10:00.000Z', 20, 'a', 11, 40],
      ['B', 20, '2024-01-01T00:50:00.000Z', 40, 'b', 21, 80],
    ],
  });
});

test('summarize: by-columns first, then aggregates in order, with Kusto default names', async () => {
  await golden(`${T}T | summarize count(), countif(Size > 15), dcount(Size), min(Size), max(Ts), sum(Size), avg(Size), make_set(Size), make_list(Name), take_any(Name) by Name`, {
    columns: ['Name:string', 'count_:long', 'countif_:long', 'dcount_Size:long', 'min_Size:long', 'max_Ts:datetime', 'sum_Size:long', 'avg_Size:real', 'set_Size:dynamic', 'list_Name:dynamic', 'Name1:string'],
    rows: [
      ['a', 2, 0, 1, 10, '2024-01-01T02:00:00.000Z', 10, 10, [10], ['a', 'a'], 'a'],
      ['b', 1, 1, 1, 20, '2024-01-01T00:50:00.000Z', 20, 20, [20], ['b'], 'b'],
      ['A', 1, 1, 1, 30, '2024-01-01T01:05:00.000Z', 30, 30, [30], ['A'], 'A'],
    ],
  });
});

test('summarize groups on exact, case-sensitive values and names clashing defaults', async () => {
  await golden(`${T}T | summarize Count = count(), count(), count() by Name`, {
    columns: ['Name:string', 'Count:long', 'count_:long', 'count_1:long'],
    rows: [['a', 2, 2, 2], ['b', 1, 1, 1], ['A', 1, 1, 1]],
  });
});

test('summarize by bin(Timestamp, 1h) and by expressions', async () => {
  await golden(`${T}T | summarize n = count() by bin(Ts, 1h), tolower(Name)`, {
    columns: ['Ts:datetime', 'Column1:string', 'n:long'],
    rows: [
      ['2024-01-01T00:00:00.000Z', 'a', 1], ['2024-01-01T00:00:00.000Z', 'b', 1],
      ['2024-01-01T01:00:00.000Z', 'a', 1], ['2024-01-01T02:00:00.000Z', 'a', 1],
    ],
  });
});

test('summarize without by yields one row, even over no rows', async () => {
  await golden(`${T}T | where Size > 1000 | summarize count(), make_set(Name), max(Size)`, {
    columns: ['count_:long', 'set_Name:dynamic', 'max_Size:long'], rows: [[0, [], null]],
  });
  await golden(`${T}T | where Size > 1000 | summarize count() by Name`, { columns: ['Name:string', 'count_:long'], rows: [] });
});

test('make_set drops duplicates and nulls; make_list keeps duplicates', async () => {
  await golden("print x = 1 | extend v = dynamic([1, 1, 2]) | summarize s = make_set(v), l = make_list(v)", {
    columns: ['s:dynamic', 'l:dynamic'], rows: [[[1, 2], [[1, 1, 2]]]],
  });
  await golden(`let R = datatable(R:long)[5, 5, 6, long(null), 5]; R | summarize make_set(R), make_list(R), make_set(R, 1)`, {
    columns: ['set_R:dynamic', 'list_R:dynamic', 'set_R1:dynamic'], rows: [[[5, 6], [5, 5, 6, 5], [5]]],
  });
});

test('arg_max / arg_min return the extreme row, with * for every other column', async () => {
  await golden(`${T}T | summarize arg_max(Ts, *) by Name`, {
    columns: ['Name:string', 'Ts:datetime', 'Size:long'],
    rows: [['a', '2024-01-01T02:00:00.000Z', null], ['b', '2024-01-01T00:50:00.000Z', 20], ['A', '2024-01-01T01:05:00.000Z', 30]],
  });
  await golden(`${T}T | summarize arg_min(Size, Name)`, { columns: ['Size:long', 'Name:string'], rows: [[10, 'a']] });
});

test('summarize may compute over aggregates', async () => {
  await golden(`${T}T | summarize spread = max(Size) - min(Size), twice = count() * 2`, { columns: ['spread:long', 'twice:long'], rows: [[20, 8]] });
});

test('order by / sort by: default descending, nulls last descending and first ascending', async () => {
  await golden(`${T}T | order by Size | project Size`, { columns: ['Size:long'], rows: [[30], [20], [10], [null]] });
  await golden(`${T}T | sort by Size asc | project Size`, { columns: ['Size:long'], rows: [[null], [10], [20], [30]] });
  await golden(`${T}T | sort by Size asc nulls last | project Size`, { columns: ['Size:long'], rows: [[10], [20], [30], [null]] });
  await golden(`${T}T | order by Name asc, Ts desc | project Name, Size`, { columns: ['Name:string', 'Size:long'], rows: [['A', 30], ['a', null], ['a', 10], ['b', 20]] });
});

test('top N by, take and limit', async () => {
  await golden(`${T}T | top 2 by Size | project Name`, { columns: ['Name:string'], rows: [['A'], ['b']] });
  await golden(`${T}T | top 1 by Ts asc | project Name`, { columns: ['Name:string'], rows: [['a']] });
  await golden(`${T}T | take 2 | project Name`, { columns: ['Name:string'], rows: [['a'], ['b']] });
  await golden(`${T}T | limit 0`, { columns: ['Name:string', 'Size:long', 'Ts:datetime'], rows: [] });
});

test('distinct and count', async () => {
  await golden(`${T}T | distinct Name`, { columns: ['Name:string'], rows: [['a'], ['b'], ['A']] });
  await golden(`${T}T | project Name | distinct *`, { columns: ['Name:string'], rows: [['a'], ['b'], ['A']] });
  await golden(`${T}T | count`, { columns: ['Count:long'], rows: [[4]] });
});

const J = `let L = datatable(k:string, l:long)['x', 1, 'x', 2, 'y', 3];
let R = datatable(k:string, r:long)['x', 10, 'x', 11, 'z', 12];
`;

test('join kinds: inner, innerunique (the default), leftouter, leftanti', async () => {
  await golden(`${J}L | join kind=inner R on k`, {
    columns: ['k:string', 'l:long', 'k1:string', 'r:long'],
    rows: [['x', 1, 'x', 10], ['x', 1, 'x', 11], ['x', 2, 'x', 10], ['x', 2, 'x', 11]],
  });
  await golden(`${J}L | join R on k`, {
    columns: ['k:string', 'l:long', 'k1:string', 'r:long'], rows: [['x', 1, 'x', 10], ['x', 1, 'x', 11]],
  });
  await golden(`${J}L | join kind=leftouter (R | where r > 10) on k`, {
    columns: ['k:string', 'l:long', 'k1:string', 'r:long'], rows: [['x', 1, 'x', 11], ['x', 2, 'x', 11], ['y', 3, '', null]],
  });
  await golden(`${J}L | join kind=leftanti R on k`, { columns: ['k:string', 'l:long'], rows: [['y', 3]] });
});

test('join on $left.a == $right.b, and the semi, right and full kinds', async () => {
  await golden(`${J}L | join kind=leftsemi (R | project key = k) on $left.k == $right.key`, { columns: ['k:string', 'l:long'], rows: [['x', 1], ['x', 2]] });
  await golden(`${J}L | join kind=rightanti R on k`, { columns: ['k:string', 'r:long'], rows: [['z', 12]] });
  await golden(`${J}L | join kind=rightouter (R | where r > 10) on k`, {
    columns: ['k:string', 'l:long', 'k1:string', 'r:long'], rows: [['x', 1, 'x', 11], ['x', 2, 'x', 11], ['', null, 'z', 12]],
  });
  await golden(`${J}L | where l > 2 | join kind=fullouter (R | where r > 11) on k`, {
    columns: ['k:string', 'l:long', 'k1:string', 'r:long'], rows: [['y', 3, '', null], ['', null, 'z', 12]],
  });
});
