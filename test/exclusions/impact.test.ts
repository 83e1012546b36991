// Impact preview over stored findings: which ones a candidate matches, fully or partly, open or closed, and
// which are True Positives; the per-condition path past the enumeration cap; and agreement with what the hunt
// itself removes when the same exclusion is injected into the real rule's query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { previewImpact, MAX_TUPLES_PER_FINDING } from '../../src/exclusions/impact.js';
import type { Condition } from '../../src/exclusions/model.js';
import { buildHuntQuery } from '../../src/hunt/buildQuery.js';
import { runKql } from '../../src/kql/index.js';
import { memoryTable, type Row } from '../../src/kql/table.js';
import { KDateTime } from '../../src/kql/values.js';
import { deviceNetworkEventsColumnIndex, deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';
import type { Finding, Store } from '../../src/store/index.js';
import { fresh, markBenignOnly, markTp, parsec, row, RULE, seed } from './support.js';

const now = new Date('2024-05-10T12:00:00Z');
const onDev1Msiexec = {
  scope: 'device' as const,
  deviceId: 'dev-1',
  conditions: [{ column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe'] }] as Condition[],
};

function crafted(store: Store): Record<string, Finding> {
  const [full, partial, closed, otherDevice, noParent, tp] = seed(store, [
    row('dev-1', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'a.parsec.app' }),
    row('dev-1', { ParentProcesses: ['msiexec.exe', 'explorer.exe'] }, { remoteUrl: 'b.parsec.app' }),
    row('dev-1', { ParentProcesses: ['MSIEXEC.EXE'] }, { remoteUrl: 'c.parsec.app' }),
    row('dev-2', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'a.parsec.app' }),
    row('dev-1', { ParentProcesses: [] }, { remoteUrl: 'd.parsec.app' }),
    row('dev-1', { ParentProcesses: ['msiexec.exe', 'cmd.exe'] }, { remoteUrl: 'e.parsec.app' }),
  ]);
  markBenignOnly(store, closed!.id, 4);
  store.findings.close(closed!.id, 'disposition', 'alice');
  markTp(store, tp!.id);
  return { full: full!, partial: partial!, closed: closed!, otherDevice: otherDevice!, noParent: noParent!, tp: tp! };
}

describe('previewImpact', () => {
  it('names the matched findings with full/partial, state and latest classification, and counts them', async (t) => {
    const { store } = fresh(t);
    const f = crafted(store);
    const impact = await previewImpact(store, RULE, onDev1Msiexec, { now });
    const byId = new Map(impact.matched.map((m) => [m.findingId, m]));
    assert.deepEqual([...byId.keys()].sort(), [f.full.id, f.partial.id, f.closed.id, f.tp.id].sort());
    assert.deepEqual(
      { full: byId.get(f.full.id)!.full, partial: byId.get(f.partial.id)!.full, closed: byId.get(f.closed.id)!.full, tp: byId.get(f.tp.id)!.full },
      { full: true, partial: false, closed: true, tp: false },
    );
    assert.equal(byId.get(f.closed.id)!.state, 'closed');
    assert.equal(byId.get(f.closed.id)!.latestClassification, 'BenignPositive');
    assert.equal(byId.get(f.full.id)!.latestClassification, null);
    assert.equal(byId.get(f.full.id)!.deviceName, 'dev-1.contoso.com');
    assert.equal(byId.get(f.full.id)!.remoteUrl, 'a.parsec.app');
    assert.equal(impact.open, 3);
    assert.equal(impact.closed, 1);
    assert.deepEqual(impact.truePositives, [f.tp.id]);
    assert.equal(impact.considered, 6);
    assert.equal(impact.kql, '(DeviceId == "dev-1") and (InitiatingProcessParentFileName in~ ("msiexec.exe"))');
    assert.deepEqual(impact.overCap, []);
  });

  it('gives the same verdicts per condition past the cap as by enumeration', async (t) => {
    const { store } = fresh(t);
    crafted(store);
    const ruleWide = { scope: 'rule' as const, deviceId: null, conditions: [
      { column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe', 'cmd.exe'] },
      { column: 'InitiatingProcessAccountName', op: '=~', values: ['ALICE'] },
    ] as Condition[] };
    for (const candidate of [onDev1Msiexec, ruleWide]) {
      const enumerated = await previewImpact(store, RULE, candidate, { now });
      const perCondition = await previewImpact(store, RULE, candidate, { now, maxTuples: 0 });
      assert.equal(perCondition.overCap.length, 6);
      assert.deepEqual(perCondition.matched, enumerated.matched);
      assert.ok(enumerated.matched.length >= 4);
    }
  });

  it(`decides a finding with more than ${MAX_TUPLES_PER_FINDING} context combinations without enumerating it`, async (t) => {
    const { store } = fresh(t);
    const ips = Array.from({ length: 120 }, (_, i) => `10.8.${i}.1`);
    const accounts = Array.from({ length: 100 }, (_, i) => `user${i}`);
    const [big, bigOutside] = seed(store, [
      row('dev-1', { RemoteIPs: ips, Accounts: accounts }),
      row('dev-1', { RemoteIPs: [...ips, '8.8.8.8'], Accounts: accounts }, { remoteUrl: 'x.parsec.app' }),
    ]);
    const impact = await previewImpact(store, RULE, { scope: 'device', deviceId: 'dev-1', conditions: [{ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.8.0.0/16'] }] }, { now });
    assert.deepEqual([...impact.overCap].sort(), [big!.id, bigOutside!.id].sort());
    assert.deepEqual(impact.matched.map((m) => [m.findingId, m.full]).sort(), [[big!.id, true], [bigOutside!.id, false]].sort());
  });

  it('never shows a finding as fully matched by a condition on a column findings do not record', async (t) => {
    const { store } = fresh(t);
    const f = crafted(store);
    const impact = await previewImpact(store, RULE, { ...onDev1Msiexec, conditions: [...onDev1Msiexec.conditions, { column: 'RemotePort', op: '==', values: ['443'] }] }, { now });
    assert.deepEqual(impact.undecidedColumns, ['RemotePort']);
    assert.ok(impact.matched.some((m) => m.findingId === f.full.id));
    assert.ok(impact.matched.every((m) => !m.full));
  });

  it('agrees with the hunt: a finding it calls full is gone from the hunt, any other stays', async (t) => {
    const { store } = fresh(t);
    const findings = seed(store, [
      row('dev-1', { RemoteIPs: ['10.8.1.1'] }, { remoteUrl: 'kessel-ws.parsec.app' }),
      row('dev-1', { RemoteIPs: ['10.8.1.1', '8.8.8.8'] }, { remoteUrl: 'stun.parsec.app' }),
      row('dev-1', { RemoteIPs: ['10.8.1.1', '2001:db8::1'] }, { remoteUrl: 'stun6.parsec.app' }),
      row('dev-2', { RemoteIPs: ['10.8.1.1'] }, { remoteUrl: 'kessel-ws.parsec.app' }),
    ]);
    const conditions: Condition[] = [{ column: 'DeviceId', op: '==', values: ['dev-1'] }, { column: 'RemoteIP', op: 'ipv4_is_in_any_range', values: ['10.8.0.0/16'] }];
    const impact = await previewImpact(store, RULE, { scope: 'device', deviceId: 'dev-1', conditions }, { now });
    // One event per context combination of each finding: every event a finding could hold.
    const events: Row[] = findings.flatMap((f) =>
      f.enrichment.RemoteIPs.map((ip) => {
        const r: Row = deviceNetworkEventsColumns.map((c) => (c.type === 'string' ? '' : null));
        const set = (col: string, v: Row[number]) => (r[deviceNetworkEventsColumnIndex.get(col)!] = v);
        set('Timestamp', KDateTime.fromDate(new Date('2024-05-09T00:00:00Z')));
        set('DeviceId', f.deviceId);
        set('DeviceName', f.deviceName);
        set('RemoteUrl', f.remoteUrl);
        set('RemoteIP', ip);
        set('InitiatingProcessFileName', 'parsecd.exe');
        set('InitiatingProcessVersionInfoCompanyName', 'Parsec Cloud, Inc.');
        return r;
      }),
    );
    const query = buildHuntQuery(parsec.query, { now: KDateTime.fromDate(now), exclusions: [{ id: 1, conditions }] });
    const res = await runKql(query, { tables: { DeviceNetworkEvents: memoryTable('DeviceNetworkEvents', deviceNetworkEventsColumns, events) }, now });
    const url = res.columns.findIndex((c) => c.name === 'RemoteUrl');
    const device = res.columns.findIndex((c) => c.name === 'DeviceId');
    const returned = new Set(res.rows.map((r) => store.findings.getByKey(RULE, String(r[device]), String(r[url]))!.id));
    const full = new Set(impact.matched.filter((m) => m.full).map((m) => m.findingId));
    for (const f of findings) assert.equal(returned.has(f.id), !full.has(f.id), `finding ${f.deviceId} ${f.remoteUrl}`);
    assert.ok(full.has(findings[0]!.id) && !full.has(findings[1]!.id));
  });
});
