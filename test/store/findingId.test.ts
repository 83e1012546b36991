import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog, FindingsRepo, openStore } from '../../src/store/index.js';
import { assignFindingId, crockfordBase32, FINDING_ID_LENGTH, normalizeFindingId } from '../../src/store/findingId.js';
import { fresh, row, RULE, startRun, tempDir } from './support.js';

test('Crockford base32 packs bits most significant first and pads the tail', () => {
  assert.equal(crockfordBase32(Uint8Array.from([0xff])), 'zw');
  assert.equal(crockfordBase32(Uint8Array.from([0, 0, 0, 0, 0])), '00000000');
  assert.equal(crockfordBase32(Uint8Array.from([0x08, 0x42, 0x10, 0x84, 0x21])), '11111111');
});

test('the same key gets the same id in two separate databases', (t) => {
  const dir = tempDir(t);
  const ids = ['a.sqlite', 'b.sqlite'].map((name) => {
    const store = openStore(join(dir, name));
    try {
      const run = startRun(store);
      const rows = [row(), row({ deviceId: 'dev-2' }), row({ remoteUrl: 'stun.parsec.app' })];
      // Different insertion order in the second file: ids must not depend on it.
      if (name === 'b.sqlite') rows.reverse();
      store.findings.mergeRunRows(RULE, run.id, rows);
      return store.findings.list().map((f) => `${f.deviceId}|${f.remoteUrl}=${f.id}`).sort();
    } finally {
      store.close();
    }
  });
  assert.deepEqual(ids[0], ids[1]);
  for (const entry of ids[0]!) assert.match(entry.split('=')[1]!, /^[0-9a-hjkmnp-tv-z]{8}$/);
  const expected = assignFindingId(RULE, 'dev-1', 'kessel-ws.parsec.app', () => false);
  assert.ok(ids[0]!.includes(`dev-1|kessel-ws.parsec.app=${expected}`));
});

test('keys differ by exact value: case and separators matter, as Kusto groups', () => {
  const a = assignFindingId(RULE, 'dev-1', 'kessel-ws.parsec.app', () => false);
  const b = assignFindingId(RULE, 'dev-1', 'Kessel-WS.parsec.app', () => false);
  // A naive "rule|device|url" key would make these two meet.
  const c = assignFindingId(RULE, 'dev|1', 'x', () => false);
  const d = assignFindingId(RULE, 'dev', '1|x', () => false);
  assert.notEqual(a, b);
  assert.notEqual(c, d);
});

test('a collision lengthens the newcomer, never the incumbent', () => {
  const taken = new Map<string, string>();
  // Every key hashes to the same first 40 bits; the rest differ.
  const colliding = (key: string) =>
    Uint8Array.from([1, 2, 3, 4, 5, ...createHash('sha256').update(key).digest().subarray(5)]);
  const idFor = (device: string) => {
    const id = assignFindingId(RULE, device, 'u', (c) => taken.has(c) && taken.get(c) !== device, colliding);
    taken.set(id, device);
    return id;
  };
  const first = idFor('dev-a');
  const second = idFor('dev-b');
  const third = idFor('dev-c');
  assert.equal(first.length, FINDING_ID_LENGTH);
  assert.ok(second.length > FINDING_ID_LENGTH && second.startsWith(first));
  assert.ok(third.length > FINDING_ID_LENGTH && third.startsWith(first));
  assert.equal(new Set([first, second, third]).size, 3);
  // Deterministic: asking again for the incumbent gives the same short id.
  assert.equal(idFor('dev-a'), first);
});

test('the repository lengthens colliding ids and finds each finding by its own id', (t) => {
  const { store, clock } = fresh(t);
  const colliding = (key: string) =>
    Uint8Array.from([9, 9, 9, 9, 9, ...createHash('sha256').update(key).digest().subarray(5)]);
  const repo = new FindingsRepo(store.db, new AuditLog(store.db, clock.now), clock.now, { hash: colliding });
  const run = startRun(store);
  const r = repo.mergeRunRows(RULE, run.id, [row({ deviceId: 'a' }), row({ deviceId: 'b' }), row({ deviceId: 'c' })]);
  assert.equal(r.created.length, 3);
  assert.equal(new Set(r.created).size, 3);
  assert.equal(r.created[0]!.length, FINDING_ID_LENGTH);
  assert.ok(r.created.slice(1).every((id) => id.length > FINDING_ID_LENGTH));
  assert.deepEqual(
    r.created.map((id) => repo.get(id)?.deviceId),
    ['a', 'b', 'c'],
  );
});

test('typed ids are forgiving: case, hyphens, and look-alike letters', (t) => {
  assert.equal(normalizeFindingId(' AB-CD efgh '), 'abcdefgh');
  assert.equal(normalizeFindingId('O1lI'), '0111');
  const { store } = fresh(t);
  const run = startRun(store);
  const [id] = store.findings.mergeRunRows(RULE, run.id, [row()]).created;
  assert.ok(id);
  const typed = `${id.slice(0, 4).toUpperCase()}-${id.slice(4).toUpperCase()}`;
  assert.equal(store.findings.get(typed)?.id, id);
});
