// `npm run start:bot`: the Teams bot on its own (npm start adds the Agents Playground). Logs are JSON lines on
// stderr; SIGTERM or SIGINT finishes the turns in flight, then closes the database.
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openApp, type TriageApp } from './triage/app.js';
import type { Authorizer } from './bot/authz.js';
import { composeBot } from './bot/compose.js';
import type { TriageBot } from './bot/triageBot.js';
import { scheduleHunts, type ScheduledHunts } from './bot/proactive/scheduledHunts.js';
import { createAdapter, startServer, type BotServer } from './server.js';

function describeAccess(authz: Authorizer, config: Config, log: Logger): void {
  if (authz.open) {
    log.warn('no analyst list configured: everyone is an analyst');
    return;
  }
  log.info({ ...authz.counts, requireApproval: config.exclusions.requireApproval }, 'authorization lists loaded');
  if (config.exclusions.requireApproval && authz.counts.leads === 0) {
    log.warn('four-eyes approval is on but TRIAGE_LEADS is empty: no one can approve exclusions');
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel, 'json');
  // A stray rejection (a send nobody awaited) must not take every analyst's session down with it.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

  let app: TriageApp | undefined;
  let server: BotServer | undefined;
  let bot: TriageBot | undefined;
  let schedule: ScheduledHunts | undefined;
  try {
    app = openApp(config);
    if (config.now !== undefined) log.info({ now: config.now, source: config.nowSource }, 'hunt clock pinned');
    const composed = composeBot(app, log);
    describeAccess(composed.authz, config, log);
    bot = composed.bot;
    // One adapter for turns and for the scheduler's proactive posts: both speak with the app's credentials.
    const adapter = createAdapter(config, log);
    if (config.huntSchedule) schedule = scheduleHunts({ bot, adapter, refs: composed.refs, log, schedule: config.huntSchedule });
    else log.info('no HUNT_SCHEDULE: hunts run only when someone asks');
    const scheduled = schedule;
    server = await startServer({ config, bot, log, adapter, onShutdown: () => void scheduled?.stop() });
    schedule?.start();
  } catch (e) {
    log.fatal({ err: e }, 'bot failed to start');
    app?.close();
    process.exit(1);
  }
  process.stderr.write(`bot listening on ${server.messagesUrl}\n`);

  const running = { app, server, bot: bot!, schedule };
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal means "now": the operator gave up waiting for the turns in flight.
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing turns in flight');
    running.server
      .close()
      // A hunt slower than a turn answers first and posts later, and a scheduled run may be posting: let them
      // finish before the database closes.
      .then(() => Promise.all([running.bot.idle(), running.schedule?.stop()]))
      .catch((e: unknown) => log.error({ err: e }, 'server did not close cleanly'))
      .finally(() => {
        running.app.close();
        log.info('stopped');
        process.exit(0);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
