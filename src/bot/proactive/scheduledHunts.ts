// Hunts on a schedule: each tick runs the rule (holding the bot's one hunt lock, so a tick never races a hunt
// someone asked for in chat) and posts its summary to every subscribed conversation. A tick that finds the
// previous one still going (hunting or still posting) is skipped and logged: runs never overlap, and a slow
// workspace cannot pile up queries.
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../../log.js';
import { startCron } from '../../schedule/cron.js';
import { posted, type BotServices, type Reply } from '../actions/context.js';
import { huntOnce, withHuntLock, type HuntOutcome } from '../actions/hunt.js';
import { huntSummaryCard } from '../cards/index.js';
import type { ConversationRefs } from '../conversationRefs.js';
import type { TriageBot } from '../triageBot.js';
import { broadcast, type Delivery } from './broadcast.js';
import type { RetryOptions } from './retry.js';

export const SCHEDULER_ACTOR = 'scheduler';

export type TickResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'ran'; readonly outcome: HuntOutcome; readonly deliveries: readonly Delivery[] };

export interface ScheduledHuntsDeps {
  readonly svc: BotServices;
  readonly broadcast: (replies: readonly Reply[]) => Promise<Delivery[]>;
  readonly log: Logger;
}

export class ScheduledHunts {
  private current: Promise<TickResult> | undefined;
  private cron: { stop(): void; nextRun(): Date | null } | undefined;

  constructor(
    private readonly deps: ScheduledHuntsDeps,
    readonly schedule: string,
  ) {}

  start(): void {
    if (this.cron) return;
    this.cron = startCron(this.schedule, () => this.tick(), (err) => this.deps.log.error({ err }, 'scheduled hunt tick failed'));
    this.deps.log.info({ schedule: this.schedule, nextRun: this.nextRun()?.toISOString() ?? null }, 'hunt schedule started (UTC)');
  }

  nextRun(): Date | null {
    return this.cron?.nextRun() ?? null;
  }

  /** One scheduled run, now. Never throws for a failed hunt: the failure is what gets posted. */
  tick(): Promise<TickResult> {
    const busy = this.current ? 'the previous scheduled run is still going' : this.deps.svc.huntLock.running ? 'a hunt is still running' : undefined;
    if (busy) {
      this.deps.log.warn({ reason: busy }, 'scheduled hunt skipped');
      return Promise.resolve({ status: 'skipped', reason: busy });
    }
    const run = this.run().finally(() => {
      this.current = undefined;
    });
    this.current = run;
    return run;
  }

  /** Stops the schedule and waits for a run in progress to finish posting (before the database closes). */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = undefined;
    await this.current?.catch(() => undefined);
  }

  private async run(): Promise<TickResult> {
    const { svc, log } = this.deps;
    const hunting = withHuntLock(svc, () => huntOnce(svc, SCHEDULER_ACTOR, 'schedule'));
    if (!hunting) return { status: 'skipped', reason: 'a hunt is still running' };
    const outcome = await hunting;
    const deliveries = await this.deps.broadcast([posted('hunt', huntSummaryCard(outcome.summary))]);
    const count = (o: Delivery['outcome']) => deliveries.filter((d) => d.outcome === o).length;
    log.info(
      { run: outcome.summary.runId, ok: outcome.ok, posted: count('posted'), unsubscribed: count('unsubscribed'), failed: count('failed') },
      deliveries.length ? 'scheduled hunt posted' : 'scheduled hunt done; no conversation is subscribed',
    );
    return { status: 'ran', outcome, deliveries };
  }
}

/** The scheduler as the bot runs it: the bot's hunts, posted through `adapter` with the app's credentials. */
export function scheduleHunts(opts: {
  readonly bot: TriageBot;
  readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>;
  readonly refs: ConversationRefs;
  readonly log: Logger;
  readonly schedule: string;
  readonly retry?: RetryOptions;
}): ScheduledHunts {
  const { bot, log } = opts;
  const svc = bot.services;
  const deps = {
    adapter: opts.adapter,
    appId: svc.config.bot.appId ?? '',
    refs: opts.refs,
    store: svc.app.store,
    log,
    post: bot.postProactively.bind(bot),
    ...(opts.retry ? { retry: opts.retry } : {}),
  };
  return new ScheduledHunts({ svc, log, broadcast: (replies) => broadcast(deps, replies) }, opts.schedule);
}
