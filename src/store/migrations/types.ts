import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3, ... in order; the database's PRAGMA user_version is the last one applied. */
  readonly version: number;
  readonly name: string;
  /**
   * For a migration that rebuilds a referenced table: foreign keys are switched off around its transaction
   * (SQLite ignores that pragma inside one) and `PRAGMA foreign_key_check` must come back clean before commit.
   */
  readonly foreignKeysOff?: boolean;
  up(db: Database.Database): void;
}
