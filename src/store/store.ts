// Opens the one SQLite file and hands out the repositories over it. Everything is synchronous: service code
// queries the event source first, then persists in one `store.transaction(...)`, never awaiting inside it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { transactor, type Tx } from './atomic.js';
import { AuditLog } from './audit.js';
import { DispositionsRepo } from './dispositions.js';
import { errorText, StoreError } from './errors.js';
import { ExclusionsRepo } from './exclusions.js';
import { FindingsRepo } from './findings.js';
import { assertKnownVersion, migrate, schemaVersion } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { RunsRepo } from './runs.js';
import { StatsRepo } from './stats.js';

export interface StoreOptions {
  /** The clock for every wall-clock timestamp the store writes (pinned by TRIAGE_NOW). */
  now?: (() => Date) | undefined;
}

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export class Store {
  readonly audit: AuditLog;
  readonly runs: RunsRepo;
  readonly findings: FindingsRepo;
  readonly dispositions: DispositionsRepo;
  readonly exclusions: ExclusionsRepo;
  /** Read-only aggregates over the others' tables (the `stats` view). */
  readonly stats: StatsRepo;
  private readonly tx: Tx;

  constructor(
    /** The raw connection, for repositories that later migrations add. */
    readonly db: Database.Database,
    readonly path: string,
    readonly now: () => Date,
  ) {
    this.audit = new AuditLog(db, now);
    this.runs = new RunsRepo(db, this.audit, now);
    this.findings = new FindingsRepo(db, this.audit, now);
    this.dispositions = new DispositionsRepo(db, this.audit, now);
    this.exclusions = new ExclusionsRepo(db, this.audit, now);
    this.stats = new StatsRepo(db, this.findings);
    this.tx = transactor(db);
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /**
   * Runs `fn` as one all-or-nothing write: BEGIN IMMEDIATE, or joining the transaction already open (nesting
   * flattens, see atomic.ts; an error must propagate out to roll back). `fn` must be synchronous: a returned
   * promise is refused.
   */
  transaction<T>(fn: () => T): T {
    return this.tx(fn);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) and migrates the database at `path`; ':memory:' gives a throwaway one. */
export function openStore(path: string, opts: StoreOptions = {}): Store {
  const memory = path === ':memory:';
  let db: Database.Database;
  try {
    if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new StoreError(`store: cannot open ${path}: ${errorText(e)}`, 'open_failed');
  }
  try {
    try {
      // Refuse a newer file before changing anything in it, journal mode included.
      assertKnownVersion(db, MIGRATIONS, path);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError(`store: ${path} is not a usable SQLite database: ${errorText(e)}`, 'open_failed');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Statement journals stay in memory, not in temp files.
    db.pragma('temp_store = MEMORY');
    migrate(db, MIGRATIONS, path);
    return new Store(db, path, opts.now ?? (() => new Date()));
  } catch (e) {
    db.close();
    throw e;
  }
}
