// Filling scenario templates: what a finding contributes, and the errors when a scenario does not fit it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileConditions } from '../../src/exclusions/model.js';
import { describeTemplate, loadLists, loadRules, resolveTemplate, RulesError, type FindingAttributes, type NamedList, type Scenario } from '../../src/rules/index.js';
import { kustoErrors } from '../support/kustoParser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const lists = loadLists(join(root, 'data/lists'));
const [parsec] = loadRules(join(root, 'data/rules'), join(root, 'data/lists'));
const scenario = (n: number): Scenario => parsec.scenarios[n - 1];

const finding: FindingAttributes = {
  DeviceId: 'dev-1',
  DeviceName: 'host-1',
  RemoteUrl: 'kessel-ws.parsec.app',
  Processes: ['parsecd.exe'],
  ParentProcesses: ['explorer.exe'],
  Accounts: ['alice', 'bob'],
  RemoteIPs: ['8.8.8.8'],
  Companies: ['Parsec Cloud, Inc.'],
};

function errorLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RulesError, String(e));
    return [...e.lines];
  }
  assert.fail('expected a RulesError');
}

describe('resolveTemplate', () => {
  it('refuses a scenario whose lists the finding does not touch, naming both sides', () => {
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(3), finding, lists)), [
      'template: scenario 3: template[0] (InitiatingProcessAccountName): none of the finding\'s Accounts ("alice", "bob") is in list it_accounts ("ITSecurity", "NetworkOps")',
    ]);
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(5), finding, lists)), [
      'template: scenario 5: template[1] (RemoteIP): none of the finding\'s RemoteIPs ("8.8.8.8") falls in a range of list known_vpn_subnet, known_rdp_subnet ("10.8.0.0/16", "198.51.100.0/24", "192.168.50.0/24", "203.0.113.0/24")',
    ]);
  });

  it('names an empty or missing attribute', () => {
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(1), { ...finding, DeviceId: '' }, lists)), [
      "template: scenario 1: template[0] (DeviceId): the finding's DeviceId is empty",
    ]);
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(2), { ...finding, ParentProcesses: [] }, lists)), [
      "template: scenario 2: template[1] (InitiatingProcessParentFileName): the finding's ParentProcesses is empty",
    ]);
    const { Accounts: _omitted, ...noAccounts } = finding;
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(3), noAccounts, lists)), [
      'template: scenario 3: template[0] (InitiatingProcessAccountName): the finding has no Accounts',
    ]);
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(3), { ...finding, Accounts: 'alice' as unknown as string[] }, lists)), [
      'template: scenario 3: finding.Accounts: Invalid input: expected array, received string',
    ]);
  });

  it('names an empty list as configuration to fill', () => {
    const empty = new Map<string, NamedList>(lists);
    empty.set('it_accounts', { ...lists.get('it_accounts')!, values: [] });
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(3), { ...finding, Accounts: ['ITSecurity'] }, empty)), [
      'template: scenario 3: template[0] (InitiatingProcessAccountName): list it_accounts is empty; configure it in data/lists',
    ]);
  });

  it('keeps the list\'s spelling and only the entries the finding matches', () => {
    const cs = resolveTemplate(scenario(3), { ...finding, Accounts: ['NETWORKOPS', 'alice'] }, lists);
    assert.deepEqual(cs, [{ column: 'InitiatingProcessAccountName', op: 'in~', values: ['NetworkOps'] }]);
  });

  it('validates what a finding brings in, and escapes it in KQL', () => {
    const hostile = { ...finding, DeviceId: 'dev"1\\ | where true\n', ParentProcesses: ['TaskEng.exe'] };
    const cs = resolveTemplate(scenario(2), hostile, lists);
    assert.deepEqual(kustoErrors(`DeviceNetworkEvents | where not(${compileConditions(cs)})`), []);
    assert.equal(compileConditions(cs), '(DeviceId == "dev\\"1\\\\ | where true\\n") and (InitiatingProcessParentFileName in~ ("taskeng.exe"))');
    assert.deepEqual(errorLines(() => resolveTemplate(scenario(2), { ...hostile, DeviceId: 'dev\u00001' }, lists)), [
      'template: scenario 2: template[0].values[0]: control character U+0000 is not allowed (only tab and newline)',
    ]);
  });

  it('fills a literal and a plain param template as given', () => {
    const custom: Scenario = {
      ...scenario(1),
      template: [
        { column: 'DeviceName', op: 'in~', values: { param: 'DeviceName' } },
        { column: 'InitiatingProcessFileName', op: 'in~', values: { param: 'Processes' } },
        { column: 'RemotePort', op: 'in', values: ['443', '8000'] },
        { column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: { list: ['known_rdp_subnet'] } },
      ],
    };
    assert.equal(compileConditions(resolveTemplate(custom, finding, lists)),
      '(DeviceName in~ ("host-1")) and (InitiatingProcessFileName in~ ("parsecd.exe")) and (RemotePort in (443, 8000))'
      + ' and (coalesce(ipv4_is_in_any_range(RemoteIP, "192.168.50.0/24", "203.0.113.0/24"), false))');
  });
});

describe('describeTemplate', () => {
  it('words a template before a finding fills it', () => {
    assert.equal(describeTemplate(scenario(5)),
      "DeviceId == the finding's DeviceId and RemoteIP ipv4_is_in_any_range the entries of list known_vpn_subnet, known_rdp_subnet that the finding's RemoteIPs match");
  });
});
