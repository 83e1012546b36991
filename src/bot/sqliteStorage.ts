// botbuilder's Storage over the bot_state table, so dialog stacks and conversation/user state survive a
// restart. eTags behave as MemoryStorage's do: a write carrying an eTag that no longer matches the stored one
// is refused; '*' or no eTag overwrites. Unlike MemoryStorage, a write or delete of several keys is all or
// nothing: one conflict and none of them is stored.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Storage, StoreItems } from 'botbuilder';
import { wallTime } from '../store/time.js';

/** What the storage needs from the app's Store: its connection, clock and transaction runner. */
export interface StorageHost {
  readonly db: Database.Database;
  readonly now: () => Date;
  transaction<T>(fn: () => T): T;
}

export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}

interface StateRow {
  key: string;
  value: string;
  etag: string;
}

export class SqliteStorage implements Storage {
  private readonly selectOne: Database.Statement<[string], StateRow>;
  private readonly selectEtag: Database.Statement<[string], { etag: string }>;
  private readonly upsert: Database.Statement<{ key: string; value: string; etag: string; at: string }>;
  private readonly remove: Database.Statement<[string]>;

  constructor(private readonly host: StorageHost) {
    const db = host.db;
    this.selectOne = db.prepare('SELECT key, value, etag FROM bot_state WHERE key = ?');
    this.selectEtag = db.prepare('SELECT etag FROM bot_state WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO bot_state (key, value, etag, updated_at) VALUES (@key, @value, @etag, @at)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM bot_state WHERE key = ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('storage: read: keys must be an array of strings');
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(checkKey('read', key));
      if (!row) continue;
      items[key] = { ...(JSON.parse(row.value) as Record<string, unknown>), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!isObject(changes)) throw new TypeError('storage: write: changes must be an object of items by key');
    // Serialize before the transaction opens, so a bad item fails without holding the write lock.
    const at = wallTime(this.host.now());
    const rows = Object.entries(changes).map(([key, item]) => {
      checkKey('write', key);
      if (!isObject(item)) throw new TypeError(`storage: write "${key}": the item must be an object, got ${describe(item)}`);
      const { eTag, ...rest } = item as { eTag?: unknown };
      if (eTag !== undefined && typeof eTag !== 'string') {
        throw new TypeError(`storage: write "${key}": eTag must be a string, got ${describe(eTag)}`);
      }
      return { key, eTag, value: serialize(key, rest), etag: randomUUID(), at };
    });
    this.host.transaction(() => {
      for (const r of rows) {
        if (r.eTag && r.eTag !== '*') {
          const current = this.selectEtag.get(r.key);
          // As MemoryStorage: an eTag for a key that is gone (or never was) is a plain create.
          if (current && current.etag !== r.eTag) throw new StorageConflictError(r.key);
        }
        this.upsert.run({ key: r.key, value: r.value, etag: r.etag, at: r.at });
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('storage: delete: keys must be an array of strings');
    for (const key of keys) checkKey('delete', key);
    this.host.transaction(() => {
      for (const key of keys) this.remove.run(key);
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKey(op: string, key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new TypeError(`storage: ${op}: key must be a non-empty string, got ${describe(key)}`);
  return key;
}

function serialize(key: string, value: object): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new TypeError(`storage: write "${key}": the item cannot be stored as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v;
}
