// Proposals from one finding: each documented scenario's template filled with the finding's own context, the
// scope choice, and the refusals (out of range, a misfit, nothing but RemoteUrl left).
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { effectiveConditions, toQueryExclusion } from '../../src/exclusions/compile.js';
import { ExclusionError, type ExclusionErrorCode } from '../../src/exclusions/errors.js';
import { compileConditions, type Condition } from '../../src/exclusions/model.js';
import { proposeFromFinding, type Candidate } from '../../src/exclusions/propose.js';
import type { Rule, Scenario } from '../../src/rules/index.js';
import type { Exclusion, Finding } from '../../src/store/index.js';
import { kustoErrors } from '../support/kustoParser.js';
import { fresh, lists, parsec, row, RULE, seed, type Enrichment } from './support.js';

function finding(t: TestContext, enrichment: Enrichment, deviceId = 'dev-1'): Finding {
  return seed(fresh(t).store, [row(deviceId, enrichment)])[0]!;
}

function rejects(code: ExclusionErrorCode, message: string | RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ExclusionError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

function assertValidKql(c: Candidate): void {
  const query = `DeviceNetworkEvents | where not(${compileConditions(c.conditions)})`;
  assert.deepEqual(kustoErrors(query), [], query);
}

const dev = (id = 'dev-1'): Condition => ({ column: 'DeviceId', op: '==', values: [id] });
const parents = (...values: string[]): Condition => ({ column: 'InitiatingProcessParentFileName', op: 'in~', values });

describe('proposeFromFinding', () => {
  const cases: Array<{ n: number; enrichment: Enrichment; scope: 'device' | 'rule'; conditions: Condition[] }> = [
    {
      n: 1,
      enrichment: { ParentProcesses: ['explorer.exe', 'SERVICES.EXE', 'TaskHostW.exe'] },
      scope: 'device',
      conditions: [dev(), parents('services.exe', 'taskhostw.exe')],
    },
    { n: 2, enrichment: { ParentProcesses: ['taskeng.exe', 'explorer.exe'] }, scope: 'device', conditions: [dev(), parents('taskeng.exe')] },
    {
      n: 3,
      enrichment: { Accounts: ['alice', 'itsecurity'] },
      scope: 'rule',
      conditions: [{ column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] }],
    },
    { n: 4, enrichment: { ParentProcesses: ['msiexec.exe'] }, scope: 'device', conditions: [dev(), parents('msiexec.exe')] },
    {
      n: 5,
      enrichment: { RemoteIPs: ['8.8.8.8', '10.8.3.4', '203.0.113.9'] },
      scope: 'device',
      conditions: [dev(), { column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.8.0.0/16', '203.0.113.0/24'] }],
    },
  ];
  for (const c of cases) {
    it(`fills scenario ${c.n} from the finding's own context, in the scenario's scope, as valid KQL`, (t) => {
      const f = finding(t, c.enrichment);
      const candidate = proposeFromFinding({ rule: parsec, scenarioNumber: c.n, finding: f, lists });
      assert.deepEqual(candidate, {
        ruleId: RULE,
        scope: c.scope,
        deviceId: c.scope === 'device' ? 'dev-1' : null,
        conditions: c.conditions,
        scenario: c.n,
      });
      assertValidKql(candidate);
    });
  }

  it('refuses a scenario number outside the catalogue, naming the range and the rule', (t) => {
    const f = finding(t, {});
    for (const n of [0, 6, 7, 1.5]) {
      assert.throws(
        () => proposeFromFinding({ rule: parsec, scenarioNumber: n, finding: f, lists }),
        rejects('scenario_out_of_range', `exclusions: scenario ${n} is out of range 1–5 for rule parsec-network-connection`),
      );
    }
  });

  it("refuses a finding whose context does not fit the scenario, with the template's reason", (t) => {
    const f = finding(t, { Accounts: ['alice', 'bob'] });
    assert.throws(
      () => proposeFromFinding({ rule: parsec, scenarioNumber: 3, finding: f, lists }),
      rejects(
        'scenario_misfit',
        `exclusions: finding ${f.id} does not fit scenario 3: template: scenario 3: template[0] (InitiatingProcessAccountName): ` +
          `none of the finding's Accounts ("alice", "bob") is in list it_accounts ("ITSecurity", "NetworkOps")`,
      ),
    );
    assert.throws(() => proposeFromFinding({ rule: parsec, scenarioNumber: 4, finding: f, lists }), rejects('scenario_misfit', /ParentProcesses \("explorer\.exe"\)/));
  });

  it('honours the analyst scope: device adds the DeviceId condition, rule drops it', (t) => {
    const f = finding(t, { Accounts: ['NetworkOps'], ParentProcesses: ['msiexec.exe'] });
    const onDevice = proposeFromFinding({ rule: parsec, scenarioNumber: 3, finding: f, lists, scope: 'device' });
    assert.equal(onDevice.scope, 'device');
    assert.equal(onDevice.deviceId, 'dev-1');
    assert.deepEqual(onDevice.conditions, [dev(), { column: 'InitiatingProcessAccountName', op: 'in~', values: ['NetworkOps'] }]);
    const ruleWide = proposeFromFinding({ rule: parsec, scenarioNumber: 4, finding: f, lists, scope: 'rule' });
    assert.deepEqual({ scope: ruleWide.scope, deviceId: ruleWide.deviceId, conditions: ruleWide.conditions }, { scope: 'rule', deviceId: null, conditions: [parents('msiexec.exe')] });
    assertValidKql(onDevice);
    assertValidKql(ruleWide);
  });

  it('refuses a rule-wide scope that would leave RemoteUrl alone or nothing at all', (t) => {
    const f = finding(t, {});
    const base = parsec.scenarios[0]!;
    const withTemplate = (template: Scenario['template']): Rule => ({ ...parsec, scenarios: [{ ...base, template, parameters: [] }] });
    const deviceOnly = withTemplate([{ column: 'DeviceId', op: '==', values: { param: 'DeviceId' } }]);
    const urlAndDevice = withTemplate([
      { column: 'DeviceId', op: '==', values: { param: 'DeviceId' } },
      { column: 'DeviceName', op: '=~', values: { param: 'DeviceName' } },
      { column: 'RemoteUrl', op: '==', values: { param: 'RemoteUrl' } },
    ]);
    assert.throws(() => proposeFromFinding({ rule: deviceOnly, scenarioNumber: 1, finding: f, lists, scope: 'rule' }), rejects('no_conditions', /no condition left/));
    assert.throws(
      () => proposeFromFinding({ rule: urlAndDevice, scenarioNumber: 1, finding: f, lists, scope: 'rule' }),
      rejects('remote_url_only', /RemoteUrl alone would hide real abuse/),
    );
    // On its device the same template is a legitimate (narrow) exclusion.
    assert.equal(proposeFromFinding({ rule: urlAndDevice, scenarioNumber: 1, finding: f, lists }).conditions.length, 3);
  });

  it("refuses a finding of another rule", (t) => {
    const f = { ...finding(t, {}), ruleId: '00000000-0000-0000-0000-000000000000' };
    assert.throws(() => proposeFromFinding({ rule: parsec, scenarioNumber: 1, finding: f, lists }), rejects('wrong_rule', /belongs to rule 0{8}-/));
  });
});

describe('effectiveConditions and toQueryExclusion', () => {
  const stored = (over: Partial<Exclusion>): Exclusion =>
    ({ id: 7, ruleId: RULE, scope: 'rule', deviceId: null, conditions: [], ...over }) as Exclusion;

  it('adds DeviceId == deviceId to a device-scoped row that lacks it, once', () => {
    const conditions = [parents('msiexec.exe')];
    assert.deepEqual(effectiveConditions({ scope: 'device', deviceId: 'd', conditions }), [dev('d'), ...conditions]);
    assert.deepEqual(effectiveConditions({ scope: 'device', deviceId: 'd', conditions: [dev('d'), ...conditions] }), [dev('d'), ...conditions]);
    assert.deepEqual(effectiveConditions({ scope: 'rule', deviceId: null, conditions }), conditions);
  });

  it('validates a stored row again (a trust boundary), naming the exclusion and the path', () => {
    assert.deepEqual(toQueryExclusion(stored({ conditions: [{ column: 'RemotePort', op: 'in', values: [443, '8443'] }] })), {
      id: 7,
      conditions: [{ column: 'RemotePort', op: 'in', values: ['443', '8443'] }],
    });
    const bad: Array<[Partial<Exclusion>, RegExp]> = [
      [{ conditions: [{ column: 'RemoteUrl', op: 'has', values: ['parsec.app'] }] }, /^exclusions: exclusion 7: conditions: needs a condition on a column other than RemoteUrl/],
      [{ conditions: [{ column: 'Nope', op: '==', values: ['x'] }] }, /^exclusions: exclusion 7: conditions: \[0\]\.column: unknown DeviceNetworkEvents column 'Nope'/],
      [{ conditions: [{ column: 'RemoteIP', op: 'not_in', values: ['x'] }] }, /^exclusions: exclusion 7: conditions: \[0\]\.op: /],
      [{ conditions: [] }, /at least one condition/],
      [{ scope: 'device', deviceId: null, conditions: [parents('x')] }, /needs its device id/],
    ];
    for (const [over, message] of bad) assert.throws(() => toQueryExclusion(stored(over)), rejects('invalid_conditions', message));
  });
});
