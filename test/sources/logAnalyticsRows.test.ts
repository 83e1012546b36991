// Row mapping and error text for Log Analytics responses, cell by cell: the forms the service sends, and the
// SDK's own converted forms (Date objects, parsed dynamics) that the source falls back to.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KDateTime, KTimespan } from '../../src/kql/values.js';
import { convertCell, convertTable, parseServiceTimespan, rawTables, serviceErrorText } from '../../src/sources/logAnalyticsRows.js';

describe('convertCell', () => {
  it('reads datetimes exactly from the service text, and from an SDK Date to the millisecond', () => {
    assert.deepEqual(convertCell('datetime', '2024-05-30T08:15:42.1234567Z'), { ok: true, value: new KDateTime(Date.UTC(2024, 4, 30, 8, 15, 42, 123), 4567) });
    assert.deepEqual(convertCell('datetime', new Date('2024-05-30T08:15:42.123Z')), { ok: true, value: new KDateTime(Date.UTC(2024, 4, 30, 8, 15, 42, 123), 0) });
    assert.deepEqual(convertCell('datetime', 'yesterday'), { ok: false, problem: 'not a valid datetime: "yesterday"' });
  });

  it('reads numbers, including the string forms Kusto uses for non-finite reals', () => {
    assert.deepEqual(convertCell('long', 42), { ok: true, value: 42 });
    assert.deepEqual(convertCell('real', 'NaN'), { ok: true, value: Number.NaN });
    assert.deepEqual(convertCell('real', '-Infinity'), { ok: true, value: -Infinity });
    assert.deepEqual(convertCell('int', 'x'), { ok: false, problem: 'not a valid int: "x"' });
  });

  it('reads dynamic JSON text, keeps SDK-parsed values, and keeps non-JSON text as a string', () => {
    assert.deepEqual(convertCell('dynamic', '["a","b"]'), { ok: true, value: ['a', 'b'] });
    assert.deepEqual(convertCell('dynamic', ['a', 'b']), { ok: true, value: ['a', 'b'] });
    assert.deepEqual(convertCell('dynamic', 'not json'), { ok: true, value: 'not json' });
  });

  it('reads bools and keeps nulls', () => {
    assert.deepEqual(convertCell('bool', false), { ok: true, value: false });
    assert.deepEqual(convertCell('bool', 1), { ok: true, value: true });
    assert.deepEqual(convertCell('string', null), { ok: true, value: null });
  });
});

describe('parseServiceTimespan', () => {
  it('reads [-][d.]hh:mm:ss[.fffffff] into 100 ns ticks', () => {
    assert.deepEqual(parseServiceTimespan('00:05:00'), new KTimespan(300 * 10_000_000));
    assert.deepEqual(parseServiceTimespan('-2.00:00:00.0000001'), new KTimespan(-(2 * 86_400 * 10_000_000 + 1)));
    assert.equal(parseServiceTimespan('00:61:00'), null);
    assert.equal(parseServiceTimespan('5m'), null);
  });
});

describe('convertTable', () => {
  it('maps decimal to real, unknown types to dynamic, and bad cells to null with a warning', () => {
    const t = convertTable(
      [{ name: 'D', type: 'decimal' }, { name: 'X', type: 'blob' }, { name: 'T', type: 'datetime' }],
      [['1.5', 'raw', 'soon']],
    );
    assert.deepEqual(t.columns, [{ name: 'D', type: 'real' }, { name: 'X', type: 'dynamic' }, { name: 'T', type: 'datetime' }]);
    assert.deepEqual(t.rows, [[1.5, 'raw', null]]);
    assert.deepEqual(t.warnings, [
      'log analytics: column X has type "blob", which has no local type; read as dynamic',
      'log analytics: row 1, column T: not a valid datetime: "soon"; read as null',
    ]);
  });

  it('accepts only the documented response shape as raw tables', () => {
    assert.equal(rawTables({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'a' }], rows: [] }] }), undefined);
    assert.equal(rawTables('<html>'), undefined);
    assert.deepEqual(rawTables({ tables: [] }), []);
  });
});

describe('serviceErrorText', () => {
  it('joins every level outermost first and drops repeats', () => {
    const text = serviceErrorText({
      code: 'BadArgumentError',
      message: 'The request had some invalid properties',
      details: [{ code: 'BadArgumentError', message: 'The request had some invalid properties' }],
      innererror: { code: 'SemanticError', message: "'where' operator: Failed to resolve column\nnamed 'Foo'" },
    });
    assert.equal(text, "BadArgumentError: The request had some invalid properties; SemanticError: 'where' operator: Failed to resolve column named 'Foo'");
    assert.equal(serviceErrorText(undefined), undefined);
    assert.equal(serviceErrorText({ code: 'Throttled' }), 'Throttled');
  });
});
