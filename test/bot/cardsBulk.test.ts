// The bulk card (grouping, multi-select, one submit, paging and group-by actions), its paging math, and the
// summary card after a bulk submit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BULK_PAGE_SIZE, bulkCard, bulkPage, bulkSummaryCard, cardProblems, clampPage, groupFindings, INPUT_IDS, pageCountFor, VERBS, type BulkFinding,
} from '../../src/bot/cards/index.js';
import { allText, executes, input, inputIds, SCENARIOS, unescape, verbs, type Json } from './cardsFixtures.js';

function findings(n: number): BulkFinding[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `F${String(i).padStart(7, '0')}`,
    device: `wks-${i}.corp.contoso.com`,
    url: ['kessel-ws.parsec.app', 'stun.parsec.app', 'builds.parsec.app'][i % 3]!,
    accounts: i % 4 ? ['alice'] : ['ITSecurity', 'NetworkOps'],
    parents: i % 2 ? ['explorer.exe'] : [],
    lastSeen: '2026-11-30T17:44:10.0000000Z',
    count: i + 1,
    version: i % 5,
  }));
}

test('groupFindings groups by url, account set or parent set, largest groups first', () => {
  const fs = findings(12);
  assert.deepEqual(groupFindings(fs, 'url').map((g) => [g.key, g.findings.length]), [['builds.parsec.app', 4], ['kessel-ws.parsec.app', 4], ['stun.parsec.app', 4]]);
  assert.deepEqual(groupFindings(fs, 'account').map((g) => [g.key, g.findings.length]), [['alice', 9], ['ITSecurity, NetworkOps', 3]]);
  assert.deepEqual(groupFindings(fs, 'parent').map((g) => [g.key, g.findings.length]), [['(none)', 6], ['explorer.exe', 6]]);
});

test('paging math: pages count findings, split groups say so, pages clamp to 1..pageCount', () => {
  assert.equal(pageCountFor(0), 1);
  assert.equal(pageCountFor(20), 1);
  assert.equal(pageCountFor(21), 2);
  assert.equal(pageCountFor(10_000), 500);
  assert.equal(clampPage(0, 3), 1);
  assert.equal(clampPage(9, 3), 3);
  assert.equal(clampPage(Number.NaN, 3), 1);
  assert.equal(clampPage(2.7, 3), 2);
  const groups = [{ key: 'a', findings: findings(7) }, { key: 'b', findings: findings(5) }, { key: 'c', findings: findings(3) }];
  const p2 = bulkPage(groups, 2, 5);
  assert.deepEqual([p2.page, p2.pageCount, p2.total], [2, 3, 15]);
  assert.deepEqual(p2.groups.map((g) => [g.key, g.findings.length, g.size]), [['a', 2, 7], ['b', 3, 5]]);
  assert.deepEqual(p2.groups[0]!.findings.map((f) => f.id), ['F0000005', 'F0000006']);
  const last = bulkPage(groups, 99, 5);
  assert.deepEqual([last.page, last.groups.map((g) => g.key)], [3, ['b', 'c']]);
  const seen = [1, 2, 3].flatMap((p) => bulkPage(groups, p, 5).groups.flatMap((g) => g.findings.map((f) => `${g.key}/${f.id}`)));
  assert.equal(new Set(seen).size, 15, 'every finding is on exactly one page');
});

test('the bulk card: one multi-select of this page, the shared inputs, submit with groupBy/page/versions', () => {
  const groups = groupFindings(findings(12), 'url');
  const card = bulkCard({ groupBy: 'url', groups, page: 1, pageCount: 1, total: 12, scenarios: SCENARIOS, filter: 'state=open' });
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(inputIds(card), [INPUT_IDS.selected, INPUT_IDS.classification, INPUT_IDS.scenario, INPUT_IDS.exclude, INPUT_IDS.fpReason, INPUT_IDS.comment]);
  const selected = input(card, INPUT_IDS.selected);
  assert.equal(selected.isMultiSelect, true);
  assert.equal(selected.style, 'expanded');
  const choices = selected.choices as Json[];
  assert.deepEqual(choices.map((c) => c.value), groups.flatMap((g) => g.findings.map((f) => f.id)));
  assert.equal(choices[0]!.title, 'builds.parsec.app › wks-2.corp.contoso.com · alice · — · 3× · last 2026-11-30 17:44');
  assert.deepEqual((input(card, INPUT_IDS.classification).choices as Json[]).map((c) => c.value), ['benign', 'tp', 'fp', 'undetermined']);
  assert.deepEqual((input(card, INPUT_IDS.scenario).choices as Json[]).map((c) => c.value), ['1', '2', '3', '4', '5']);
  const submit = executes(card).find((a) => a.verb === VERBS.bulkSubmit)!;
  const versions = Object.fromEntries(groups.flatMap((g) => g.findings.map((f) => [f.id, f.version])));
  assert.deepEqual(submit.data, { verb: VERBS.bulkSubmit, groupBy: 'url', page: 1, versions, filter: 'state=open' });
  assert.deepEqual((submit.fallback as Json).data, submit.data);
  const shown = unescape(allText(card));
  assert.ok(shown.includes('Bulk marking · 12 open findings'));
  assert.ok(shown.includes('Grouped by URL · page 1 of 1 · filter state=open'));
  assert.ok(shown.includes('stun.parsec.app'));
  // One page only: no paging actions, but the other two groupings.
  assert.deepEqual(verbs(card), [VERBS.bulkSubmit, VERBS.bulkOpen, VERBS.bulkOpen]);
  assert.deepEqual(executes(card).slice(1).map((a) => a.data), [
    { verb: VERBS.bulkOpen, groupBy: 'account', page: 1, filter: 'state=open' },
    { verb: VERBS.bulkOpen, groupBy: 'parent', page: 1, filter: 'state=open' },
  ]);
});

test('handed every finding, the bulk card pages itself and offers previous/next pages', () => {
  const groups = groupFindings(findings(95), 'account');
  const card = bulkCard({ groupBy: 'account', groups, page: 3, scenarios: SCENARIOS });
  assert.deepEqual(cardProblems(card), []);
  const choices = input(card, INPUT_IDS.selected).choices as Json[];
  assert.equal(choices.length, BULK_PAGE_SIZE);
  const expected = bulkPage(groups, 3).groups.flatMap((g) => g.findings.map((f) => f.id));
  assert.deepEqual(choices.map((c) => c.value), expected);
  assert.ok(allText(card).includes('page 3 of 5'));
  const opens = executes(card).filter((a) => a.verb === VERBS.bulkOpen).map((a) => a.data);
  assert.deepEqual(opens, [
    { verb: VERBS.bulkOpen, groupBy: 'account', page: 2 },
    { verb: VERBS.bulkOpen, groupBy: 'account', page: 4 },
    { verb: VERBS.bulkOpen, groupBy: 'url', page: 1 },
    { verb: VERBS.bulkOpen, groupBy: 'parent', page: 1 },
  ]);
  const last = bulkCard({ groupBy: 'account', groups, page: 5, scenarios: SCENARIOS });
  assert.equal((input(last, INPUT_IDS.selected).choices as Json[]).length, 15);
  assert.ok(!executes(last).some((a) => (a.data as Json).page === 6), 'no next page after the last');
});

test('with no open findings the bulk card says so and offers a hunt', () => {
  const card = bulkCard({ groupBy: 'url', groups: [], page: 1, scenarios: SCENARIOS });
  assert.deepEqual(cardProblems(card), []);
  assert.deepEqual(inputIds(card), []);
  assert.ok(allText(card).includes('No open findings to mark here.'));
  assert.equal(verbs(card)[0], VERBS.huntRun);
});

test('the bulk summary reports what was marked, what already was, and the exclusions', () => {
  const card = bulkSummaryCard({
    classification: 'benign', marked: ['F0000001', 'F0000002', 'F0000003'], unchanged: ['F0000009'],
    exclusions: [{ id: 7, state: 'proposed', closed: 0 }, { id: 8, state: 'active', closed: 2 }], by: 'alice',
  });
  assert.deepEqual(cardProblems(card), []);
  const shown = unescape(allText(card));
  for (const s of ['alice marked 3 findings Benign Positive', 'F0000001, F0000002, F0000003', 'Already so', 'F0000009', 'Exclusion 7', 'proposed · closed 0 findings', 'active · closed 2 findings']) {
    assert.ok(shown.includes(s), s);
  }
  assert.deepEqual(verbs(card), [VERBS.triageNext, VERBS.bulkOpen, VERBS.exclusionsOpen]);
  const tp = bulkSummaryCard({ classification: 'TruePositive', marked: ['F1'], unchanged: [], exclusions: [], by: 'bob' });
  assert.ok(allText(tp).includes('bob marked 1 finding True Positive'));
  assert.deepEqual(verbs(tp), [VERBS.triageNext, VERBS.bulkOpen]);
});
