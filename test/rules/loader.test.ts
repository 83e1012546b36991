// The loader against real files in a fresh temp dir: what loads, and the exact line each broken file gives.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findRule, loadLists, loadRules, RulesError, type Rule } from '../../src/rules/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const committed = readFileSync(join(root, 'data/rules/parsec-network-connection.yaml'), 'utf8');

let dir: string;
let rulesDir: string;
let listsDir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rules-loader-'));
  rulesDir = join(dir, 'rules');
  listsDir = join(dir, 'lists');
  mkdirSync(rulesDir);
  cpSync(join(root, 'data/lists'), listsDir, { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function edited(from: string, to: string, text = committed): string {
  assert.ok(text.includes(from), `the committed rule no longer holds ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function loadErrors(): string[] {
  try {
    loadRules(rulesDir, listsDir);
  } catch (e) {
    assert.ok(e instanceof RulesError, String(e));
    return [...e.lines];
  }
  assert.fail('expected the rules to be rejected');
}

const MINIMAL = `id: 11111111-2222-3333-4444-555555555555
name: Another RMM tool - example - Network Connection
description: |
  An extra rule dropped into the folder, in the same hunting-query format, without scenarios.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceNetworkEvents
tactics:
  - CommandAndControl
relevantTechniques:
  - T1219
query: |
  DeviceNetworkEvents
  | where RemoteUrl has 'example.invalid'
version: 1.0.0
tags:
  - RMM
`;

describe('loadRules', () => {
  it('loads any other rule in the format dropped into the folder, scenarios optional', () => {
    writeFileSync(join(rulesDir, 'parsec-network-connection.yaml'), committed);
    writeFileSync(join(rulesDir, 'example-rmm.yml'), MINIMAL);
    writeFileSync(join(rulesDir, 'README.txt'), 'not a rule');
    const rules = loadRules(rulesDir, listsDir);
    assert.deepEqual(rules.map((r) => r.slug), ['example-rmm', 'parsec-network-connection']);
    const extra = rules[0];
    assert.equal(extra.id, '11111111-2222-3333-4444-555555555555');
    assert.deepEqual(extra.scenarios, []);
    assert.equal(extra.query, "DeviceNetworkEvents\n| where RemoteUrl has 'example.invalid'\n");
    assert.deepEqual(extra.extra, { version: '1.0.0', tags: ['RMM'] });
    assert.equal(extra.file, join(rulesDir, 'example-rmm.yml'));
  });

  it('accepts a scalar tactics / relevantTechniques, as some published rules write them', () => {
    writeFileSync(join(rulesDir, 'x.yaml'), edited('tactics:\n  - CommandAndControl', 'tactics: CommandAndControl', MINIMAL));
    assert.deepEqual(loadRules(rulesDir, listsDir)[0].tactics, ['CommandAndControl']);
  });

  it('names the file, line and column of a YAML syntax error', () => {
    const file = join(rulesDir, 'bad.yaml');
    writeFileSync(file, 'id: 11111111-2222-3333-4444-555555555555\nname: [unclosed\nquery: |\n  x\n');
    assert.deepEqual(loadErrors(), [`rules: ${file}: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  it('names a duplicate key with its line', () => {
    const file = join(rulesDir, 'dup-key.yaml');
    writeFileSync(file, `${MINIMAL}tags: []\n`);
    assert.deepEqual(loadErrors(), [`rules: ${file}: line 19, column 1: Map keys must be unique`]);
  });

  it('names a missing field', () => {
    const file = join(rulesDir, 'x.yaml');
    writeFileSync(file, edited("query: |\n  DeviceNetworkEvents\n  | where RemoteUrl has 'example.invalid'\n", '', MINIMAL));
    assert.deepEqual(loadErrors(), [`rules: ${file}: query: required`]);
  });

  it('names an unknown column with its path', () => {
    const file = join(rulesDir, 'x.yaml');
    writeFileSync(file, edited('      - column: InitiatingProcessAccountName\n', '      - column: Foo\n'));
    assert.deepEqual(loadErrors(), [`rules: ${file}: scenarios[2].template[0].column: unknown DeviceNetworkEvents column 'Foo'`]);
  });

  it('refuses a template on RemoteUrl alone', () => {
    const file = join(rulesDir, 'x.yaml');
    const text = edited(
      '      - column: InitiatingProcessAccountName\n        op: in~\n        values: { list: it_accounts, matching: Accounts }\n    parameters: [Accounts]',
      '      - column: RemoteUrl\n        op: has_any\n        values: { param: RemoteUrl }\n    parameters: [RemoteUrl]',
    );
    writeFileSync(file, text);
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: scenarios[2].template: a template needs a condition on a column other than RemoteUrl (an exclusion on RemoteUrl alone would hide real abuse of the same domain)`,
    ]);
  });

  it('refuses an unknown list, and names the known ones', () => {
    const file = join(rulesDir, 'x.yaml');
    writeFileSync(file, edited('{ list: it_accounts, matching: Accounts }', '{ list: it_acounts, matching: Accounts }'));
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: scenarios[2].template[0].values.list: unknown list 'it_acounts' (known lists: installer_parents, it_accounts, known_rdp_subnet, known_vpn_subnet, scheduler_parents, system_parents; lists live in data/lists)`,
    ]);
  });

  it('refuses a list of the wrong kind for its operator', () => {
    const file = join(rulesDir, 'x.yaml');
    writeFileSync(file, edited('{ list: it_accounts, matching: Accounts }', '{ list: known_vpn_subnet, matching: Accounts }'));
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: scenarios[2].template[0].values.list: list 'known_vpn_subnet' holds IPv4 ranges, for ipv4_is_in_any_range; it cannot feed 'in~'`,
    ]);
  });

  it('refuses duplicate rule ids across files', () => {
    writeFileSync(join(rulesDir, 'a.yaml'), committed);
    writeFileSync(join(rulesDir, 'b.yaml'), committed);
    assert.deepEqual(loadErrors(), [
      `rules: ${join(rulesDir, 'b.yaml')}: id: duplicate rule id 070b55d3-eb84-4312-a116-1af9965cd6e4 (already in ${join(rulesDir, 'a.yaml')})`,
    ]);
  });

  it('reports every broken file at once, one line each', () => {
    writeFileSync(join(rulesDir, 'a.yaml'), edited('scope: rule', 'scope: org'));
    writeFileSync(join(rulesDir, 'b.yaml'), edited('id: 11111111-2222-3333-4444-555555555555', 'id: nope', MINIMAL));
    const lines = loadErrors();
    assert.deepEqual(lines, [
      `rules: ${join(rulesDir, 'a.yaml')}: scenarios[2].scope: expected one of device, rule, got string "org"`,
      `rules: ${join(rulesDir, 'b.yaml')}: id: expected a GUID, got string "nope"`,
    ]);
    assert.throws(() => loadRules(rulesDir, listsDir), { message: `${lines[0]} (and 1 more problem)` });
  });

  it('checks scenario structure: numbering, parameters, scope, mapping against the documented filter', () => {
    const file = join(rulesDir, 'x.yaml');
    let text = edited('  - number: 2\n', '  - number: 7\n');
    text = edited('    parameters: [DeviceId, RemoteIPs]', '    parameters: [DeviceId]', text);
    text = edited("      - clause: 'user.name == \"NetworkOps\"'", "      - clause: 'user.name == \"NetOps\"'", text);
    text = edited('      - clause: \'event_id == "ScheduledTask"\'\n        field: event_id\n        column: unmappable',
      '      - clause: \'event_id == "ScheduledTask"\'\n        field: event_id\n        column: ActionType', text);
    writeFileSync(file, text);
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: scenarios[1].mapping[1].via: via names the stand-in column of an unmappable field only`,
      `rules: ${file}: scenarios[1].mapping[1].column: event_id has no DeviceNetworkEvents column; map it as unmappable (with via for a stand-in)`,
      `rules: ${file}: scenarios[2].mapping[2].clause: expected "user.name == \\"NetworkOps\\"" (clause 3 of documentedFilter)`,
      `rules: ${file}: scenarios[4].parameters: must list each finding attribute the template uses once: [DeviceId, RemoteIPs], got [DeviceId]`,
      `rules: ${file}: scenarios[1].number: scenarios are numbered 1..n in document order: expected 2, got 7`,
    ]);
  });

  it('words type errors plainly', () => {
    const file = join(rulesDir, 'x.yaml');
    let text = edited('  - number: 1\n', '  - number: one\n');
    text = edited('tactics:\n  - CommandAndControl', 'tactics: 5', text);
    text = edited('    scope: device\n', '    scope: device\n    colour: blue\n', text);
    writeFileSync(file, text);
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: tactics: expected a string or a list of strings, got number 5`,
      `rules: ${file}: scenarios[0].number: expected a number, got string "one"`,
      `rules: ${file}: scenarios[0]: unknown field 'colour'`,
    ]);
  });

  it('reports a documented filter outside the pseudo language with its column', () => {
    const file = join(rulesDir, 'x.yaml');
    writeFileSync(file, edited(`documentedFilter: 'process.name == "parsec.app" and event_id == "ScheduledTask"'`,
      `documentedFilter: 'process.name == "parsec.app" and event_id = "ScheduledTask"'`));
    assert.deepEqual(loadErrors(), [`rules: ${file}: scenarios[1].documentedFilter: column 43: unexpected character "="`]);
  });

  it('refuses a device scope without the device, and a single-value operator over a set', () => {
    const file = join(rulesDir, 'x.yaml');
    let text = edited('      - column: DeviceId\n        op: \'==\'\n        values: { param: DeviceId }\n      - column: RemoteIP',
      '      - column: DeviceName\n        op: \'==\'\n        values: { param: Accounts }\n      - column: RemoteIP');
    text = edited('    parameters: [DeviceId, RemoteIPs]', '    parameters: [Accounts, RemoteIPs]', text);
    writeFileSync(file, text);
    assert.deepEqual(loadErrors(), [
      `rules: ${file}: scenarios[4].template[0].op: '==' takes one value but Accounts is a set; use in or in~`,
      `rules: ${file}: scenarios[4].scope: a device-scoped template needs DeviceId == { param: DeviceId }`,
    ]);
  });

  it('reports a bad list file with its path', () => {
    const file = join(listsDir, 'known_vpn_subnet.yaml');
    writeFileSync(file, 'name: known_vpn_subnet\ndescription: VPN\nkind: ipv4\nvalues:\n  - 10.8.0.0/16\n  - 10.8.0.0/40\n  - 10.8.0.0/16\n');
    writeFileSync(join(rulesDir, 'parsec.yaml'), committed);
    assert.deepEqual(loadErrors(), [
      `lists: ${file}: values[1]: "10.8.0.0/40" is not an IPv4 address or CIDR range`,
      `lists: ${file}: values[2]: duplicate entry "10.8.0.0/16"`,
      `rules: ${join(rulesDir, 'parsec.yaml')}: scenarios[4].template[1].values.list[0]: unknown list 'known_vpn_subnet' (known lists: installer_parents, it_accounts, known_rdp_subnet, scheduler_parents, system_parents; lists live in data/lists)`,
      `rules: ${join(rulesDir, 'parsec.yaml')}: scenarios[4].mapping[1].list: unknown list 'known_vpn_subnet' (known lists: installer_parents, it_accounts, known_rdp_subnet, scheduler_parents, system_parents; lists live in data/lists)`,
    ]);
  });

  it('keeps a list\'s name and its file name the same', () => {
    const file = join(listsDir, 'it_accounts.yaml');
    writeFileSync(file, 'name: admins\ndescription: IT accounts\nkind: text\nvalues: [ITSecurity]\n');
    assert.throws(() => loadLists(listsDir), { message: `lists: ${file}: name: 'admins' must match the file name 'it_accounts'` });
  });

  it('says when a folder is missing', () => {
    assert.throws(() => loadRules(join(dir, 'nope'), listsDir), { message: `rules: ${join(dir, 'nope')}: no such directory` });
    assert.throws(() => loadLists(join(dir, 'nope')), { message: `lists: ${join(dir, 'nope')}: no such directory` });
  });
});

describe('loadLists', () => {
  it('loads the committed lists, named by file', () => {
    const lists = loadLists(join(root, 'data/lists'));
    assert.deepEqual([...lists.keys()].sort(), ['installer_parents', 'it_accounts', 'known_rdp_subnet', 'known_vpn_subnet', 'scheduler_parents', 'system_parents']);
    assert.deepEqual(lists.get('it_accounts')?.values, ['ITSecurity', 'NetworkOps']);
    assert.equal(lists.get('known_vpn_subnet')?.kind, 'ipv4');
    assert.ok([...lists.values()].every((l) => l.description.length > 20));
  });
});

describe('findRule', () => {
  const rule = (id: string, slug: string, name: string): Rule => ({
    id, slug, name, description: '', requiredDataConnectors: [], tactics: [], relevantTechniques: [], query: 'x', impliedClauses: [],
    scenarios: [], file: `${slug}.yaml`, extra: {},
  });
  const parsec = rule('070b55d3-eb84-4312-a116-1af9965cd6e4', 'parsec-network-connection', 'Remote Management and Monitoring tool - parsec.app - Network Connection');
  const anydesk = rule('22222222-2222-3333-4444-555555555555', 'anydesk-network-connection', 'Remote Management and Monitoring tool - anydesk - Network Connection');
  const rules = [parsec, anydesk];

  it('finds by id, slug, name or an unambiguous fragment', () => {
    assert.equal(findRule(rules, '070B55D3-EB84-4312-A116-1AF9965CD6E4'), parsec);
    assert.equal(findRule(rules, 'parsec-network-connection'), parsec);
    assert.equal(findRule(rules, parsec.name), parsec);
    assert.equal(findRule(rules, 'parsec'), parsec);
    assert.equal(findRule(rules, 'AnyDesk'), anydesk);
  });

  it('says which rules an ambiguous or unknown name could mean', () => {
    assert.throws(() => findRule(rules, 'network'), {
      message: "rules: 'network' matches 2 rules: parsec-network-connection (070b55d3-eb84-4312-a116-1af9965cd6e4), anydesk-network-connection (22222222-2222-3333-4444-555555555555); give the id or the full name",
    });
    assert.throws(() => findRule(rules, 'teamviewer'), {
      message: "rules: no rule 'teamviewer'; known rules: parsec-network-connection (070b55d3-eb84-4312-a116-1af9965cd6e4), anydesk-network-connection (22222222-2222-3333-4444-555555555555)",
    });
    assert.throws(() => findRule([], 'x'), { message: "rules: no rule 'x'; known rules: none loaded" });
  });
});
