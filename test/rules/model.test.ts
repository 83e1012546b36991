import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileCondition, compileConditions, ConditionError, describeCondition, describeConditions, ipv4RangeContains,
  parseCondition, parseConditions, type Condition,
} from '../../src/exclusions/model.js';
import { kustoErrors } from '../support/kustoParser.js';

const HOSTILE = [
  'a"b', "it's", 'back\\slash', 'trailing\\', 'line\nbreak', 'tab\there', 'pipe | where true', '") or true or ("',
  "') | take 1 //", 'ünïcödé ✓ 🚀', '\\"\\n', '[x]', '{"json":1}', '',
];

function assertValidKql(where: string, label: string): void {
  const query = `DeviceNetworkEvents | where not(${where})`;
  assert.deepEqual(kustoErrors(query), [], `${label}: ${query}`);
}

function problems(input: unknown): string[] {
  try {
    parseCondition(input);
  } catch (e) {
    assert.ok(e instanceof ConditionError);
    return [...e.problems];
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('exclusion condition model: compile', () => {
  it('compiles the documented examples exactly', () => {
    const cs: Condition[] = [
      { column: 'DeviceId', op: '==', values: ['abc'] },
      { column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe', 'setup.exe'] },
    ];
    assert.equal(compileConditions(cs), '(DeviceId == "abc") and (InitiatingProcessParentFileName in~ ("msiexec.exe", "setup.exe"))');
    assert.equal(
      compileCondition({ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.0.0.0/8', '192.168.0.0/16'] }),
      'coalesce(ipv4_is_in_any_range(RemoteIP, "10.0.0.0/8", "192.168.0.0/16"), false)',
    );
    assert.equal(compileCondition({ column: 'RemotePort', op: 'in', values: ['443', '-1'] }), 'RemotePort in (443, -1)');
    assert.equal(compileCondition({ column: 'ReportId', op: '==', values: ['9223372036854775807'] }), 'ReportId == 9223372036854775807');
  });

  it('every operator, with hostile values, passes Microsoft\'s parser', () => {
    const nonEmpty = HOSTILE.filter((v) => v !== '');
    const cases: Condition[] = [
      ...HOSTILE.map((v): Condition => ({ column: 'InitiatingProcessAccountName', op: '==', values: [v] })),
      ...HOSTILE.map((v): Condition => ({ column: 'InitiatingProcessCommandLine', op: '=~', values: [v] })),
      { column: 'InitiatingProcessParentFileName', op: 'in', values: HOSTILE },
      { column: 'InitiatingProcessParentFileName', op: 'in~', values: HOSTILE },
      { column: 'RemoteUrl', op: 'has_any', values: nonEmpty },
      ...nonEmpty.flatMap((v): Condition[] => (['has', 'startswith', 'endswith', 'contains'] as const).map((op) => ({ column: 'InitiatingProcessFolderPath', op, values: [v] }))),
      { column: 'LocalIP', op: 'ipv4_is_in_any_range', values: ['10.1.2.3', '0.0.0.0/0', '255.255.255.255/32'] },
      { column: 'InitiatingProcessRemoteSessionIP', op: 'ipv4_is_in_any_range', values: ['172.16.0.0/12'] },
      { column: 'LocalPort', op: '==', values: ['3389'] },
      { column: 'InitiatingProcessId', op: 'in', values: ['1', '-9223372036854775808'] },
    ];
    for (const c of cases) assertValidKql(compileCondition(c), JSON.stringify(c));
    assertValidKql(compileConditions(cases), 'all conditions AND-ed');
  });

  it('a hostile value stays inside its literal', () => {
    const kql = compileCondition({ column: 'DeviceName', op: '==', values: ['") or true or ("'] });
    assert.equal(kql, 'DeviceName == "\\") or true or (\\""');
  });

  it('leaves plain column names bare', () => {
    // Every schema column is a plain identifier, so none gets quoted; the helper is still the one that decides.
    assert.equal(compileCondition({ column: 'Protocol', op: '==', values: ['Tcp'] }), 'Protocol == "Tcp"');
  });
});

describe('exclusion condition model: validation', () => {
  it('rejects unknown columns, operators and unsupported column types', () => {
    assert.deepEqual(problems({ column: 'Foo', op: '==', values: ['x'] }), ["condition: column: unknown DeviceNetworkEvents column 'Foo'"]);
    assert.match(problems({ column: 'DeviceId', op: '!=', values: ['x'] })[0], /^condition: op: Invalid option/);
    assert.deepEqual(problems({ column: 'Timestamp', op: '==', values: ['x'] }), [
      "condition: column: column 'Timestamp' is datetime; conditions compare string, int and long columns only",
    ]);
    assert.deepEqual(problems({ column: 'DeviceId', op: '==', values: ['x'], extra: 1 }), ['condition: Unrecognized key: "extra"']);
  });

  it('checks value counts per operator', () => {
    assert.deepEqual(problems({ column: 'DeviceId', op: '==', values: ['a', 'b'] }), ["condition: values: '==' takes exactly one value, got 2"]);
    assert.deepEqual(problems({ column: 'DeviceId', op: 'in~', values: [] }), ["condition: values: 'in~' takes at least one value"]);
    const many = Array.from({ length: 10_001 }, (_, i) => `v${i}`);
    assert.deepEqual(problems({ column: 'RemoteUrl', op: 'has_any', values: many }), ['condition: values: has_any takes at most 10000 values, got 10001']);
    assert.doesNotThrow(() => parseCondition({ column: 'RemoteUrl', op: 'has_any', values: many.slice(0, 10_000) }));
  });

  it('keeps ipv4_is_in_any_range to IP columns and valid ranges', () => {
    assert.deepEqual(problems({ column: 'DeviceName', op: 'ipv4_is_in_any_range', values: ['10.0.0.0/8'] }), [
      "condition: op: ipv4_is_in_any_range applies to IP columns only (RemoteIP, LocalIP, InitiatingProcessRemoteSessionIP), not 'DeviceName'",
    ]);
    for (const bad of ['10.0.0.0/33', '256.1.1.1', '10.0.0', '010.0.0.1', '10.0.0.0/', '::1', 'fe80::/10', ' 10.0.0.1']) {
      assert.deepEqual(problems({ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: [bad] }), [
        `condition: values[0]: ${JSON.stringify(bad)} is not an IPv4 address or CIDR range`,
      ]);
    }
  });

  it('keeps numeric columns to == / in with whole numbers in range', () => {
    assert.deepEqual(problems({ column: 'RemotePort', op: 'has', values: ['443'] }), ["condition: op: column 'RemotePort' is int: use == or in with whole numbers, not 'has'"]);
    assert.deepEqual(problems({ column: 'RemotePort', op: 'in', values: ['443', '44x', '007'] }), [
      'condition: values[1]: "44x" is not a whole number',
      'condition: values[2]: "007" is not a whole number',
    ]);
    assert.deepEqual(problems({ column: 'RemotePort', op: '==', values: ['2147483648'] }), ['condition: values[0]: 2147483648 is out of range for int']);
    assert.deepEqual(problems({ column: 'ReportId', op: '==', values: ['9223372036854775808'] }), ['condition: values[0]: 9223372036854775808 is out of range for long']);
  });

  it('rejects control characters (tab and newline excepted), broken UTF-16 and empty needles', () => {
    assert.deepEqual(problems({ column: 'DeviceName', op: '==', values: ['a\u0000b'] }), ['condition: values[0]: control character U+0000 is not allowed (only tab and newline)']);
    assert.deepEqual(problems({ column: 'DeviceName', op: '==', values: ['a\rb'] }), ['condition: values[0]: control character U+000D is not allowed (only tab and newline)']);
    assert.deepEqual(problems({ column: 'DeviceName', op: '==', values: ['\ud800x'] }), ['condition: values[0]: unpaired UTF-16 surrogate is not allowed']);
    assert.deepEqual(problems({ column: 'DeviceName', op: 'contains', values: [''] }), ["condition: values[0]: an empty value would match every row with 'contains'"]);
    assert.doesNotThrow(() => parseCondition({ column: 'DeviceName', op: '==', values: ['tab\tand\nnewline'] }));
  });

  it('never accepts an exclusion on RemoteUrl alone', () => {
    assert.throws(() => parseConditions([{ column: 'RemoteUrl', op: '==', values: ['kessel-ws.parsec.app'] }]), {
      message: 'conditions: needs a condition on a column other than RemoteUrl (an exclusion on RemoteUrl alone would hide real abuse of the same domain)',
    });
    assert.throws(() => parseConditions([]), { message: 'conditions: an exclusion needs at least one condition' });
    assert.equal(parseConditions([
      { column: 'RemoteUrl', op: '==', values: ['kessel-ws.parsec.app'] },
      { column: 'DeviceId', op: '==', values: ['d1'] },
    ]).length, 2);
  });

  it('compile refuses what validation refuses', () => {
    assert.throws(() => compileCondition({ column: 'Nope', op: '==', values: ['x'] }), ConditionError);
    assert.throws(() => compileConditions([]), ConditionError);
  });
});

describe('exclusion condition model: wording', () => {
  it('reads as plain English', () => {
    assert.equal(describeCondition({ column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe', 'setup.exe'] }),
      'parent process is one of msiexec.exe, setup.exe (case-insensitive)');
    assert.equal(describeCondition({ column: 'DeviceId', op: '==', values: ['abc'] }), 'device id is abc (case-sensitive)');
    assert.equal(describeCondition({ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.8.0.0/16', '198.51.100.0/24'] }),
      'remote IP is in any of 10.8.0.0/16, 198.51.100.0/24');
    assert.equal(describeCondition({ column: 'RemotePort', op: 'in', values: ['443'] }), 'remote port is 443');
    assert.equal(describeCondition({ column: 'RemoteUrl', op: 'has', values: ['parsec.app'] }), 'remote URL has the whole term parsec.app (case-insensitive)');
    assert.equal(describeConditions([
      { column: 'DeviceId', op: '==', values: ['d1'] },
      { column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] },
    ]), 'device id is d1 (case-sensitive) and account is ITSecurity (case-insensitive)');
  });

  it('quotes values that would blur, and shortens long lists', () => {
    assert.equal(describeCondition({ column: 'InitiatingProcessParentFileName', op: 'in~', values: ['task scheduler', 'a,b', ''] }),
      'parent process is one of "task scheduler", "a,b", "" (case-insensitive)');
    const many = Array.from({ length: 25 }, (_, i) => `h${i}`);
    assert.match(describeCondition({ column: 'DeviceName', op: 'in', values: many }), /h9 … and 15 more \(case-sensitive\)$/);
  });
});

describe('ipv4 ranges', () => {
  it('contains what Kusto would', () => {
    assert.equal(ipv4RangeContains('10.8.0.0/16', '10.8.255.1'), true);
    assert.equal(ipv4RangeContains('10.8.0.0/16', '10.9.0.1'), false);
    assert.equal(ipv4RangeContains('0.0.0.0/0', '203.0.113.9'), true);
    assert.equal(ipv4RangeContains('192.168.1.1/24', '192.168.1.200'), true);
    assert.equal(ipv4RangeContains('198.51.100.7', '198.51.100.7'), true);
    assert.equal(ipv4RangeContains('198.51.100.7', '198.51.100.8'), false);
    assert.equal(ipv4RangeContains('10.0.0.0/8', '2001:db8::1'), false);
  });
});
