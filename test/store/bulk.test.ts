// The bulk paths at the size the issue names. Timings are reported as diagnostics, never asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, fresh, row, RULE, startRun } from './support.js';

const N = 10_000;

test('10,000 findings merge, then are marked and closed in one transaction, idempotently', (t) => {
  const { store } = fresh(t);
  const run1 = startRun(store);
  const rows = Array.from({ length: N }, (_, i) =>
    row({ deviceId: `dev-${i % 2500}`, remoteUrl: `h${Math.floor(i / 2500)}.parsec.app`, reportIds: [i] }),
  );
  let t0 = performance.now();
  const first = store.findings.mergeRunRows(RULE, run1.id, rows);
  t.diagnostic(`merge ${N} new findings: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(first.created.length, N);
  assert.equal(new Set(first.created).size, N);

  const run2 = startRun(store);
  t0 = performance.now();
  const second = store.findings.mergeRunRows(RULE, run2.id, rows.map((r) => ({ ...r, count: 7 })));
  t.diagnostic(`merge ${N} updated findings: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(second.updated.length, N);

  const ids = store.findings.list({ state: 'open', ruleId: RULE }).map((f) => f.id);
  assert.equal(ids.length, N);
  const mark = () =>
    store.transaction(() => {
      const latest = store.dispositions.latestForMany(ids);
      // Idempotence is the caller's rule: skip findings whose latest verdict already says the same.
      const todo = ids.filter((id) => latest.get(id)?.classification !== 'BenignPositive');
      store.dispositions.createMany(
        todo.map((findingId) => ({
          findingId,
          classification: 'BenignPositive' as const,
          reason: 'SuspiciousButExpected' as const,
          scenario: 2,
          analystId: 'alice',
          bulkId: 'bulk-1',
        })),
        'alice',
      );
      return store.findings.closeMany(ids, 'disposition', 'alice');
    });
  t0 = performance.now();
  const closed = mark();
  t.diagnostic(`mark + close ${N} findings: ${(performance.now() - t0).toFixed(0)} ms`);
  assert.equal(closed.closed.length, N);
  assert.equal(count(store, 'dispositions'), N);
  const audits = count(store, 'audit_log');

  const again = mark();
  assert.equal(again.closed.length, 0);
  assert.equal(again.unchanged.length, N);
  assert.equal(count(store, 'dispositions'), N);
  assert.equal(count(store, 'audit_log'), audits);
  assert.deepEqual(store.findings.countByState(RULE), { open: 0, recurring: 0, closed: N });
  t0 = performance.now();
  assert.deepEqual(store.audit.verify(), { ok: true, count: audits });
  t.diagnostic(`verify ${audits} audit rows: ${(performance.now() - t0).toFixed(0)} ms`);
});
