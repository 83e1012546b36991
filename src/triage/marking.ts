// Dispositions, one finding or thousands: validate everything, plan any learned exclusions (async: impact
// previews run on the engine), then write it all in one synchronous transaction. All or nothing, and
// idempotent: a finding whose latest disposition already says the same thing, with no newer events, is left
// alone.
import { randomUUID } from 'node:crypto';
import { normalizeFindingId, type Disposition, type DispositionInput, type ExclusionScope, type Finding, type Store } from '../store/index.js';
import type { Rule } from '../rules/index.js';
import type { ExclusionService, ProposalPlan, ProposalOutcome } from '../exclusions/service.js';
import { TriageError } from './errors.js';
import { closes, type Verdict } from './taxonomy.js';
import { matchesFilter, storeFilter, type FilterClause } from './findingFilter.js';

export interface Analyst {
  readonly id: string;
  readonly name?: string | undefined;
}

export interface MarkRequest {
  /** Finding ids as typed, or a filter; exactly one of the two. */
  readonly ids?: readonly string[] | undefined;
  readonly where?: readonly FilterClause[] | undefined;
  readonly verdict: Verdict;
  readonly scenario?: number | undefined;
  readonly comment?: string | undefined;
  /** Learn an exclusion from each benign mark. */
  readonly exclude?: { readonly scope?: ExclusionScope | undefined; readonly tpOverrideReason?: string | undefined } | undefined;
  readonly analyst: Analyst;
  /** The versions the analyst saw (a card): a finding changed since is refused as stale. */
  readonly expectedVersions?: ReadonlyMap<string, number> | undefined;
}

export interface MarkOutcome {
  readonly marked: readonly Finding[];
  /** Already so marked, with no newer events: nothing written. */
  readonly unchanged: readonly Finding[];
  readonly dispositions: readonly Disposition[];
  readonly bulkId: string | null;
  readonly exclusions: readonly ProposalOutcome[];
}

export interface MarkingDeps {
  readonly store: Store;
  readonly rules: readonly Rule[];
  readonly exclusions: ExclusionService;
}

const MAX_COMMENT = 4000;

function resolveTargets(store: Store, req: MarkRequest): Finding[] {
  if ((req.ids?.length ?? 0) > 0 === (req.where !== undefined)) {
    throw new TriageError('bad-input', 'mark: give finding ids or --where, not both and not neither');
  }
  if (req.where) {
    const found = store.findings.list(storeFilter(req.where, 'open')).filter((f) => matchesFilter(f, req.where!));
    if (!found.length) throw new TriageError('not-found', 'mark: the filter matches no finding');
    return found;
  }
  // One batched read, not one query per id: bulk marks name thousands.
  const byId = new Map(store.findings.list({ ids: req.ids! }).map((f) => [f.id, f]));
  const seen = new Set<string>();
  const out: Finding[] = [];
  const unknown: string[] = [];
  for (const raw of req.ids!) {
    const f = byId.get(normalizeFindingId(raw));
    if (!f) unknown.push(raw);
    else if (!seen.has(f.id)) {
      seen.add(f.id);
      out.push(f);
    }
  }
  if (unknown.length) throw new TriageError('not-found', `mark: no finding ${unknown.map((u) => JSON.stringify(u)).join(', ')}`);
  return out;
}

function validate(req: MarkRequest, targets: readonly Finding[], rules: readonly Rule[]): void {
  const benign = req.verdict.classification === 'BenignPositive';
  if (req.scenario !== undefined && !benign) throw new TriageError('bad-input', 'mark: --scenario goes with --as benign only');
  if (req.exclude && !benign) throw new TriageError('bad-input', 'mark: --exclude goes with --as benign only');
  if (req.exclude && req.scenario === undefined) throw new TriageError('bad-input', 'mark: --exclude needs --scenario, whose template the exclusion is learned from');
  if (req.comment !== undefined && req.comment.length > MAX_COMMENT) throw new TriageError('bad-input', `mark: --comment is over ${MAX_COMMENT} characters`);
  if (!req.analyst.id.trim()) throw new TriageError('bad-input', 'mark: --by is required: who is marking');
  for (const f of targets) {
    const rule = rules.find((r) => r.id === f.ruleId);
    if (req.scenario !== undefined) {
      const n = rule?.scenarios.length ?? 0;
      if (!Number.isInteger(req.scenario) || req.scenario < 1 || req.scenario > n) {
        throw new TriageError('bad-input', `mark: scenario ${req.scenario} is out of range 1–${n} for rule ${f.ruleId}`);
      }
    }
    const expected = req.expectedVersions?.get(f.id);
    if (expected !== undefined && expected !== f.version) {
      throw new TriageError('stale', `mark: finding ${f.id} changed since it was shown (version ${expected}, now ${f.version}); reload it`);
    }
  }
}

function alreadySo(f: Finding, last: Disposition | undefined, req: MarkRequest): boolean {
  if (!last) return false;
  const same =
    last.classification === req.verdict.classification &&
    last.reason === req.verdict.reason &&
    last.scenario === (req.scenario ?? null) &&
    (last.comment ?? '') === (req.comment ?? '');
  const stateFits = closes(req.verdict.classification) ? f.state === 'closed' : f.state !== 'closed';
  return same && stateFits && f.lastSeen <= last.findingLastSeenAt;
}

export async function markFindings(deps: MarkingDeps, req: MarkRequest): Promise<MarkOutcome> {
  const { store } = deps;
  const targets = resolveTargets(store, req);
  validate(req, targets, deps.rules);
  const latest = store.dispositions.latestForMany(targets.map((f) => f.id));
  const changing = targets.filter((f) => !alreadySo(f, latest.get(f.id), req));
  const unchanged = targets.filter((f) => !changing.includes(f));

  // Plans first (they read and preview), so a refusal writes nothing.
  const plans: Array<{ finding: Finding; plan: ProposalPlan }> = [];
  if (req.exclude) {
    for (const finding of changing) {
      const plan = await deps.exclusions.planProposal({
        finding,
        scenario: req.scenario!,
        scope: req.exclude.scope,
        author: req.analyst.id,
        tpOverrideReason: req.exclude.tpOverrideReason,
      });
      plans.push({ finding, plan });
    }
  }

  const bulkId = changing.length > 1 ? randomUUID() : null;
  const result = store.transaction(() => {
    // Re-read inside the transaction: a concurrent mark must not be overwritten by a stale check.
    const current = new Map(store.findings.list({ ids: changing.map((f) => f.id) }).map((f) => [f.id, f.version]));
    for (const f of changing) {
      if (current.get(f.id) !== f.version) throw new TriageError('stale', `mark: finding ${f.id} changed while this mark was prepared; try again`);
    }
    const inputs: DispositionInput[] = changing.map((f) => ({
      findingId: f.id,
      classification: req.verdict.classification,
      reason: req.verdict.reason,
      scenario: req.scenario ?? null,
      comment: req.comment ?? null,
      analystId: req.analyst.id,
      analystName: req.analyst.name ?? null,
      findingLastSeenAt: f.lastSeen,
      bulkId,
    }));
    const dispositions = store.dispositions.createMany(inputs, req.analyst.id);
    if (closes(req.verdict.classification)) store.findings.closeMany(changing.map((f) => f.id), 'disposition', req.analyst.id);
    const byFinding = new Map(dispositions.map((d) => [d.findingId, d.id]));
    // A bulk mark learns the same exclusion from many findings (a rule-wide account, say): one exclusion per
    // identity, with every one of those dispositions as its sources.
    const groups = new Map<string, { plan: ProposalPlan; dispositionIds: number[] }>();
    for (const { finding, plan } of plans) {
      const g = groups.get(plan.fingerprint) ?? { plan, dispositionIds: [] };
      g.dispositionIds.push(byFinding.get(finding.id)!);
      groups.set(plan.fingerprint, g);
    }
    const exclusions = [...groups.values()].map((g) => deps.exclusions.applyProposal(g.plan, { dispositionIds: g.dispositionIds }));
    return { dispositions, exclusions };
  });
  const after = new Map(store.findings.list({ ids: changing.map((f) => f.id) }).map((f) => [f.id, f]));
  const marked = changing.map((f) => after.get(f.id)!);
  return { marked, unchanged, dispositions: result.dispositions, bulkId, exclusions: result.exclusions };
}
