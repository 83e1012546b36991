// Hunting from the bot: `hunt` in chat and the scheduled runs share one lock and one summary, so a scheduled
// tick never races a hunt someone asked for, and both report a failed run as failed, never as "no findings".
import { KDateTime, parseDateTime } from '../../kql/values.js';
import type { Finding } from '../../store/index.js';
import { recordHunt, type RecordedHunt } from '../../triage/huntRecorder.js';
import { huntSummaryCard, type HuntSummaryView } from '../cards/index.js';
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

export type HuntTrigger = 'chat' | 'schedule';

/** One hunt's outcome: the recorded run and its summary, or the failure and its summary. */
export type HuntOutcome =
  | { readonly ok: true; readonly recorded: RecordedHunt; readonly fresh: readonly Finding[]; readonly summary: HuntSummaryView }
  | { readonly ok: false; readonly error: string; readonly summary: HuntSummaryView };

/**
 * Runs `work` holding the bot's one hunt lock, or returns undefined at once when a hunt is already running:
 * hunts never overlap, whoever started them.
 */
export function withHuntLock<T>(svc: BotServices, work: () => Promise<T>): Promise<T> | undefined {
  if (svc.huntLock.running) return undefined;
  svc.huntLock.running = true;
  return work().finally(() => {
    svc.huntLock.running = false;
  });
}

/** Runs the rule once against the configured source and records it; never throws for a failed run. */
export async function huntOnce(svc: BotServices, actor: string, trigger: HuntTrigger): Promise<HuntOutcome> {
  const { app } = svc;
  const rule = svc.rule();
  const { now, pinned } = clock(svc);
  let recorded: RecordedHunt;
  try {
    recorded = await recordHunt(
      { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
      { rule, source: svc.createSource(now), now, pinned, actor },
    );
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    svc.log.warn({ err: error, rule: rule.id, trigger }, 'hunt failed');
    const run = app.store.runs.latest(rule.id);
    const runId = run?.status === 'failed' ? run.id : '—';
    return { ok: false, error, summary: { runId, status: 'failed', rows: 0, created: 0, reopened: 0, suppressed: [], warnings: [], error, trigger } };
  }
  const m = recorded.merge;
  const fresh = [...m.created, ...m.reopened].flatMap((id) => {
    const f = app.store.findings.get(id);
    return f && f.state !== 'closed' ? [f] : [];
  });
  const reopened = new Set(m.reopened);
  svc.log.info({ run: recorded.run.id, rows: recorded.rows.length, created: m.created.length, reopened: m.reopened.length, trigger }, 'hunt finished');
  return {
    ok: true,
    recorded,
    fresh,
    summary: {
      runId: recorded.run.id,
      status: recorded.run.status,
      rows: recorded.rows.length,
      created: m.created.length,
      reopened: m.reopened.length,
      suppressed: [...recorded.hits].filter(([, hits]) => hits > 0).map(([exclusionId, hits]) => ({ exclusionId, hits })),
      warnings: recorded.warnings,
      fresh: fresh.map((f) => ({ id: f.id, device: f.deviceName, url: f.remoteUrl, recurring: reopened.has(f.id) })),
      trigger,
    },
  };
}

/**
 * `hunt` from chat. Teams wants an answer to every activity within seconds, and a Log Analytics query can take
 * minutes: when `defer` is given and the hunt is not done within `svc.huntInlineMs`, the turn answers that it
 * is running and the results are posted when they come.
 */
export async function runHunt(svc: BotServices, turn: TurnInfo, defer?: Defer): Promise<ActionResult> {
  const refused = refusal(svc, turn, 'mark', { entity: 'hunt', id: null, verb: 'hunt.run' });
  if (refused) return refused;
  const work = withHuntLock(svc, async () => chatReplies(svc, turn, await huntOnce(svc, turn.actor.id, 'chat')));
  if (!work) return result(HUNT_BUSY, { replies: [HUNT_BUSY] });
  if (!defer) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, svc.huntInlineMs, undefined)));
  const done = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (done) return done;
  defer(work);
  return result(HUNT_STARTED, { replies: [HUNT_STARTED] });
}

/** In chat the summary is followed by the first few new or reopened findings as cards. */
function chatReplies(svc: BotServices, turn: TurnInfo, outcome: HuntOutcome): ActionResult {
  const summary = posted('hunt', huntSummaryCard(outcome.summary));
  if (!outcome.ok) return result(`The hunt failed: ${outcome.error.split('\n', 1)[0]}`, { replies: [summary] });
  const { fresh, recorded } = outcome;
  const replies: Reply[] = [summary, ...fresh.slice(0, HUNT_CARDS).map((f) => posted('finding', findingCardOf(svc, f, turn)))];
  const rest = fresh.length - HUNT_CARDS;
  if (rest > 0) replies.push(`${rest} more new or reopened finding(s): type next to walk through them one by one, or bulk to mark many at once.`);
  return result(`Hunt run ${recorded.run.id} finished (${recorded.run.status}).`, { replies });
}
