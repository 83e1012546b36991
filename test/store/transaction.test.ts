import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/index.js';
import { count, fresh, row, RULE, startRun } from './support.js';

function snapshot(store: Store) {
  return {
    findings: store.db.prepare('SELECT id, state, version FROM findings ORDER BY id').all(),
    dispositions: count(store, 'dispositions'),
    exclusions: count(store, 'exclusions'),
    audit: count(store, 'audit_log'),
  };
}

function seed(store: Store, n: number): string[] {
  const run = startRun(store);
  const rows = Array.from({ length: n }, (_, i) => row({ deviceId: `dev-${i}` }));
  return store.findings.mergeRunRows(RULE, run.id, rows).created;
}

test('a transaction that throws midway leaves nothing written, audit included', (t) => {
  const { store } = fresh(t);
  const ids = seed(store, 20);
  const before = snapshot(store);
  assert.throws(
    () =>
      store.transaction(() => {
        ids.forEach((findingId, i) => {
          if (i === 12) throw new Error('card submission rejected');
          const benign = { classification: 'BenignPositive', reason: 'SuspiciousButExpected', scenario: 1 } as const;
          store.dispositions.create({ findingId, ...benign, analystId: 'alice' }, 'alice');
          store.findings.close(findingId, 'disposition', 'alice');
        });
        const conditions = [{ column: 'RemoteIP', op: 'in', values: ['10.0.0.1'] }];
        store.exclusions.create({ ruleId: RULE, scope: 'rule', conditions, author: 'alice' }, 'alice');
      }),
    /card submission rejected/,
  );
  assert.deepEqual(snapshot(store), before);
  assert.deepEqual(store.audit.verify(), { ok: true, count: before.audit });
});

test('a database error midway in a bulk call rolls the whole call back', (t) => {
  const { store } = fresh(t);
  const ids = seed(store, 5);
  const before = snapshot(store);
  const inputs = [...ids, 'nosuch00', ids[0]!].map((findingId) => ({
    findingId,
    classification: 'Undetermined' as const,
    analystId: 'alice',
  }));
  assert.throws(() => store.dispositions.createMany(inputs, 'alice'), /no finding 'nosuch00'/);
  assert.throws(() => store.findings.closeMany([...ids, 'nosuch00'], 'disposition', 'alice'), /no finding/);
  assert.deepEqual(snapshot(store), before);
});

test('a merge with one bad row among thousands writes none of them', (t) => {
  const { store } = fresh(t);
  const run = startRun(store);
  const rows = Array.from({ length: 3000 }, (_, i) => row({ deviceId: `dev-${i}` }));
  rows[2500] = row({ deviceId: 'bad', reportIds: ['x' as unknown as number] });
  assert.throws(() => store.findings.mergeRunRows(RULE, run.id, rows), /rows\[2500\]\.reportIds/);
  assert.equal(count(store, 'findings'), 0);
  assert.equal(count(store, 'audit_log'), 1, 'only the run.start from before');
});

test('nested transactions join the outer one: an outer failure undoes the inner work', (t) => {
  const { store } = fresh(t);
  const [id] = seed(store, 1);
  const before = snapshot(store);
  assert.throws(() =>
    store.transaction(() => {
      store.transaction(() => store.findings.close(id!, 'disposition', 'alice'));
      assert.equal(store.findings.get(id!)!.state, 'closed', 'visible inside');
      throw new Error('later step failed');
    }),
  );
  assert.deepEqual(snapshot(store), before);
});

test('an async function is refused, at the top and nested, and writes nothing', (t) => {
  const { store } = fresh(t);
  const [id] = seed(store, 1);
  const before = snapshot(store);
  assert.throws(
    () =>
      store.transaction((async () => {
        store.findings.close(id!, 'disposition', 'alice');
      }) as () => unknown),
    /cannot return a promise/,
  );
  assert.throws(
    () =>
      store.transaction(() =>
        store.transaction((async () => {
          store.findings.close(id!, 'disposition', 'alice');
        }) as () => unknown),
      ),
    /cannot return a promise/,
  );
  assert.deepEqual(snapshot(store), before);
});
