// The committed catalogue: the parsec rule as the seed gives it, its five scenarios, their lint and templates.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileConditions, describeConditions } from '../../src/exclusions/model.js';
import { findRule, lintScenario, loadLists, loadRules, resolveTemplate, type FindingAttributes } from '../../src/rules/index.js';
import { kustoErrors } from '../support/kustoParser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rulesDir = join(root, 'data/rules');
const listsDir = join(root, 'data/lists');
const seedFixture = fileURLToPath(new URL('./fixtures/seed-parsec.txt', import.meta.url));
// The shared seed sits beside the project when it is checked out in its workspace; the fixture is its copy.
const sharedSeed = join(root, '../shared/seeds/000_b58e645dea223ff4.txt');
const seed = readFileSync(seedFixture, 'utf8');

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end, a + start.length);
  assert.ok(a >= 0 && b > a, `seed lacks ${JSON.stringify(start)} … ${JSON.stringify(end)}`);
  return text.slice(a + start.length, b);
}

const seedScenarios = [...seed.matchAll(/^Scenario: (.*)\nFilter\/Exclusion: (.*)$/gm)].map((m) => ({ title: m[1], filter: m[2] }));

const rules = loadRules(rulesDir, listsDir);
const lists = loadLists(listsDir);
const parsec = findRule(rules, '070b55d3-eb84-4312-a116-1af9965cd6e4');

const sample: FindingAttributes = {
  DeviceId: '7f3c0a9e2b1d4e5f8a6b7c8d9e0f1a2b3c4d5e6f',
  DeviceName: 'ws-ops-01.contoso.local',
  RemoteUrl: 'kessel-ws.parsec.app',
  Processes: ['parsecd.exe'],
  ParentProcesses: ['taskhostw.exe', 'services.exe', 'MSIEXEC.EXE', 'explorer.exe'],
  Accounts: ['itsecurity', 'alice'],
  RemoteIPs: ['198.51.100.23', '2001:db8::5', '192.168.50.7'],
  Companies: ['Parsec Cloud, Inc.'],
};

describe('the committed parsec rule', () => {
  it('the fixture is the shared seed, byte for byte', (t) => {
    if (!existsSync(sharedSeed)) return t.skip('shared seed not checked out beside the project');
    assert.equal(seed, readFileSync(sharedSeed, 'utf8'));
  });

  it('loads, with the seed\'s hunting-query fields', () => {
    assert.equal(rules.length, 1);
    assert.equal(parsec.slug, 'parsec-network-connection');
    assert.equal(parsec.name, 'Remote Management and Monitoring tool - parsec.app - Network Connection');
    assert.equal(parsec.description, `${between(seed, 'description: |\n', '\nrequiredDataConnectors:')}\n`);
    assert.deepEqual(parsec.requiredDataConnectors, [{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceNetworkEvents'] }]);
    assert.deepEqual(parsec.tactics, ['CommandAndControl']);
    assert.deepEqual(parsec.relevantTechniques, ['T1219']);
  });

  it('keeps the query byte-identical to the seed\'s query block, and valid KQL', () => {
    const block = `${between(seed, 'query: |\n', '\n| Sentinel Table')}\n`;
    assert.equal(parsec.query, block);
    assert.equal(parsec.query, `${between(seed, 'KQL Query\n', '\nid: ')}\n`);
    assert.deepEqual(kustoErrors(parsec.query), []);
  });

  it('numbers the five scenarios in document order, with the documented text verbatim', () => {
    assert.equal(seedScenarios.length, 5);
    assert.deepEqual(parsec.scenarios.map((s) => s.number), [1, 2, 3, 4, 5]);
    parsec.scenarios.forEach((s, i) => {
      assert.equal(s.title, seedScenarios[i].title);
      assert.equal(s.documentedFilter, seedScenarios[i].filter);
    });
  });

  it('stores exactly the lint the linter computes from each documented filter', () => {
    for (const s of parsec.scenarios) assert.deepEqual(s.lint, lintScenario(parsec, s), `scenario ${s.number}`);
  });

  it('flags each scenario\'s documented defects', () => {
    assert.deepEqual(parsec.scenarios.map((s) => s.lint.map((n) => n.code)), [
      ['always-true-disjunct'],
      ['implied-clause', 'unmappable-field'],
      ['mixed-and-or', 'implied-clause'],
      ['mixed-and-or', 'implied-clause'],
      ['mixed-and-or', 'implied-clause', 'named-list', 'named-list'],
    ]);
    assert.match(parsec.scenarios[0].lint[0].message, /excludes every finding: `process\.name != "parsec\.app"` holds for every row/);
    assert.match(parsec.scenarios[2].lint[0].message,
      /reads as `\(process\.name == "parsec\.app" and user\.name == "ITSecurity"\) or user\.name == "NetworkOps"`/);
  });

  it('maps the pseudo fields to real columns, clause by clause', () => {
    const columns = parsec.scenarios.map((s) => s.mapping.map((m) => (m.via ? `${m.column}→${m.via}` : m.column)));
    assert.deepEqual(columns, [
      ['implied', 'InitiatingProcessParentFileName', 'InitiatingProcessParentFileName'],
      ['implied', 'unmappable→InitiatingProcessParentFileName'],
      ['implied', 'InitiatingProcessAccountName', 'InitiatingProcessAccountName'],
      ['implied', 'InitiatingProcessParentFileName', 'InitiatingProcessParentFileName'],
      ['implied', 'RemoteIP', 'RemoteIP'],
    ]);
    assert.deepEqual(parsec.scenarios.map((s) => [s.scope, s.parameters]), [
      ['device', ['DeviceId', 'ParentProcesses']],
      ['device', ['DeviceId', 'ParentProcesses']],
      ['rule', ['Accounts']],
      ['device', ['DeviceId', 'ParentProcesses']],
      ['device', ['DeviceId', 'RemoteIPs']],
    ]);
  });

  it('resolves every template against a finding into conditions Microsoft\'s parser accepts', () => {
    const resolved = parsec.scenarios.map((s) => resolveTemplate(s, sample, lists));
    assert.deepEqual(resolved.map(compileConditions), [
      `(DeviceId == "${sample.DeviceId}") and (InitiatingProcessParentFileName in~ ("services.exe", "taskhostw.exe"))`,
      `(DeviceId == "${sample.DeviceId}") and (InitiatingProcessParentFileName in~ ("taskhostw.exe"))`,
      '(InitiatingProcessAccountName in~ ("ITSecurity"))',
      `(DeviceId == "${sample.DeviceId}") and (InitiatingProcessParentFileName in~ ("msiexec.exe"))`,
      `(DeviceId == "${sample.DeviceId}") and (coalesce(ipv4_is_in_any_range(RemoteIP, "198.51.100.0/24", "192.168.50.0/24"), false))`,
    ]);
    for (const cs of resolved) {
      const kql = `${parsec.query.replace(/\n\| summarize[\s\S]*$/, '')}\n| where not(${compileConditions(cs)})`;
      assert.deepEqual(kustoErrors(kql), [], kql);
      assert.ok(cs.some((c) => c.column !== 'RemoteUrl'));
    }
    assert.equal(describeConditions(resolved[2]), 'account is ITSecurity (case-insensitive)');
  });
});
