// Widening: benign dispositions under one scenario on enough distinct devices that learned the same value
// propose one rule-wide exclusion over it, replacing the narrow ones it covers, with the same impact preview
// and True Positive refusal as any proposal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileConditions } from '../../src/exclusions/model.js';
import { subsumes } from '../../src/exclusions/widen.js';
import type { Rule } from '../../src/rules/index.js';
import type { Finding, Store } from '../../src/store/index.js';
import { kustoErrors } from '../support/kustoParser.js';
import { fresh, markBenign, markBenignOnly, markTp, parsec, row, RULE, seed, type Enrichment } from './support.js';

function onDevices(store: Store, devices: string[], enrichment: Enrichment = { ParentProcesses: ['msiexec.exe'] }): Finding[] {
  return seed(store, devices.map((d, i) => row(d, enrichment, { remoteUrl: i % 2 ? 'stun.parsec.app' : 'kessel-ws.parsec.app' })));
}

describe('proposeWidening', () => {
  it('proposes nothing below the threshold of distinct devices', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const two = onDevices(store, ['dev-1', 'dev-2']);
    // A second finding on dev-1 adds a disposition, not a device.
    const [again] = seed(store, [row('dev-1', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'builds.parsec.app' })]);
    for (const f of [...two, again!]) await markBenign(svc, store, f, 4);
    assert.deepEqual(await svc.proposeWidening(RULE), []);
    assert.equal((await service({ widenThreshold: 2 }).proposeWidening(RULE)).length, 1);
  });

  it('at the threshold, proposes a rule-wide exclusion over the shared value, explained, replacing the narrow ones', async (t) => {
    const { store, service } = fresh(t);
    const svc = service({ requireApproval: true });
    const findings = onDevices(store, ['dev-1', 'dev-2', 'dev-3']);
    const narrow = [];
    for (const f of findings) narrow.push((await markBenign(svc, store, f, 4)).outcome.exclusion);
    for (const x of narrow) await svc.approve(x.id, 'bob');
    const [w, ...more] = await svc.proposeWidening(RULE);
    assert.equal(more.length, 0);
    assert.deepEqual(w!.candidate, {
      ruleId: RULE,
      scope: 'rule',
      deviceId: null,
      conditions: [{ column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe'] }],
      scenario: 4,
    });
    assert.deepEqual(w!.replaces, narrow.map((x) => x.id));
    assert.deepEqual(w!.shared.map((s) => [s.value, s.devices]), [['msiexec.exe', ['dev-1', 'dev-2', 'dev-3']]]);
    assert.equal(w!.sourceDispositionIds.length, 3);
    assert.match(w!.explanation, /3 benign dispositions under scenario 4 on 3 devices \(dev-1\.contoso\.com \(dev-1\), dev-2\.contoso\.com \(dev-2\), dev-3\.contoso\.com \(dev-3\)\) learned "parent process is msiexec\.exe \(case-insensitive\)"/);
    assert.match(w!.explanation, /replaces exclusions 1, 2, 3\.$/);
    assert.equal(w!.refusal, null);
    assert.deepEqual(kustoErrors(`DeviceNetworkEvents | where not(${compileConditions(w!.candidate.conditions)})`), []);

    // Stored as a proposal, approved by someone else: the narrow ones are revoked as superseded and the
    // findings they closed now stand closed by the wide one.
    const [unrelated] = seed(store, [row('dev-9', { ParentProcesses: ['msiexec.exe'] })]);
    const applied = svc.applyWidening(w!, { author: 'alice' });
    assert.deepEqual([applied.exclusion.state, applied.exclusion.replaces], ['proposed', narrow.map((x) => x.id)]);
    const approved = await svc.approve(applied.exclusion.id, 'bob');
    assert.deepEqual(approved.superseded, narrow.map((x) => x.id));
    for (const x of narrow) {
      const now = store.exclusions.get(x.id)!;
      assert.deepEqual([now.state, now.endComment], ['revoked', `superseded by exclusion ${applied.exclusion.id}`]);
    }
    assert.deepEqual(approved.closed, [unrelated!.id]);
    assert.deepEqual(svc.activeQueryExclusions(RULE).map((q) => q.id), [applied.exclusion.id]);
    assert.deepEqual(await svc.proposeWidening(RULE), [], 'the wide one now covers it');
  });

  it('hands over or reopens the findings of superseded exclusions, and leaves uncovered narrow ones alone', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const findings = onDevices(store, ['dev-1', 'dev-2', 'dev-3']);
    for (const f of findings) await markBenign(svc, store, f, 4);
    // dev-4's exclusion also allows setup.exe: the wide one does not cover it, so it is not replaced.
    const [dev4] = seed(store, [row('dev-4', { ParentProcesses: ['msiexec.exe', 'setup.exe'] })]);
    const wider = await markBenign(svc, store, dev4!, 4);
    // A dev-1 finding closed by dev-1's narrow exclusion.
    const [sibling] = seed(store, [row('dev-1', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'public.parsec.app' })]);
    const narrowDev1 = store.exclusions.list({ ruleId: RULE }).find((x) => x.deviceId === 'dev-1')!;
    store.findings.close(sibling!.id, 'exclusion', 'alice', narrowDev1.id);
    const [w] = await svc.proposeWidening(RULE);
    assert.ok(w);
    assert.ok(!w.replaces.includes(wider.outcome.exclusion.id));
    assert.equal(w.replaces.length, 3);
    const applied = svc.applyWidening(w, { author: 'carol' });
    assert.equal(applied.activated, true, 'four-eyes off: active at once');
    assert.equal(store.findings.get(sibling!.id)!.closedByExclusionId, applied.exclusion.id);
    assert.equal(store.exclusions.get(wider.outcome.exclusion.id)!.state, 'active');
  });

  it('counts only the latest verdict, and refuses over a True Positive', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const findings = onDevices(store, ['dev-1', 'dev-2', 'dev-3', 'dev-4']);
    for (const f of findings) markBenignOnly(store, f.id, 4);
    markTp(store, findings[3]!.id);
    const [w] = await svc.proposeWidening(RULE);
    assert.deepEqual(w!.shared[0]!.devices, ['dev-1', 'dev-2', 'dev-3']);
    assert.deepEqual(w!.replaces, [], 'no narrow exclusions were learned');
    assert.equal(w!.refusal?.code, 'tp_overlap');
    assert.deepEqual(w!.impact.truePositives, [findings[3]!.id]);
    assert.throws(() => svc.applyWidening(w!, { author: 'alice' }), /marked True Positive/);
    assert.equal(svc.applyWidening(w!, { author: 'alice', tpOverrideReason: 'dev-4 TP was a drill' }).exclusion.tpOverrideReason, 'dev-4 TP was a drill');
  });

  it('never widens to RemoteUrl alone or over a shared domain', async (t) => {
    const { store, service } = fresh(t);
    const base = parsec.scenarios[3]!;
    const rule: Rule = {
      ...parsec,
      scenarios: [...parsec.scenarios.slice(0, 3), {
        ...base,
        template: [
          { column: 'DeviceId', op: '==', values: { param: 'DeviceId' } },
          { column: 'RemoteUrl', op: '==', values: { param: 'RemoteUrl' } },
        ],
        parameters: ['DeviceId', 'RemoteUrl'],
      }],
    };
    const svc = service({}, { rules: [rule] });
    const findings = seed(store, ['dev-1', 'dev-2', 'dev-3'].map((d) => row(d)));
    for (const f of findings) markBenignOnly(store, f.id, 4);
    assert.deepEqual(await svc.proposeWidening(RULE), []);
  });
});

describe('subsumes', () => {
  const dev = (id: string) => ({ column: 'DeviceId', op: '==', values: [id] });
  it('holds when every wide condition follows from a narrow one', () => {
    const wide = { scope: 'rule' as const, deviceId: null, conditions: [{ column: 'InitiatingProcessParentFileName', op: 'in~', values: ['MSIEXEC.exe', 'setup.exe'] }] };
    const narrow = (values: string[], op = 'in~') => ({ scope: 'device' as const, deviceId: 'd', conditions: [dev('d'), { column: 'InitiatingProcessParentFileName', op, values }] });
    assert.equal(subsumes(wide, narrow(['msiexec.exe'])), true);
    assert.equal(subsumes(wide, narrow(['msiexec.exe'], 'in')), true);
    assert.equal(subsumes(wide, narrow(['msiexec.exe', 'cmd.exe'])), false);
    assert.equal(subsumes(narrow(['msiexec.exe']), wide), false);
    const ranges = (values: string[]) => ({ scope: 'rule' as const, deviceId: null, conditions: [{ column: 'RemoteIP', op: 'ipv4_is_in_any_range', values }] });
    assert.equal(subsumes(ranges(['10.8.0.0/16']), ranges(['10.8.4.0/24', '10.8.9.9'])), true);
    assert.equal(subsumes(ranges(['10.8.4.0/24']), ranges(['10.8.0.0/16'])), false);
  });
});
