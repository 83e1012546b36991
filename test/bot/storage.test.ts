// SqliteStorage: botbuilder's Storage contract over the store's bot_state table, on a real SQLite file.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { openStore, type Store } from '../../src/store/index.js';
import { SqliteStorage, StorageConflictError } from '../../src/bot/sqliteStorage.js';

function dbPath(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bot-storage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'triage.sqlite');
}

function open(t: TestContext, path = dbPath(t)): { store: Store; storage: SqliteStorage; path: string } {
  const store = openStore(path, { now: () => new Date('2026-12-01T12:00:00Z') });
  t.after(() => store.close());
  return { store, storage: new SqliteStorage(store), path };
}

test('write, read and delete items; missing keys are left out of a read', async (t) => {
  const { storage, store } = open(t);
  await storage.write({ a: { count: 1, nested: { list: [1, 'two'] } }, b: { name: 'bee' } });
  const read = await storage.read(['a', 'b', 'missing']);
  assert.deepEqual(Object.keys(read).sort(), ['a', 'b']);
  assert.equal(read.a.count, 1);
  assert.deepEqual(read.a.nested, { list: [1, 'two'] });
  assert.equal(typeof read.a.eTag, 'string');
  assert.notEqual(read.a.eTag, read.b.eTag);
  const row = store.db.prepare('SELECT value, updated_at FROM bot_state WHERE key = ?').get('a') as { value: string; updated_at: string };
  // The eTag lives in its own column, not inside the stored value.
  assert.deepEqual(JSON.parse(row.value), { count: 1, nested: { list: [1, 'two'] } });
  assert.equal(row.updated_at, '2026-12-01T12:00:00.000Z');

  await storage.delete(['a', 'never-there']);
  assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
  assert.deepEqual(await storage.read([]), {});
});

test('a write with a stale eTag is refused, and nothing in that write is stored', async (t) => {
  const { storage } = open(t);
  await storage.write({ k: { v: 1 } });
  const first = (await storage.read(['k'])).k;
  await storage.write({ k: { ...first, v: 2 } });
  const second = (await storage.read(['k'])).k;
  assert.equal(second.v, 2);
  assert.notEqual(second.eTag, first.eTag);

  await assert.rejects(storage.write({ other: { v: 'new' }, k: { ...first, v: 3 } }), (e: unknown) => {
    assert.ok(e instanceof StorageConflictError);
    assert.equal(e.key, 'k');
    assert.match(e.message, /error writing "k" due to eTag conflict/);
    return true;
  });
  const after = await storage.read(['k', 'other']);
  assert.equal(after.k.v, 2);
  assert.equal(after.k.eTag, second.eTag);
  assert.equal(after.other, undefined);

  // The current eTag is accepted.
  await storage.write({ k: { ...second, v: 4 } });
  assert.equal((await storage.read(['k'])).k.v, 4);
});

test("'*' or no eTag overwrites whatever is stored; an eTag for a missing key creates it", async (t) => {
  const { storage } = open(t);
  await storage.write({ k: { v: 1 } });
  await storage.write({ k: { v: 2, eTag: '*' } });
  assert.equal((await storage.read(['k'])).k.v, 2);
  await storage.write({ k: { v: 3 } });
  assert.equal((await storage.read(['k'])).k.v, 3);
  await storage.write({ fresh: { v: 1, eTag: 'from-elsewhere' } });
  assert.equal((await storage.read(['fresh'])).fresh.v, 1);
});

test('bad input is refused with the key named', async (t) => {
  const { storage } = open(t);
  await assert.rejects(storage.write({ k: 'not an object' }), /storage: write "k": the item must be an object, got "not an object"/);
  await assert.rejects(storage.write({ k: { big: 1n } }), /storage: write "k": the item cannot be stored as JSON/);
  await assert.rejects(storage.write({ k: { eTag: 7 } }), /storage: write "k": eTag must be a string, got number/);
  await assert.rejects(storage.write({ '': { v: 1 } }), /storage: write: key must be a non-empty string/);
  await assert.rejects(storage.read('k' as unknown as string[]), /storage: read: keys must be an array/);
  await assert.rejects(storage.delete([3 as unknown as string]), /storage: delete: key must be a non-empty string, got number/);
  assert.deepEqual(await storage.read(['k']), {});
});

test('state survives closing and reopening the file', async (t) => {
  const path = dbPath(t);
  const first = openStore(path);
  const storage = new SqliteStorage(first);
  await storage.write({ 'msteams/conversations/19:abc@thread.tacv2/': { dialogState: { stack: [{ id: 'triage' }] } } });
  const etag = (await storage.read(['msteams/conversations/19:abc@thread.tacv2/']))['msteams/conversations/19:abc@thread.tacv2/'].eTag;
  first.close();

  const { storage: again } = open(t, path);
  const read = await again.read(['msteams/conversations/19:abc@thread.tacv2/']);
  assert.deepEqual(read['msteams/conversations/19:abc@thread.tacv2/'], { dialogState: { stack: [{ id: 'triage' }] }, eTag: etag });
});

test('ConversationState over SqliteStorage keeps a conversation counter across a restart', async (t) => {
  const path = dbPath(t);
  const turn = (storage: SqliteStorage) => {
    const state = new ConversationState(storage);
    const count = state.createProperty<number>('count');
    return new TestAdapter(async (context) => {
      const n = (await count.get(context, 0)) + 1;
      await count.set(context, n);
      await context.sendActivity(`count ${n}`);
      await state.saveChanges(context);
    });
  };
  const first = openStore(path);
  await turn(new SqliteStorage(first)).send('hi').assertReply('count 1').send('again').assertReply('count 2').startTest();
  first.close();

  const { storage, store } = open(t, path);
  await turn(storage).send('after restart').assertReply('count 3').startTest();
  const keys = (store.db.prepare('SELECT key FROM bot_state').all() as { key: string }[]).map((r) => r.key);
  assert.deepEqual(keys, ['test/conversations/Convo1/']);
});

class NameDialog extends ComponentDialog {
  constructor() {
    super('name');
    this.addDialog(new TextPrompt('text'));
    this.addDialog(
      new WaterfallDialog('steps', [
        async (step) => step.prompt('text', 'Which device?'),
        async (step) => {
          await step.context.sendActivity(`Looking at ${String(step.result)}`);
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = 'steps';
  }
}

test("a dialog waiting for an answer resumes after a restart: no one loses their place", async (t) => {
  const path = dbPath(t);
  const bot = (storage: SqliteStorage) => {
    const state = new ConversationState(storage);
    const dialogs = new DialogSet(state.createProperty('dialogState'));
    dialogs.add(new NameDialog());
    return new TestAdapter(async (context) => {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog('name');
      await state.saveChanges(context);
    });
  };
  const first = openStore(path);
  await bot(new SqliteStorage(first)).send('start').assertReply('Which device?').startTest();
  first.close();

  const { storage } = open(t, path);
  await bot(storage).send('wks-042').assertReply('Looking at wks-042').startTest();
});
