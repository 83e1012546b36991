// A real TriageBot over a real temp SQLite file, seeded by a real hunt (recordHunt over the committed sample
// with LocalEventSource, at the sample's own clock). The hunt runs once per test process into a template file
// that each fixture copies, so every test starts from the same 100-odd open findings in its own database.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { parseDateTime } from '../../src/kql/values.js';
import { silentLogger } from '../../src/log.js';
import { findRule } from '../../src/rules/index.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { openApp, type TriageApp } from '../../src/triage/app.js';
import { recordHunt } from '../../src/triage/huntRecorder.js';
import { markFindings } from '../../src/triage/marking.js';
import { parseVerdict } from '../../src/triage/taxonomy.js';
import { composeBot } from '../../src/bot/compose.js';
import type { ConversationRefs } from '../../src/bot/conversationRefs.js';
import type { SqliteStorage } from '../../src/bot/sqliteStorage.js';
import type { TriageBot, TriageBotOptions } from '../../src/bot/triageBot.js';
import { SAMPLE_FILE, SAMPLE_NOW } from '../../data/sample/defaults.js';

let template: Promise<string> | undefined;

/** The database after one real hunt of the committed sample. */
export function seededTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-template-'));
    const dbPath = join(dir, 'template.sqlite');
    const config = loadConfig({ TRIAGE_DB: dbPath });
    const app = openApp(config);
    try {
      const now = parseDateTime(SAMPLE_NOW)!;
      await recordHunt(
        { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
        { rule: findRule(app.rules, undefined), source: new LocalEventSource({ path: SAMPLE_FILE, now }), now, pinned: true, actor: 'seed' },
      );
    } finally {
      app.close();
    }
    return dbPath;
  })();
  return template;
}

export interface BotFixture {
  readonly dir: string;
  readonly config: Config;
  readonly app: TriageApp;
  readonly bot: TriageBot;
  readonly storage: SqliteStorage;
  readonly refs: ConversationRefs;
  /** Another bot over the same database, as after a restart (the first one's app is closed). */
  restart(): BotFixture;
  close(): void;
}

export interface FixtureOptions {
  /** Extra environment for loadConfig (TRIAGE_ANALYSTS, REQUIRE_APPROVAL, …). */
  readonly env?: Record<string, string>;
  /** Start from the seeded hunt (default) or an empty database. */
  readonly seeded?: boolean;
  /** Bot options beyond the fixture's own (huntInlineMs, …). */
  readonly bot?: Pick<TriageBotOptions, 'huntInlineMs' | 'createSource'>;
}

function build(dir: string, dbPath: string, opts: FixtureOptions): BotFixture {
  const config = loadConfig({ TRIAGE_DB: dbPath, ...opts.env });
  const app = openApp(config);
  // As in production (src/index.ts): conversation references are kept, so subscriptions and proactive posts work.
  const { bot, storage, refs } = composeBot(app, silentLogger, opts.bot);
  let closed = false;
  const fixture: BotFixture = {
    dir,
    config,
    app,
    bot,
    storage,
    refs,
    restart() {
      fixture.close();
      return build(dir, dbPath, opts);
    },
    close() {
      if (closed) return;
      closed = true;
      app.close();
    },
  };
  return fixture;
}

export async function botFixture(opts: FixtureOptions = {}): Promise<BotFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-'));
  const dbPath = join(dir, 'triage.sqlite');
  if (opts.seeded ?? true) copyFileSync(await seededTemplate(), dbPath);
  return build(dir, dbPath, opts);
}

export function removeFixture(f: BotFixture): void {
  f.close();
  rmSync(f.dir, { recursive: true, force: true });
}

/** Closes all but `keep` open findings (most recently seen first stay open), as an analyst's earlier work. */
export async function leaveOpen(app: TriageApp, keep: number): Promise<string[]> {
  const open = app.store.findings.list({ state: 'open' });
  const rest = open.slice(keep).map((f) => f.id);
  if (rest.length) await markFindings(app, { ids: rest, verdict: parseVerdict('fp'), comment: 'seeded', analyst: { id: 'seed' } });
  return open.slice(0, keep).map((f) => f.id);
}
