// What every command needs, built once from flags + env: the config, a stderr logger, the clock.
import { loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { KDateTime, parseDateTime } from '../kql/values.js';
import { openApp, type TriageApp } from '../triage/app.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => Promise<string>;
}

export interface CliContext {
  readonly config: Config;
  readonly log: Logger;
  readonly io: CliIo;
  /** The pinned clock, if any. */
  readonly pinnedNow: KDateTime | undefined;
  /** The clock this command runs at: the pinned one, or the time the command started. */
  readonly now: KDateTime;
}

export function createContext(io: CliIo, overrides: ConfigOverrides): CliContext {
  const config = loadConfig(io.env, overrides);
  const log = createLogger(config.logLevel, 'readable');
  const pinnedNow = config.now !== undefined ? parseDateTime(config.now)! : undefined;
  if (config.nowSource === 'sample') {
    log.info(`clock pinned to the sample's ${config.now} (set TRIAGE_NOW or --now to change it)`);
  }
  return { config, log, io, pinnedNow, now: pinnedNow ?? KDateTime.fromDate(new Date()) };
}

/** Progress for long loads, on stderr, at most every ~half second. */
export function progressReporter(io: CliIo): (rows: number, bytes: number, total: number) => void {
  // Start the clock now, so a small file that loads in under half a second prints nothing.
  let last = Date.now();
  return (rows, bytes, total) => {
    const t = Date.now();
    if (t - last < 500) return;
    last = t;
    const pct = total > 0 ? ` (${Math.floor((bytes / total) * 100)}%)` : '';
    io.stderr(`loading events: ${rows.toLocaleString('en-US')} rows${pct}\n`);
  };
}

/** Opens the store-backed services for one command and always closes the database after. */
export async function withApp<T>(ctx: CliContext, fn: (app: TriageApp) => Promise<T> | T): Promise<T> {
  const app = openApp(ctx.config);
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}
