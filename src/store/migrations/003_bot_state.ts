// The Teams bot's own state: botbuilder's Storage items (dialog stacks, conversation and user state) keyed as
// botbuilder keys them, with an eTag for optimistic concurrency; and the conversation references that
// proactive posts need (a reference can only be captured while the user is talking to the bot).
import type { Migration } from './types.js';

export const m003BotState: Migration = {
  version: 3,
  name: 'bot_state',
  up(db) {
    db.exec(`
      CREATE TABLE bot_state (
        key        TEXT PRIMARY KEY CHECK (key <> ''),
        value      TEXT NOT NULL CHECK (json_type(value) = 'object'),
        etag       TEXT NOT NULL CHECK (etag <> ''),
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE conversation_refs (
        conversation_id TEXT PRIMARY KEY CHECK (conversation_id <> ''),
        reference       TEXT NOT NULL CHECK (json_type(reference) = 'object'),
        subscribed      INTEGER NOT NULL DEFAULT 0 CHECK (subscribed IN (0, 1)),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX conversation_refs_subscribed ON conversation_refs (conversation_id) WHERE subscribed = 1;
    `);
  },
};
