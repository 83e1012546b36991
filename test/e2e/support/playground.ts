// The end-to-end rig: the bot (the real triage bot as a child process, or any endpoint the test already runs),
// the Agents Playground against it, and headless Debian Chromium on the playground's page. The test gets the
// chat helpers (send, waitForCard, clickAction, setInput), screenshots under artifacts/e2e/, and close().
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../../src/config.js';
import {
  freePort,
  startBotProcess,
  startPlaygroundProcess,
  waitForHttp,
  type ManagedProcess,
} from '../../../scripts/start.js';
import { Chat, type Card } from './chat.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(PROJECT_ROOT, 'artifacts', 'e2e');

/** Why the browser tests cannot run here, or undefined. CI never skips: a missing browser must fail there. */
export function e2eSkipReason(env: NodeJS.ProcessEnv = process.env, browser = CHROMIUM): string | undefined {
  if (existsSync(browser) || env.CI) return undefined;
  return `${browser} is not installed (apt-get install -y chromium); the browser tests run in CI`;
}

// Settings a developer may have exported for their own bot: the test bot must not inherit them (an app id
// would make it demand tokens the playground does not send; a workspace id would hunt in Azure).
const BOT_SETTINGS = /^(TRIAGE_|MicrosoftApp|LOG_ANALYTICS_|REQUIRE_APPROVAL$|EXCLUSION_|WIDEN_|HUNT_SCHEDULE$|PORT$|HOST$|LOG_LEVEL$)/;

export interface TriageBotHandle {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly dbPath: string;
  readonly process: ManagedProcess;
}

export interface StartOptions {
  /** 'triage': start src/index.ts with a fresh database; or the messages endpoint of a bot the test runs. */
  bot: 'triage' | { endpoint: string };
  /** Extra settings for the triage bot (TRIAGE_NOW, TRIAGE_EVENTS, ...). */
  botEnv?: Record<string, string>;
  /** Bound for every wait in the chat helpers. */
  timeoutMs?: number;
}

export class PlaygroundSession extends Chat {
  private closed = false;

  constructor(
    page: Page,
    timeoutMs: number,
    readonly url: string,
    readonly bot: TriageBotHandle | undefined,
    private readonly browser: Browser,
    private readonly playground: ManagedProcess,
    private readonly workDir: string,
  ) {
    super(page, timeoutMs);
  }

  /**
   * Saves artifacts/e2e/<name>.png and returns the path: the page as shown, or just `card` (whole, even the
   * part scrolled out of the chat pane).
   */
  async screenshot(name: string, card?: Card): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const path = join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    if (card) await card.locator.screenshot({ path });
    else await this.page.screenshot({ path });
    return path;
  }

  /** The tail of each process's output and of the playground's log, for a failing test's report. */
  diagnostics(): string {
    const logFile = join(this.workDir, 'playground.log');
    const pgLog = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    return [
      this.bot ? `--- bot output ---\n${this.bot.process.output().slice(-8000)}` : '',
      `--- playground output ---\n${this.playground.output().slice(-2000)}`,
      `--- playground log ---\n${pgLog}`,
    ].join('\n');
  }

  /** Browser, playground, bot, temp files: each step bounded, each attempted even if one before failed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const bounded = (p: Promise<unknown>, ms: number) =>
      Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);
    await bounded(this.browser.close(), 10_000);
    await Promise.all([this.playground.stop(5_000), this.bot?.process.stop(15_000)]);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

async function startTriageBot(workDir: string, extra: Record<string, string>): Promise<TriageBotHandle> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !BOT_SETTINGS.test(k)));
  const dbPath = join(workDir, 'triage.sqlite');
  Object.assign(env, { HOST: '127.0.0.1', PORT: String(port), TRIAGE_DB: dbPath, LOG_LEVEL: 'info' }, extra);
  const proc = startBotProcess({ env });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 90_000, proc });
  } catch (e) {
    await proc.stop(5_000);
    throw new Error(`the triage bot did not start: ${(e as Error).message}\n${proc.output()}`);
  }
  return { endpoint: `http://127.0.0.1:${port}/api/messages`, dataDir: workDir, dbPath, process: proc };
}

export async function startPlayground(opts: StartOptions): Promise<PlaygroundSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the e2e tests need Debian's chromium (.ci/run installs it)`);
  const workDir = mkdtempSync(join(tmpdir(), 'triage-e2e-'));
  const started: ManagedProcess[] = [];
  try {
    const bot = opts.bot === 'triage' ? await startTriageBot(workDir, opts.botEnv ?? {}) : undefined;
    if (bot) started.push(bot.process);
    const endpoint = bot?.endpoint ?? (opts.bot as { endpoint: string }).endpoint;

    const port = await freePort();
    // Its working directory is the temp dir: it reads an optional config file from there and nothing else.
    const playground = startPlaygroundProcess({ endpoint, port, env: process.env, cwd: workDir, logFile: join(workDir, 'playground.log') });
    started.push(playground);
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, { timeoutMs: 60_000, proc: playground }).catch((e: Error) => {
      throw new Error(`the Agents Playground did not start: ${e.message}\n${playground.output()}`);
    });

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright-core gives every launch a fresh temporary profile (user-data-dir).
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      // The page fetches fonts and animations from a CDN; offline, and in tests, only the playground is real.
      await context.route(
        (u) => u.hostname !== '127.0.0.1' && u.hostname !== 'localhost',
        (route) => route.abort(),
      );
      const page = await context.newPage();
      const timeoutMs = opts.timeoutMs ?? 20_000;
      page.setDefaultTimeout(timeoutMs);
      await page.goto(url);
      const session = new PlaygroundSession(page, timeoutMs, url, bot, browser, playground, workDir);
      await session.openConversation('Personal Chat');
      return session;
    } catch (e) {
      await browser.close().catch(() => undefined);
      throw e;
    }
  } catch (e) {
    await Promise.all(started.map((p) => p.stop(5_000)));
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Runs `body` against a fresh rig; on failure saves artifacts/e2e/<name>-failure.png and reports the
 * processes' output as test diagnostics; always closes the rig.
 */
export async function withPlayground(
  t: TestContext,
  name: string,
  opts: StartOptions,
  body: (s: PlaygroundSession) => Promise<void>,
): Promise<void> {
  const session = await startPlayground(opts);
  try {
    await body(session);
  } catch (e) {
    const shot = await session.screenshot(`${name}-failure`).catch(() => 'none');
    t.diagnostic(`screenshot: ${shot}\n${session.diagnostics()}`);
    throw e;
  } finally {
    await session.close();
  }
}
