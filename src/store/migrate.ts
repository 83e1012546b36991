// Applies pending migrations, one transaction each, tracked by PRAGMA user_version (which SQLite keeps in the
// file header, inside the transaction). A database newer than the code is refused before anything is touched.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { Migration } from './migrations/types.js';

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws `schema_too_new` when the file was written by a newer build. */
export function assertKnownVersion(db: Database.Database, migrations: readonly Migration[], label: string): void {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new StoreError(
      `store: ${label} has schema version ${current}, this build knows up to ${latest}; upgrade the tool`,
      'schema_too_new',
    );
  }
}

/** Returns the versions it applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[], label = 'database'): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`store: migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  assertKnownVersion(db, migrations, label);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue;
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      const ran = db
        .transaction(() => {
          // Another process may have migrated while this one waited for the write lock.
          if (schemaVersion(db) >= m.version) return false;
          m.up(db);
          if (m.foreignKeysOff) {
            const bad = db.pragma('foreign_key_check') as unknown[];
            if (bad.length) throw new Error(`${bad.length} foreign key violation(s)`);
          }
          db.pragma(`user_version = ${m.version}`);
          return true;
        })
        .immediate();
      if (ran) applied.push(m.version);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new StoreError(`store: ${label}: migration ${m.version} (${m.name}) failed: ${msg}`, 'open_failed');
    } finally {
      if (m.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
  return applied;
}
