// `hunt` from chat: the same recordHunt the CLI runs, with the configured source and the pinned clock, then
// the run's summary card and the first few new or reopened findings as cards.
import { KDateTime, parseDateTime } from '../../kql/values.js';
import { recordHunt } from '../../triage/huntRecorder.js';
import { huntSummaryCard } from '../cards/index.js';
import { HUNT_BUSY, HUNT_STARTED } from '../replies.js';
import { posted, result, type ActionResult, type BotServices, type Reply, type TurnInfo } from './context.js';
import { refusal } from './guard.js';
import { findingCardOf } from './views.js';

/** Finding cards posted after a hunt; the rest wait for `next`. */
export const HUNT_CARDS = 5;

function clock(svc: BotServices): { now: KDateTime; pinned: boolean } {
  const pinned = svc.config.now !== undefined ? parseDateTime(svc.config.now) : null;
  return pinned ? { now: pinned, pinned: true } : { now: KDateTime.fromDate(svc.now()), pinned: false };
}

/** Hands a hunt that outlived the turn's time to whoever posts its results later (a proactive message). */
export type Defer = (pending: Promise<ActionResult>) => void;

/**
 * Runs the hunt. Teams wants an answer to every activity within seconds, and a Log Analytics query can take
 * minutes: when `defer` is given and the hunt is not done within `svc.huntInlineMs`, the turn answers that it
 * is running and the results are posted when they come.
 */
export async function runHunt(svc: BotServices, turn: TurnInfo, defer?: Defer): Promise<ActionResult> {
  const refused = refusal(svc, turn, 'mark', { entity: 'hunt', id: null, verb: 'hunt.run' });
  if (refused) return refused;
  if (svc.huntLock.running) return result(HUNT_BUSY, { replies: [HUNT_BUSY] });
  svc.huntLock.running = true;
  const work = hunt(svc, turn).finally(() => {
    svc.huntLock.running = false;
  });
  if (!defer) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, svc.huntInlineMs, undefined)));
  const done = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (done) return done;
  defer(work);
  return result(HUNT_STARTED, { replies: [HUNT_STARTED] });
}

async function hunt(svc: BotServices, turn: TurnInfo): Promise<ActionResult> {
  const { app } = svc;
  const rule = svc.rule();
  const { now, pinned } = clock(svc);
  let out;
  try {
    out = await recordHunt(
      { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
      { rule, source: svc.createSource(now), now, pinned, actor: turn.actor.id },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    svc.log.warn({ err: message, rule: rule.id }, 'hunt failed');
    const run = app.store.runs.latest(rule.id);
    const card = huntSummaryCard({ runId: run?.status === 'failed' ? run.id : '—', status: 'failed', rows: 0, created: 0, reopened: 0, suppressed: [], warnings: [], error: message });
    return result(`The hunt failed: ${message.split('\n', 1)[0]}`, { replies: [posted('hunt', card)] });
  }

  const m = out.merge;
  const summary = huntSummaryCard({
    runId: out.run.id,
    status: out.run.status,
    rows: out.rows.length,
    created: m.created.length,
    reopened: m.reopened.length,
    suppressed: [...out.hits].filter(([, hits]) => hits > 0).map(([exclusionId, hits]) => ({ exclusionId, hits })),
    warnings: out.warnings,
  });
  const fresh = [...m.created, ...m.reopened].map((id) => app.store.findings.get(id)).filter((f) => f !== null && f.state !== 'closed');
  const replies: Reply[] = [posted('hunt', summary), ...fresh.slice(0, HUNT_CARDS).map((f) => posted('finding', findingCardOf(svc, f!, turn)))];
  const rest = fresh.length - HUNT_CARDS;
  if (rest > 0) replies.push(`${rest} more new or reopened finding(s): type next to walk through them one by one, or bulk to mark many at once.`);
  svc.log.info({ run: out.run.id, rows: out.rows.length, created: m.created.length, reopened: m.reopened.length }, 'hunt finished');
  return result(`Hunt run ${out.run.id} finished (${out.run.status}).`, { replies });
}
