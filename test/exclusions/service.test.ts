// The exclusion service over a real SQLite file: proposals that activate at once or wait for four-eyes
// approval, the True Positive refusal and its audited override, expiry, revocation, duplicate proposals, and
// atomicity inside the mark transaction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExclusionError, type ExclusionErrorCode } from '../../src/exclusions/errors.js';
import { TP_OVERRIDE_ACTION } from '../../src/exclusions/lifecycle.js';
import type { Finding, Store } from '../../src/store/index.js';
import { fresh, markBenign, markBenignOnly, markTp, row, seed, tableCount } from './support.js';

const code = (c: ExclusionErrorCode, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ExclusionError, String(e));
  assert.equal(e.code, c, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

/** dev-1 findings an "installer on dev-1" exclusion fully matches (a, b), partly (partial), and one on dev-2. */
function installerFindings(store: Store): { a: Finding; b: Finding; partial: Finding; other: Finding } {
  const [a, b, partial, other] = seed(store, [
    row('dev-1', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'kessel-ws.parsec.app' }),
    row('dev-1', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'stun.parsec.app' }),
    row('dev-1', { ParentProcesses: ['msiexec.exe', 'cmd.exe'] }, { remoteUrl: 'builds.parsec.app' }),
    row('dev-2', { ParentProcesses: ['msiexec.exe'] }, { remoteUrl: 'kessel-ws.parsec.app' }),
  ]);
  return { a: a!, b: b!, partial: partial!, other: other! };
}

const stateOf = (store: Store, f: Finding) => {
  const now = store.findings.get(f.id)!;
  return [now.state, now.closedReason, now.closedByExclusionId];
};

describe('ExclusionService proposals', () => {
  it('activates at once without four-eyes, closing the fully matched open findings as suppressed', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    const { plan, disposition, outcome } = await markBenign(svc, store, f.a, 4);
    assert.equal(plan.kind, 'create');
    assert.equal(plan.activate, true);
    assert.equal(plan.description, 'device id is dev-1 (case-sensitive) and parent process is msiexec.exe (case-insensitive)');
    assert.deepEqual({ open: plan.impact.open, closed: plan.impact.closed }, { open: 4 - 1, closed: 0 });
    const x = outcome.exclusion;
    assert.deepEqual([x.state, x.author, x.approver, x.scope, x.deviceId, x.scenario], ['active', 'alice', 'alice', 'device', 'dev-1', 4]);
    assert.equal(x.expiresAt, '2024-08-08T12:00:00.000Z', '90 days after activation');
    assert.deepEqual(store.exclusions.sources(x.id), [disposition.id]);
    assert.deepEqual(outcome.closed, [f.b.id]);
    assert.deepEqual(stateOf(store, f.b), ['closed', 'exclusion', x.id]);
    assert.deepEqual(stateOf(store, f.a), ['closed', 'disposition', null], 'the marked finding keeps its own verdict');
    assert.deepEqual(stateOf(store, f.partial), ['open', null, null], 'partly matched: some events stay visible');
    assert.deepEqual(stateOf(store, f.other), ['open', null, null]);
    assert.deepEqual(svc.activeQueryExclusions(f.a.ruleId), [{ id: x.id, conditions: x.conditions }]);
  });

  it('keeps a proposal waiting under four-eyes and refuses its author as approver', async (t) => {
    const { store, service } = fresh(t);
    const svc = service({ requireApproval: true });
    const f = installerFindings(store);
    const { plan, outcome } = await markBenign(svc, store, f.a, 4);
    assert.equal(plan.activate, false);
    assert.equal(outcome.exclusion.state, 'proposed');
    assert.deepEqual(svc.activeQueryExclusions(f.a.ruleId), []);
    const audits = tableCount(store, 'audit_log');
    await assert.rejects(svc.approve(outcome.exclusion.id, 'alice'), code('self_approval', /alice proposed it and cannot also approve it/));
    assert.equal(tableCount(store, 'audit_log'), audits, 'a refusal writes nothing');
    const approved = await svc.approve(outcome.exclusion.id, 'bob');
    assert.deepEqual([approved.exclusion.state, approved.exclusion.approver], ['active', 'bob']);
    assert.deepEqual(approved.closed, [f.b.id]);
    await assert.rejects(svc.approve(outcome.exclusion.id, 'carol'), code('illegal_state', /is active; only a proposed/));
  });

  it('lets the author approve when four-eyes is off', async (t) => {
    const { store, service } = fresh(t);
    const f = installerFindings(store);
    const { outcome } = await markBenign(service({ requireApproval: true }), store, f.a, 4);
    const approved = await service({ requireApproval: false }).approve(outcome.exclusion.id, 'alice');
    assert.equal(approved.exclusion.approver, 'alice');
  });

  it('merges a repeat proposal into the live exclusion with the same identity', async (t) => {
    const { store, service } = fresh(t);
    const svc = service({ requireApproval: true });
    const f = installerFindings(store);
    const first = await markBenign(svc, store, f.a, 4);
    const second = await markBenign(svc, store, f.b, 4, { by: 'carol' });
    assert.equal(second.plan.kind, 'reuse');
    assert.equal(second.plan.existing?.id, first.outcome.exclusion.id);
    assert.deepEqual([second.outcome.created, second.outcome.exclusion.id], [false, first.outcome.exclusion.id]);
    assert.deepEqual(store.exclusions.sources(first.outcome.exclusion.id), [first.disposition.id, second.disposition.id]);
    assert.equal(tableCount(store, 'exclusions'), 1);
  });
});

describe('the True Positive refusal', () => {
  it('refuses a proposal that would match a True Positive, naming it, and writes nothing', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    markTp(store, f.partial.id);
    const before = { d: tableCount(store, 'dispositions'), a: tableCount(store, 'audit_log') };
    const plan = await svc.planProposal({ finding: f.a, scenario: 4, author: 'alice' });
    assert.ok(plan.refusal);
    assert.equal(plan.refusal.code, 'tp_overlap');
    assert.deepEqual(plan.refusal.findingIds, [f.partial.id]);
    assert.match(plan.refusal.message, new RegExp(`would match 1 finding marked True Positive \\(${f.partial.id}\\); refused unless overridden`));
    assert.throws(() => store.transaction(() => {
      markBenignOnly(store, f.a.id, 4);
      return svc.applyProposal(plan, { dispositionIds: [] });
    }), code('tp_overlap'));
    assert.deepEqual({ d: tableCount(store, 'dispositions'), a: tableCount(store, 'audit_log') }, before);
    assert.equal(tableCount(store, 'exclusions'), 0);
  });

  it('does not count the marked finding\'s own earlier True Positive verdict', async (t) => {
    const { store, service } = fresh(t);
    const f = installerFindings(store);
    markTp(store, f.a.id);
    const plan = await service().planProposal({ finding: f.a, scenario: 4, author: 'alice' });
    assert.deepEqual(plan.impact.truePositives, [f.a.id]);
    assert.equal(plan.refusal, null);
  });

  it('accepts an override reason, stores and audits it, and still leaves the True Positive in sight', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    markTp(store, f.b.id);
    const { outcome } = await markBenign(svc, store, f.a, 4, { tpOverrideReason: 'lab device, TP was the pentest' });
    assert.equal(outcome.exclusion.tpOverrideReason, 'lab device, TP was the pentest');
    const [entry] = store.audit.list({ entity: 'exclusion', entityId: outcome.exclusion.id, action: TP_OVERRIDE_ACTION });
    assert.deepEqual([entry?.actor, entry?.after], ['alice', { reason: 'lab device, TP was the pentest', truePositives: [f.b.id] }]);
    assert.deepEqual(stateOf(store, f.b), ['open', null, null]);
  });

  it('is applied again at approval: new True Positives refuse, the approver may override', async (t) => {
    const { store, service } = fresh(t);
    const svc = service({ requireApproval: true });
    const f = installerFindings(store);
    markTp(store, f.b.id);
    const { outcome } = await markBenign(svc, store, f.a, 4, { tpOverrideReason: 'known' });
    const id = outcome.exclusion.id;
    markTp(store, f.partial.id);
    await assert.rejects(svc.approve(id, 'bob'), (e: unknown) => code('tp_overlap')(e) && (e as ExclusionError).findingIds.join() === f.partial.id);
    const approved = await svc.approve(id, 'bob', { tpOverrideReason: 'checked with the owner' });
    assert.equal(approved.exclusion.state, 'active');
    const overrides = store.audit.list({ entity: 'exclusion', entityId: id, action: TP_OVERRIDE_ACTION });
    assert.deepEqual(overrides.map((o) => o.actor), ['bob', 'alice']);
  });
});

describe('expiry, revocation, extension', () => {
  it('expires after the TTL and reopens what the exclusion had closed', async (t) => {
    const { store, service, clock } = fresh(t);
    const svc = service({ ttlDays: 30 });
    const f = installerFindings(store);
    const { outcome } = await markBenign(svc, store, f.a, 4);
    clock.advanceDays(29);
    assert.equal(svc.activeQueryExclusions(f.a.ruleId).length, 1);
    clock.advanceDays(2);
    assert.deepEqual(svc.activeQueryExclusions(f.a.ruleId), []);
    assert.equal(store.exclusions.get(outcome.exclusion.id)!.state, 'expired');
    assert.deepEqual(stateOf(store, f.b), ['open', null, null]);
    assert.deepEqual(svc.expireDue(), { expired: [], reopened: [] });
  });

  it('reopens, on revoke, every finding the exclusion closed, and audits it', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    const { outcome } = await markBenign(svc, store, f.a, 4);
    const { exclusion, reopened } = svc.revoke(outcome.exclusion.id, 'bob', 'installer retired');
    assert.deepEqual([exclusion.state, exclusion.endedBy, exclusion.endComment], ['revoked', 'bob', 'installer retired']);
    assert.deepEqual(reopened, [f.b.id]);
    assert.deepEqual(stateOf(store, f.b), ['open', null, null]);
    assert.deepEqual(stateOf(store, f.a), ['closed', 'disposition', null]);
    assert.equal(store.audit.list({ entity: 'finding', entityId: f.b.id, action: 'finding.reopen' })[0]?.actor, 'bob');
    assert.deepEqual(svc.activeQueryExclusions(f.a.ruleId), []);
  });

  it('extends by days from the current expiry, or to a date; rejects a proposal', async (t) => {
    const { store, service } = fresh(t);
    const f = installerFindings(store);
    const { outcome } = await markBenign(service(), store, f.a, 4);
    const svc = service({ requireApproval: true });
    assert.equal(svc.extend(outcome.exclusion.id, 'bob', { days: 10 }).expiresAt, '2024-08-18T12:00:00.000Z');
    assert.equal(svc.extend(outcome.exclusion.id, 'bob', { until: new Date('2025-01-01T00:00:00Z') }).expiresAt, '2025-01-01T00:00:00.000Z');
    assert.throws(() => svc.extend(outcome.exclusion.id, 'bob', { days: 0 }), code('invalid'));
    const proposed = await markBenign(svc, store, f.other, 4);
    assert.equal(svc.reject(proposed.outcome.exclusion.id, 'bob', 'too broad').state, 'rejected');
    assert.throws(() => svc.reject(999, 'bob'), code('not_found', /no exclusion 999/));
  });
});

describe('atomicity inside the mark transaction', () => {
  it('leaves nothing written when applyProposal fails midway', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    const plan = await svc.planProposal({ finding: f.a, scenario: 4, author: 'alice' });
    const tables = ['dispositions', 'exclusions', 'exclusion_sources', 'audit_log'];
    const before = tables.map((n) => tableCount(store, n));
    let calls = 0;
    const close = store.findings.close.bind(store.findings);
    t.mock.method(store.findings, 'close', (...args: Parameters<typeof close>) => {
      if (++calls === 2) throw new Error('disk full');
      return close(...args);
    });
    assert.throws(
      () =>
        store.transaction(() => {
          const d = markBenignOnly(store, f.a.id, 4);
          store.findings.close(f.a.id, 'disposition', 'alice');
          return svc.applyProposal(plan, { dispositionIds: [d.id] });
        }),
      /disk full/,
    );
    assert.equal(calls, 2, 'it failed after the exclusion was created and activated');
    assert.deepEqual(tables.map((n) => tableCount(store, n)), before);
    assert.deepEqual([stateOf(store, f.a), stateOf(store, f.b)], [['open', null, null], ['open', null, null]]);
    assert.equal(store.audit.verify().ok, true);
  });

  it('rolls back on an unknown source disposition', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    const plan = await svc.planProposal({ finding: f.a, scenario: 4, author: 'alice' });
    assert.throws(() => svc.applyProposal(plan, { dispositionIds: [12345] }), /no disposition 12345/);
    assert.equal(tableCount(store, 'exclusions'), 0);
  });

  it('names an unknown finding, an out-of-range scenario and a misfit in one line each', async (t) => {
    const { store, service } = fresh(t);
    const svc = service();
    const f = installerFindings(store);
    await assert.rejects(svc.planProposal({ finding: 'nope', scenario: 1, author: 'a' }), code('not_found', /^exclusions: no finding 'nope'$/));
    await assert.rejects(svc.planProposal({ finding: f.a.id, scenario: 7, author: 'a' }), code('scenario_out_of_range', /^exclusions: scenario 7 is out of range 1–5/));
    await assert.rejects(svc.planProposal({ finding: f.a.id, scenario: 3, author: 'a' }), code('scenario_misfit'));
  });
});
