// Bulk marking from a card: a page of open findings grouped by URL, account or parent, and one submit that
// marks every selected finding in one transaction (markFindings with ids), answered with a summary card.
import type { Finding } from '../../store/index.js';
import { TriageError } from '../../triage/errors.js';
import { matchesFilter, parseFindingFilter } from '../../triage/findingFilter.js';
import { markFindings } from '../../triage/marking.js';
import { parseVerdict } from '../../triage/taxonomy.js';
import { bulkCard, bulkPage, bulkSummaryCard, groupFindings, type BulkFinding } from '../cards/index.js';
import type { AdaptiveCard } from '../cards/types.js';
import type { GroupBy } from '../cards/verbs.js';
import { VERBS } from '../cards/verbs.js';
import { errorLine, isRefusal, forgedLine, NOTHING_STORED } from '../replies.js';
import type { SubmissionOf } from '../submission.js';
import { posted, result, type ActionResult, type BotServices, type Reply, type TurnInfo } from './context.js';
import { refusal } from './guard.js';
import { proposalCardOf, scenariosOf } from './views.js';

export interface BulkView {
  readonly groupBy: GroupBy;
  /** 1-based; clamped to the pages there are. */
  readonly page: number;
  readonly filter?: string | undefined;
}

/** Proposal cards posted after one bulk submit; the rest are on the exclusions card. */
const MAX_PROPOSAL_CARDS = 3;

function bulkFinding(f: Finding): BulkFinding {
  return {
    id: f.id,
    device: f.deviceName,
    url: f.remoteUrl,
    accounts: f.enrichment.Accounts,
    parents: f.enrichment.ParentProcesses,
    lastSeen: f.lastSeen,
    count: f.count,
    version: f.version,
  };
}

/** The open findings of the hunted rule, filtered; throws TriageError for a filter it cannot read. */
function openFindings(svc: BotServices, filter: string | undefined): Finding[] {
  const all = svc.app.store.findings.list({ state: 'open', ruleId: svc.rule().id });
  if (filter === undefined) return all;
  const clauses = parseFindingFilter(filter);
  return all.filter((f) => matchesFilter(f, clauses));
}

/** The bulk card for a view, and the page it actually shows. */
export function bulkCardOf(svc: BotServices, view: BulkView, note?: string): { card: AdaptiveCard; page: number; pageCount: number; total: number } {
  const groups = groupFindings(openFindings(svc, view.filter).map(bulkFinding), view.groupBy);
  const p = bulkPage(groups, view.page);
  const card = bulkCard({
    groupBy: view.groupBy,
    groups,
    page: p.page,
    scenarios: scenariosOf(svc, svc.rule().id),
    ...(view.filter !== undefined ? { filter: view.filter } : {}),
    ...(note ? { note } : {}),
  });
  return { card, page: p.page, pageCount: p.pageCount, total: p.total };
}

export function filterProblem(err: unknown): ActionResult {
  if (!(err instanceof TriageError)) throw err;
  const line = errorLine(err);
  return result(line, { replies: [line] });
}

/**
 * On the bulk card itself, paging and regrouping replace it, for the actor only (it changes their view, not
 * the data). From any other card it opens a new bulk card below; the bulk dialog picks where to resume.
 */
export function openBulk(svc: BotServices, turn: TurnInfo, sub: SubmissionOf<typeof VERBS.bulkOpen>): ActionResult {
  if (turn.source !== 'bulk') {
    return result('Bulk marking: see the card below.', { signal: { kind: 'bulk', outcome: 'open', groupBy: sub.groupBy, page: sub.page, filter: sub.filter } });
  }
  let shown;
  try {
    shown = bulkCardOf(svc, sub);
  } catch (err) {
    return filterProblem(err);
  }
  return result(`Bulk marking, page ${shown.page} of ${shown.pageCount}.`, {
    replace: { kind: 'bulk', card: shown.card, broadcast: false },
    signal: { kind: 'bulk', outcome: 'paged', groupBy: sub.groupBy, page: shown.page, filter: sub.filter },
  });
}

export async function submitBulk(svc: BotServices, turn: TurnInfo, sub: SubmissionOf<typeof VERBS.bulkSubmit>): Promise<ActionResult> {
  const refused = refusal(svc, turn, 'mark', { entity: 'finding', id: sub.selected.slice(0, 20).join(','), verb: sub.verb });
  if (refused) return refused;
  const say = (line: string): ActionResult => result(line, { replies: [line] });
  const benign = sub.classification === 'benign';
  if (benign && sub.scenario === undefined) return say(`Pick the scenario for a Benign Positive bulk mark. ${NOTHING_STORED}`);
  if (!benign && sub.exclude) return say(`"Exclude going forward" goes with Benign Positive only. ${NOTHING_STORED}`);

  const store = svc.app.store;
  const found = sub.selected.map((id) => [id, store.findings.get(id)] as const);
  const unknown = found.filter(([, f]) => !f).map(([id]) => id);
  if (unknown.length) return say(forgedLine('finding', unknown.join(', ')));
  const findings = found.map(([, f]) => f!);
  const expected = new Map(findings.flatMap((f) => (sub.versions?.[f.id] === undefined ? [] : [[f.id, sub.versions[f.id]!] as const])));
  const changed = findings.filter((f) => expected.has(f.id) && expected.get(f.id) !== f.version).map((f) => f.id);
  const view = { groupBy: sub.groupBy, page: sub.page, filter: sub.filter };
  const stale = (ids: readonly string[]): ActionResult => {
    const line = `${ids.length} of the selected findings changed since the card was posted (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ' …' : ''}). ${NOTHING_STORED} Here is the list as it stands now.`;
    let card: AdaptiveCard | undefined;
    try {
      card = bulkCardOf(svc, view, line).card;
    } catch {
      card = undefined;
    }
    return result(line, { ...(card ? { replace: { kind: 'bulk' as const, card, broadcast: false } } : {}), replies: [line] });
  };
  if (changed.length) return stale(changed);

  let out;
  try {
    out = await markFindings(svc.app, {
      ids: findings.map((f) => f.id),
      verdict: parseVerdict(sub.classification, sub.classification === 'fp' ? sub.fpReason : undefined),
      scenario: benign ? sub.scenario : undefined,
      comment: sub.comment,
      exclude: benign && sub.exclude ? { scope: sub.scope } : undefined,
      analyst: { id: turn.actor.id, name: turn.actor.name },
      expectedVersions: expected,
    });
  } catch (err) {
    if (err instanceof TriageError && err.code === 'stale') return stale(findings.map((f) => f.id));
    if (!isRefusal(err)) throw err;
    return say(errorLine(err));
  }

  const summary = bulkSummaryCard({
    classification: out.marked[0] ? (store.dispositions.latest(out.marked[0].id)?.classification ?? sub.classification) : sub.classification,
    marked: out.marked.map((f) => f.id),
    unchanged: out.unchanged.map((f) => f.id),
    exclusions: out.exclusions.map((x) => ({ id: x.exclusion.id, state: x.exclusion.state, closed: x.closed.length })),
    by: turn.actor.name ?? turn.actor.id,
  });
  const replies: Reply[] = [];
  for (const x of out.exclusions.filter((e) => e.created).slice(0, MAX_PROPOSAL_CARDS)) replies.push(posted('proposal', await proposalCardOf(svc, x.exclusion, turn)));
  const status = `Marked ${out.marked.length} finding(s)${out.unchanged.length ? `; ${out.unchanged.length} already so marked` : ''}.`;
  return result(status, {
    replace: { kind: 'bulkSummary', card: summary, broadcast: true },
    replies,
    signal: { kind: 'bulk', outcome: 'submitted', ...view },
  });
}
