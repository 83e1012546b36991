// The tuned hunting-query YAML: the rule's Sentinel fields and its other top-level fields, not the product's
// scenarios; the query is the hunt's build with the exclusions before the summarize, as a block scalar that
// parses back byte for byte; past Sentinel's 10,000 characters it refuses and points to the watchlist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { toQueryExclusion } from '../../src/exclusions/compile.js';
import { exportExclusions, ExportError, SENTINEL_QUERY_LIMIT, type ExportRule } from '../../src/exclusions/export/index.js';
import { buildHuntQuery } from '../../src/hunt/buildQuery.js';
import { findRule, loadRules } from '../../src/rules/index.js';
import type { ExclusionCreateInput, Store } from '../../src/store/index.js';
import { kustoErrors } from '../support/kustoParser.js';
import { fresh, RULE } from '../store/support.js';

const AT = new Date('2024-05-10T12:00:00.000Z');
const seedRule = findRule(loadRules(), RULE);
const rule: ExportRule = {
  ...seedRule,
  extra: { version: '1.0.0', tags: ['RMM', 'T1219'], entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] }] },
};

function active(store: Store, input: Omit<ExclusionCreateInput, 'ruleId' | 'author'>): void {
  const x = store.exclusions.create({ ruleId: RULE, author: 'alice', ...input }, 'alice');
  store.exclusions.approve(x.id, 'bob', 'bob');
}

test('the tuned rule keeps the Sentinel fields and the extras, drops the scenarios, and round-trips its query', (t) => {
  const { store } = fresh(t);
  const hostile = ['a"b', "it's: # not a comment", 'back\\slash', 'new\nline', '  leading', 'trailing  ', '🙂 ção', '- item', '|', '>'];
  hostile.forEach((v, i) =>
    active(store, {
      scope: 'device',
      deviceId: `dev-${i}`,
      scenario: 4,
      conditions: [
        { column: 'DeviceId', op: '==', values: [`dev-${i}`] },
        { column: 'InitiatingProcessParentFileName', op: 'in~', values: [v, 'setup.exe'] },
      ],
    }),
  );
  const exclusions = store.exclusions.list({ ruleId: RULE });
  const { files } = exportExclusions('rule', { rule, exclusions, generatedAt: AT });
  assert.equal(files.length, 1);
  const text = files[0]!.content;
  assert.equal(files[0]!.name, 'parsec-network-connection.tuned.yaml');

  const doc = parseDocument(text);
  assert.deepEqual(doc.errors, []);
  const back = doc.toJS() as Record<string, unknown>;
  assert.deepEqual(Object.keys(back), [
    'id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query', 'version', 'tags', 'entityMappings',
  ]);
  assert.equal(back.description, seedRule.description);
  assert.deepEqual(back.tags, ['RMM', 'T1219']);
  assert.ok(!('scenarios' in back) && !('impliedClauses' in back), 'the product-only fields are not exported');

  const want = buildHuntQuery(seedRule.query, { exclusions: store.exclusions.active(RULE, AT).map(toQueryExclusion), enrich: false });
  assert.equal(back.query, want, 'the query parses back byte for byte');
  assert.match(text, /^query: \|[-+]?$/m, 'the query is a block scalar');
  assert.ok(!want.includes('make_set(InitiatingProcessFileName)'), 'no triage enrichment');
  assert.match(want, /now\(-5d\)/, 'no pinned clock');
  assert.ok(want.indexOf('| where not(') < want.indexOf('| summarize'), 'exclusions before the summarize');
  assert.deepEqual(kustoErrors(back.query as string), []);
  assert.match(text, /^# Tuned by Parsec triage at 2024-05-10T12:00:00\.000Z: rule 070b55d3-eb84-4312-a116-1af9965cd6e4 with 10 exclusions applied/);
});

test('a tuned query past 10,000 characters is refused with a pointer to the watchlist format', (t) => {
  const { store } = fresh(t);
  for (let i = 0; i < 120; i++) {
    active(store, { scope: 'rule', conditions: [{ column: 'InitiatingProcessAccountName', op: '==', values: [`service-account-with-a-long-name-${i}`] }] });
  }
  const exclusions = store.exclusions.list({ ruleId: RULE });
  assert.throws(
    () => exportExclusions('rule', { rule, exclusions, generatedAt: AT }),
    (e: unknown) =>
      e instanceof ExportError &&
      e.code === 'query_too_long' &&
      /^export: the tuned query is [\d,]+ characters with 120 exclusions inline, over Sentinel's 10,000-character limit for a rule query; use --format watchlist/.test(e.message),
  );
  const { files, warnings } = exportExclusions('watchlist', { rule, exclusions, generatedAt: AT });
  assert.deepEqual(warnings, []);
  assert.ok(files[1]!.content.length < SENTINEL_QUERY_LIMIT, 'the watchlist query fits');
  assert.equal(files[0]!.content.trimEnd().split('\r\n').length, 121, 'a header and one row per exclusion');

  const few = exclusions.slice(0, 10);
  const ok = exportExclusions('rule', { rule, exclusions: few, generatedAt: AT }).files[0]!.content;
  assert.equal((parse(ok) as { query: string }).query.split('| where not(').length - 1, 10, 'under the limit it exports');
});
