// The exclusion service: proposals from benign dispositions, their impact, the lifecycle (approve, reject,
// revoke, extend, expire), widening, and what the hunt applies. The store rule shapes every write: the async
// work (the impact preview runs the local engine) happens first, then one synchronous transaction persists.
// Methods that write join the caller's transaction when one is open (the mark service wraps its dispositions
// and applyProposal in one), else open their own.
import type { QueryExclusion } from '../hunt/buildQuery.js';
import type { Rule } from '../rules/index.js';
import { LIVE_STATES, type Store } from '../store/index.js';
import type { Exclusion, ExclusionScope, Finding } from '../store/types.js';
import { toQueryExclusion } from './compile.js';
import { ExclusionError } from './errors.js';
import { previewImpact, type Impact } from './impact.js';
import { activate, auditTpOverride, expiryAfter, overriddenTruePositives, overrideReason, reopenClosedBy, tpRefusal } from './lifecycle.js';
import { describeConditions } from './model.js';
import { candidateFingerprint, proposeFromFinding, type Candidate } from './propose.js';
import type {
  ApprovalOutcome, ExclusionServiceOptions, PlanProposalInput, ProposalOutcome, ProposalPlan, WideningProposal,
} from './serviceTypes.js';
import { findWidenings } from './widen.js';

export type * from './serviceTypes.js';

export class ExclusionService {
  private readonly store: Store;

  constructor(private readonly opts: ExclusionServiceOptions) {
    const { ttlDays, widenThreshold } = opts.settings;
    if (!Number.isInteger(ttlDays) || ttlDays < 1) throw new ExclusionError(`exclusions: ttlDays must be a whole number of days ≥ 1, got ${ttlDays}`, 'invalid');
    if (!Number.isInteger(widenThreshold) || widenThreshold < 2) {
      throw new ExclusionError(`exclusions: widenThreshold must be a whole number ≥ 2, got ${widenThreshold}`, 'invalid');
    }
    this.store = opts.store;
  }

  async planProposal(input: PlanProposalInput): Promise<ProposalPlan> {
    const finding = typeof input.finding === 'string' ? this.mustFinding(input.finding) : input.finding;
    if (!input.author) throw new ExclusionError('exclusions: a proposal needs its author', 'invalid');
    const candidate = proposeFromFinding({
      rule: this.mustRule(finding.ruleId),
      scenarioNumber: input.scenario,
      finding,
      lists: this.opts.lists,
      scope: input.scope,
    });
    const fingerprint = candidateFingerprint(candidate);
    const existing = this.liveByFingerprint(fingerprint);
    const impact = await this.impact(candidate);
    const reason = overrideReason(input.tpOverrideReason);
    return {
      kind: existing ? 'reuse' : 'create',
      candidate,
      fingerprint,
      description: describeConditions(candidate.conditions),
      impact,
      existing,
      activate: !existing && !this.opts.settings.requireApproval,
      // Linking another source to a live exclusion hides nothing new, so only a new one can be refused. The
      // finding being marked is getting a new verdict, so its own earlier True Positive does not count.
      refusal: existing ? null : tpRefusal(`the exclusion proposed from finding ${finding.id}`, impact, reason, new Set([finding.id])),
      author: input.author,
      tpOverrideReason: reason,
      findingId: finding.id,
    };
  }

  /** Persists a plan: synchronous, inside the caller's transaction (or its own). Throws the plan's refusal. */
  applyProposal(plan: ProposalPlan, opts: { dispositionIds: readonly number[] }): ProposalOutcome {
    return this.store.transaction(() => {
      const live = this.liveByFingerprint(plan.fingerprint);
      if (live) {
        const linked = this.store.exclusions.addSources(live.id, opts.dispositionIds, plan.author);
        const exclusion = this.store.exclusions.get(live.id)!;
        return { exclusion, created: false, activated: false, linked, closed: [], superseded: [], reopened: [] };
      }
      if (plan.kind === 'reuse') {
        throw new ExclusionError(`exclusions: exclusion ${plan.existing?.id} ended after this proposal was planned; propose again`, 'stale');
      }
      if (plan.refusal) throw plan.refusal;
      const { candidate, impact, author } = plan;
      const x = this.create(candidate, author, impact, plan.tpOverrideReason, {
        sourceDispositionIds: opts.dispositionIds,
        comment: `learned from finding ${plan.findingId} (scenario ${candidate.scenario})`,
      });
      const result = plan.activate ? activate(this.store, x, author, impact, this.expiry()) : null;
      return {
        exclusion: result?.exclusion ?? x,
        created: true,
        activated: !!result,
        linked: [...new Set(opts.dispositionIds)],
        closed: result?.closed ?? [],
        superseded: result?.superseded ?? [],
        reopened: result?.reopened ?? [],
      };
    });
  }

  /**
   * proposed → active. Four-eyes when requireApproval is on. The impact is computed again (findings change)
   * and the True Positive refusal re-applied: an earlier override covers only the True Positives it named.
   */
  async approve(id: number, approver: string, opts: { tpOverrideReason?: string | undefined } = {}): Promise<ApprovalOutcome> {
    const x = this.mustExclusion(id);
    if (!approver) throw new ExclusionError(`exclusions: exclusion ${id}: the approver is required`, 'invalid');
    if (x.state !== 'proposed') throw new ExclusionError(`exclusions: exclusion ${id} is ${x.state}; only a proposed exclusion can be approved`, 'illegal_state');
    if (this.opts.settings.requireApproval && approver === x.author) {
      throw new ExclusionError(`exclusions: exclusion ${id}: ${approver} proposed it and cannot also approve it (four-eyes approval is required)`, 'self_approval');
    }
    const impact = await this.impact(x);
    const reason = overrideReason(opts.tpOverrideReason);
    const covered = x.tpOverrideReason ? overriddenTruePositives(this.store, id) : new Set<string>();
    const refusal = tpRefusal(`exclusion ${id}`, impact, reason, covered);
    if (refusal) throw refusal;
    return this.store.transaction(() => {
      const current = this.mustExclusion(id);
      if (current.version !== x.version) throw new ExclusionError(`exclusions: exclusion ${id} changed while its impact was computed; approve again`, 'stale');
      const out = activate(this.store, current, approver, impact, this.expiry());
      if (reason && impact.truePositives.length) auditTpOverride(this.store, id, approver, reason, impact.truePositives);
      return out;
    });
  }

  reject(id: number, actor: string, comment?: string): Exclusion {
    this.mustExclusion(id);
    return this.store.exclusions.reject(id, actor, comment);
  }

  /** active → revoked, reopening every finding it had closed (audited by the store). */
  revoke(id: number, actor: string, comment?: string): { exclusion: Exclusion; reopened: string[] } {
    this.mustExclusion(id);
    return this.store.transaction(() => {
      const exclusion = this.store.exclusions.revoke(id, actor, comment);
      return { exclusion, reopened: reopenClosedBy(this.store, id, actor) };
    });
  }

  /** `days` counts from the current expiry when that is still ahead, else from now; `until` sets it outright. */
  extend(id: number, actor: string, by: { days: number } | { until: Date }): Exclusion {
    const x = this.mustExclusion(id);
    if ('until' in by) return this.store.exclusions.extend(id, by.until, actor);
    if (!Number.isInteger(by.days) || by.days < 1) throw new ExclusionError(`exclusions: exclusion ${id}: days must be a whole number ≥ 1, got ${by.days}`, 'invalid');
    if (x.expiresAt === null) throw new ExclusionError(`exclusions: exclusion ${id} never expires; give a date to set an expiry`, 'invalid');
    const base = Math.max(this.opts.now().getTime(), Date.parse(x.expiresAt));
    return this.store.exclusions.extend(id, expiryAfter(new Date(base), by.days), actor);
  }

  /** Expires every active exclusion past its expiry and, as for a revoke, reopens what each had closed. */
  expireDue(): { expired: number[]; reopened: string[] } {
    return this.store.transaction(() => {
      const expired = this.store.exclusions.expireDue(this.opts.now(), 'system');
      return { expired, reopened: expired.flatMap((id) => reopenClosedBy(this.store, id, 'system')) };
    });
  }

  /** What a hunt of the rule applies: expiry first, then every active, unexpired exclusion, validated. */
  activeQueryExclusions(ruleId: string): QueryExclusion[] {
    this.expireDue();
    return this.store.exclusions.active(ruleId, this.opts.now()).map(toQueryExclusion);
  }

  /** The impact a stored exclusion has on the rule's findings now. */
  previewExclusion(id: number): Promise<Impact> {
    return this.impact(this.mustExclusion(id));
  }

  async proposeWidening(ruleId: string): Promise<WideningProposal[]> {
    const rule = this.mustRule(ruleId);
    const drafts = findWidenings({ store: this.store, rule, lists: this.opts.lists, threshold: this.opts.settings.widenThreshold });
    const out: WideningProposal[] = [];
    for (const d of drafts) {
      const impact = await this.impact(d.candidate);
      out.push({ ...d, fingerprint: candidateFingerprint(d.candidate), impact, refusal: tpRefusal(`the widening of scenario ${d.scenario}`, impact, null) });
    }
    return out;
  }

  /** Stores a widening (active at once when four-eyes is off, replacing the narrow ones then, else on approval). */
  applyWidening(w: WideningProposal, opts: { author: string; tpOverrideReason?: string | undefined }): ProposalOutcome {
    const reason = overrideReason(opts.tpOverrideReason);
    const refusal = tpRefusal(`the widening of scenario ${w.scenario}`, w.impact, reason);
    if (refusal) throw refusal;
    return this.store.transaction(() => {
      const live = this.liveByFingerprint(w.fingerprint);
      if (live) throw new ExclusionError(`exclusions: this widening already exists as exclusion ${live.id} (${live.state})`, 'stale');
      const replaces = w.replaces.filter((r) => LIVE_STATES.includes(this.store.exclusions.get(r)?.state ?? 'revoked'));
      const x = this.create(w.candidate, opts.author, w.impact, reason, { sourceDispositionIds: w.sourceDispositionIds, replaces, comment: w.explanation });
      const result = this.opts.settings.requireApproval ? null : activate(this.store, x, opts.author, w.impact, this.expiry());
      return {
        exclusion: result?.exclusion ?? x,
        created: true,
        activated: !!result,
        linked: [...new Set(w.sourceDispositionIds)],
        closed: result?.closed ?? [],
        superseded: result?.superseded ?? [],
        reopened: result?.reopened ?? [],
      };
    });
  }

  private create(
    c: Candidate,
    author: string,
    impact: Impact,
    reason: string | null,
    extra: { sourceDispositionIds: readonly number[]; replaces?: readonly number[]; comment: string },
  ): Exclusion {
    const overriding = reason !== null && impact.truePositives.length > 0;
    const x = this.store.exclusions.create(
      {
        ruleId: c.ruleId,
        scope: c.scope,
        deviceId: c.deviceId,
        conditions: c.conditions,
        scenario: c.scenario,
        author,
        comment: extra.comment,
        expiresAt: this.expiry(),
        tpOverrideReason: overriding ? reason : null,
        replaces: extra.replaces,
        sourceDispositionIds: extra.sourceDispositionIds,
      },
      author,
    );
    if (overriding) auditTpOverride(this.store, x.id, author, reason, impact.truePositives);
    return x;
  }

  private impact(x: { ruleId: string; scope: ExclusionScope; deviceId: string | null; conditions: Candidate['conditions'] | Exclusion['conditions'] }): Promise<Impact> {
    return previewImpact(this.store, x.ruleId, x, { now: this.opts.now(), maxTuples: this.opts.maxTuples });
  }

  private expiry(): Date {
    return expiryAfter(this.opts.now(), this.opts.settings.ttlDays);
  }

  private liveByFingerprint(fingerprint: string): Exclusion | null {
    const x = this.store.exclusions.findByFingerprint(fingerprint);
    return x && LIVE_STATES.includes(x.state) ? x : null;
  }

  private mustRule(ruleId: string): Rule {
    const rule = this.opts.rules.find((r) => r.id.toLowerCase() === ruleId.toLowerCase());
    if (!rule) throw new ExclusionError(`exclusions: rule ${ruleId} is not loaded (loaded: ${this.opts.rules.map((r) => r.slug).join(', ') || 'none'})`, 'unknown_rule');
    return rule;
  }

  private mustFinding(id: string): Finding {
    const f = this.store.findings.get(id);
    if (!f) throw new ExclusionError(`exclusions: no finding '${id}'`, 'not_found');
    return f;
  }

  private mustExclusion(id: number): Exclusion {
    const x = Number.isSafeInteger(id) ? this.store.exclusions.get(id) : null;
    if (!x) throw new ExclusionError(`exclusions: no exclusion ${String(id)}`, 'not_found');
    return x;
  }
}
