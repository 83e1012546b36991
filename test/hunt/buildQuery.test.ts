import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHuntQuery, ENRICHMENT, findAnchors } from '../../src/hunt/buildQuery.js';
import { parseDateTime } from '../../src/kql/values.js';
import { kustoErrors } from '../support/kustoParser.js';
import { seedQuery } from '../support/seed.js';
import type { Condition } from '../../src/exclusions/model.js';

const NOW = parseDateTime('2026-12-01T12:00:00.1234567Z')!;
const HOSTILE = ['a"b', "it's", 'back\\slash', 'new\nline', 'pipe | where true', 'uni-ção-日本-🙂', '\t tab', '") or true //'];

test('the seed query is valid KQL for the real schema, as shipped', () => {
  assert.deepEqual(kustoErrors(seedQuery()), []);
});

test('the built query keeps the rule text, adds enrichment to the summarize, and stays valid', () => {
  const q = buildHuntQuery(seedQuery());
  assert.deepEqual(kustoErrors(q), []);
  assert.ok(q.startsWith('let Time_start = now(-5d);'), 'rule text is kept verbatim up to the edits');
  for (const [name, col] of ENRICHMENT) assert.ok(q.includes(`${name}=make_set(${col})`), `${name} is aggregated`);
  const summarize = q.indexOf('| summarize');
  const by = q.indexOf(' by DeviceId', summarize);
  assert.ok(q.indexOf('Processes=make_set') > summarize && q.indexOf('Processes=make_set') < by, 'enrichment goes before by');
});

test('a pinned clock replaces now() and now(offset) with datetime literals of all seven digits', () => {
  const q = buildHuntQuery(seedQuery(), { now: NOW });
  assert.deepEqual(kustoErrors(q), []);
  assert.doesNotMatch(q, /\bnow\s*\(/);
  assert.match(q, /let Time_start = \(datetime\(2026-12-01T12:00:00\.1234567Z\) \+ \(-5d\)\);/);
  assert.match(q, /let Time_end = datetime\(2026-12-01T12:00:00\.1234567Z\);/);
  const ago = buildHuntQuery('DeviceNetworkEvents | where Timestamp > ago(1h) | summarize count() by DeviceId', { now: NOW });
  assert.match(ago, /Timestamp > \(datetime\(2026-12-01T12:00:00\.1234567Z\) - \(1h\)\)/);
  assert.deepEqual(kustoErrors(ago), []);
});

test('exclusions with hostile values go in before the first summarize and parse cleanly', () => {
  const exclusions = HOSTILE.map((v, i) => ({
    id: i + 1,
    conditions: [
      { column: 'DeviceId', op: '==', values: [`dev-${i}`] },
      { column: 'InitiatingProcessAccountName', op: 'in~', values: [v, 'other'] },
    ] as Condition[],
  }));
  const q = buildHuntQuery(seedQuery(), { now: NOW, exclusions });
  assert.deepEqual(kustoErrors(q), []);
  const firstWhereNot = q.indexOf('| where not(');
  assert.ok(firstWhereNot > 0 && firstWhereNot < q.indexOf('| summarize'));
  assert.equal(q.split('| where not(').length - 1, HOSTILE.length);
  assert.ok(q.includes('"pipe | where true"'), 'a pipe inside a value stays inside its string literal');
  assert.ok(q.includes('"new\\nline"'), 'a newline is escaped, not emitted');
});

test('anchors come from tokens: a summarize inside a comment or a string is not the summarize', () => {
  const text = [
    "// | summarize this is a comment",
    "DeviceNetworkEvents",
    "| where RemoteUrl != '| summarize by x'",
    "| summarize Count=count() by DeviceId",
  ].join('\n');
  const a = findAnchors(text);
  assert.equal(a.summarizePipe, text.lastIndexOf('| summarize'));
  const q = buildHuntQuery(text, { exclusions: [{ id: 9, conditions: [{ column: 'DeviceId', op: '==', values: ['x'] }] }] });
  assert.deepEqual(kustoErrors(q), []);
  assert.ok(q.indexOf('// exclusion 9') < q.lastIndexOf('| summarize') && q.indexOf('// exclusion 9') > q.indexOf("'| summarize by x'"));
});

test('a query without summarize gets its exclusions at the end, and no enrichment', () => {
  const q = buildHuntQuery('DeviceNetworkEvents\n| where RemoteUrl has "parsec.app"\n', {
    exclusions: [{ id: 1, conditions: [{ column: 'DeviceName', op: '=~', values: ['a'] }] }],
  });
  assert.deepEqual(kustoErrors(q), []);
  assert.match(q, /has "parsec\.app"\n\| where not\(.*DeviceName =~ "a".*\) \/\/ exclusion 1\n$/);
  assert.ok(!q.includes('make_set'));
});
