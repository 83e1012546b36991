// Errors are diagnostics with line:column, for syntax, unknown names, unsupported constructs and type
// errors, raised before any data is read. runKql throws KqlError whose message is the first diagnostic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, KqlError, parseKql, runKql } from '../../src/kql/index.js';
import type { TableSource } from '../../src/kql/table.js';
import { deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import { failure, NOW } from './helpers.js';

/** A table that fails the test if anyone reads it. */
function untouchable(): TableSource {
  return {
    name: 'DeviceNetworkEvents',
    columns: deviceNetworkEventsColumns,
    scan() {
      throw new Error('the table was read');
    },
  };
}

const tables = () => ({ DeviceNetworkEvents: untouchable() });

test('an unknown column is reported at its position, before any data is read', async () => {
  const q = 'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where Foo == 1';
  assert.equal(await failure(q, tables()), "3:9: unknown column 'Foo'");
  assert.equal(await failure('DeviceNetworkEvents | summarize count() by DeviceNam', tables()), "1:44: unknown column 'DeviceNam'");
  assert.equal(await failure('DeviceNetworkEvents | project-away Nope', tables()), "1:36: unknown column 'Nope'");
});

test('unknown and unsupported functions and operators name the construct', async () => {
  assert.equal(await failure('DeviceNetworkEvents\n| where frobnicate(RemoteUrl)', tables()), "2:9: unknown function 'frobnicate'");
  assert.equal(await failure('DeviceNetworkEvents\n| extend x = extract("a", 0, RemoteUrl)', tables()), "2:14: unsupported function 'extract'");
  assert.equal(await failure('DeviceNetworkEvents\n| mv-expand AdditionalFields', tables()), "2:3: unsupported tabular operator 'mv-expand'");
  assert.equal(await failure('DeviceNetworkEvents | frobnicate', tables()), "1:23: unknown tabular operator 'frobnicate'");
  assert.equal(await failure('union DeviceNetworkEvents, DeviceNetworkEvents', tables()), "1:1: unsupported tabular operator 'union'");
  assert.equal(await failure('DeviceNetworkEvents | where count() > 1', tables()), "1:29: aggregation function 'count' is only valid in summarize");
  assert.equal(await failure('DeviceNetworkEvents | join kind=weird (DeviceNetworkEvents) on DeviceId', tables()), "1:23: unknown join kind 'weird'");
});

test('syntax errors give line:column and what was expected', async () => {
  assert.equal(await failure('DeviceNetworkEvents\n| where RemoteUrl has_any ("a", "b"', tables()), "2:36: expected ')' to close the 'has_any' list, found the end of the query");
  assert.equal(await failure('DeviceNetworkEvents | where Timestamp between (ago(1d), now())', tables()), "1:55: expected '..' between the bounds of between, found ','");
  assert.equal(await failure("print 'unterminated", tables()), '1:7: unterminated string literal');
});

test('type errors are diagnostics', async () => {
  assert.equal(await failure('DeviceNetworkEvents | where RemotePort has "443"', tables()), "1:29: the operator 'has' is not defined for int and string");
  assert.equal(await failure('DeviceNetworkEvents | where Timestamp > "2024-01-01"', tables()), "1:29: the operator '>' is not defined for datetime and string");
  assert.equal(await failure('DeviceNetworkEvents | where strlen(RemoteUrl)', tables()), '1:29: where: the condition must be bool, not long');
  assert.equal(await failure('print x = 1, x = 2', tables()), "1:14: a column named 'x' is already declared");
});

test('KqlError carries every diagnostic; formatDiagnostic prints line:col: message', async () => {
  const q = 'T\n| where (\n| foo';
  const parsed = parseKql(q);
  assert.deepEqual(parsed.diagnostics.map(formatDiagnostic), ["3:1: expected an expression, found '|'", "3:3: unknown tabular operator 'foo'"]);
  await assert.rejects(runKql(q, { tables: {}, now: NOW }), (e: unknown) => {
    assert.ok(e instanceof KqlError);
    assert.equal(e.message, "3:1: expected an expression, found '|'");
    assert.equal(e.diagnostics.length, 2);
    assert.deepEqual([e.diagnostics[1]!.line, e.diagnostics[1]!.column, e.diagnostics[1]!.start], [3, 3, 14]);
    return true;
  });
});

test('an unknown table is a diagnostic', async () => {
  assert.equal(await failure('DeviceEvents | take 1', tables()), "1:1: unknown table 'DeviceEvents'");
});
