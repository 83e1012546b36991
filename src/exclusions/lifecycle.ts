// The synchronous write steps of an exclusion's life, shared by proposals, approvals and widenings. Each runs
// inside the caller's store transaction, after the async impact work is done: close what an activated
// exclusion fully suppresses, reopen what an ended one had closed, hand findings over from a superseded
// exclusion to the one replacing it, and record True Positive overrides.
import type { Store } from '../store/index.js';
import type { Exclusion } from '../store/types.js';
import { ExclusionError } from './errors.js';
import { findingContextKey, type Impact, type ImpactedFinding } from './impact.js';

const DAY_MS = 86_400_000;
export const TP_OVERRIDE_ACTION = 'exclusion.tp_override';

export function expiryAfter(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/**
 * True when the impact showed the finding fully suppressed and its context is still what the impact saw. A
 * True Positive never counts: even an overridden exclusion does not close one, so it stays in sight.
 */
function stillFull(store: Store, m: ImpactedFinding | undefined): boolean {
  if (!m?.full || store.dispositions.latest(m.findingId)?.classification === 'TruePositive') return false;
  const f = store.findings.get(m.findingId);
  return !!f && findingContextKey(f) === m.contextKey;
}

/**
 * Closes, as "suppressed by exclusion N", the open findings the impact showed fully suppressed. A finding whose
 * context changed since (a hunt merged new processes, say) is left open: the verdict no longer holds for it.
 */
export function closeFullyMatched(store: Store, exclusionId: number, impact: Impact, actor: string): string[] {
  const closed: string[] = [];
  for (const m of impact.matched) {
    if (!stillFull(store, m) || store.findings.get(m.findingId)?.state === 'closed') continue;
    if (store.findings.close(m.findingId, 'exclusion', actor, exclusionId).changed) closed.push(m.findingId);
  }
  return closed;
}

/** Nothing stays hidden by an exclusion that no longer applies: its closed findings become open again. */
export function reopenClosedBy(store: Store, exclusionId: number, actor: string): string[] {
  return store.findings
    .list({ closedByExclusionId: exclusionId })
    .filter((f) => store.findings.reopen(f.id, actor, 'open').changed)
    .map((f) => f.id);
}

/** Findings a superseded exclusion closed: kept closed under its replacement when that fully covers them, else reopened. */
export function handOver(store: Store, fromId: number, toId: number, impact: Impact, actor: string): { reclosed: string[]; reopened: string[] } {
  const out = { reclosed: [] as string[], reopened: [] as string[] };
  const byId = new Map(impact.matched.map((m) => [m.findingId, m]));
  for (const f of store.findings.list({ closedByExclusionId: fromId })) {
    if (stillFull(store, byId.get(f.id))) {
      store.findings.close(f.id, 'exclusion', actor, toId);
      out.reclosed.push(f.id);
    } else if (store.findings.reopen(f.id, actor, 'open').changed) {
      out.reopened.push(f.id);
    }
  }
  return out;
}

/** The True Positive findings earlier overrides of this exclusion were accepted for (from the audit log). */
export function overriddenTruePositives(store: Store, exclusionId: number): Set<string> {
  const out = new Set<string>();
  for (const e of store.audit.list({ entity: 'exclusion', entityId: exclusionId, action: TP_OVERRIDE_ACTION, limit: 1000 })) {
    const ids = (e.after as { truePositives?: unknown } | null)?.truePositives;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') out.add(id);
  }
  return out;
}

export function auditTpOverride(store: Store, exclusionId: number, actor: string, reason: string, truePositives: readonly string[]): void {
  store.audit.append({
    actor,
    action: TP_OVERRIDE_ACTION,
    entity: 'exclusion',
    entityId: exclusionId,
    after: { reason, truePositives: [...truePositives] },
  });
}

/** A non-empty override reason, or null. */
export function overrideReason(reason: string | null | undefined): string | null {
  const r = reason?.trim();
  return r ? r : null;
}

/**
 * The refusal for an exclusion that would hide True Positive findings, unless a reason overrides it. `covered`
 * are True Positives an earlier, audited override already accepted.
 */
export function tpRefusal(what: string, impact: Impact, reason: string | null, covered: ReadonlySet<string> = new Set()): ExclusionError | null {
  if (reason !== null) return null;
  const uncovered = impact.truePositives.filter((id) => !covered.has(id));
  if (!uncovered.length) return null;
  const ids = uncovered.join(', ');
  return new ExclusionError(
    `exclusions: ${what} would match ${uncovered.length} finding${uncovered.length > 1 ? 's' : ''} marked True Positive (${ids}); ` +
      'refused unless overridden with a reason',
    'tp_overlap',
    uncovered,
  );
}

export interface ActivationOutcome {
  exclusion: Exclusion;
  /** Findings closed as suppressed by this exclusion (including those handed over from superseded ones). */
  closed: string[];
  /** Narrower exclusions it replaced: active ones revoked, proposed ones rejected, as superseded. */
  superseded: number[];
  /** Findings a superseded exclusion had closed that this one does not fully cover. */
  reopened: string[];
}

/** proposed → active, then the closures and the superseding that go with it, in the caller's transaction. */
export function activate(store: Store, x: Exclusion, approver: string, impact: Impact, expiresAt: Date | null): ActivationOutcome {
  const exclusion = store.exclusions.approve(x.id, approver, approver, { expiresAt });
  const out: ActivationOutcome = { exclusion, closed: closeFullyMatched(store, x.id, impact, approver), superseded: [], reopened: [] };
  const why = `superseded by exclusion ${x.id}`;
  for (const r of x.replaces) {
    const narrow = store.exclusions.get(r);
    if (narrow?.state === 'active') {
      store.exclusions.revoke(r, approver, why);
      const h = handOver(store, r, x.id, impact, approver);
      out.closed.push(...h.reclosed);
      out.reopened.push(...h.reopened);
      out.superseded.push(r);
    } else if (narrow?.state === 'proposed') {
      store.exclusions.reject(r, approver, why);
      out.superseded.push(r);
    }
  }
  return out;
}
