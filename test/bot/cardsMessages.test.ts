// The hunt summary (a failed run never reads as "no findings"), welcome, help and notice cards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardProblems, helpCard, huntSummaryCard, noticeCard, VERBS, welcomeCard } from '../../src/bot/cards/index.js';
import { allText, unescape, verbs, type Json } from './cardsFixtures.js';

const COMMANDS = [
  { title: 'hunt', description: 'Run the hunting query now' },
  { title: 'next', description: 'Show the next open finding' },
  { title: 'bulk [url|account|parent]', description: 'Mark many findings at once' },
];

test('a finished hunt reports rows, new, reopened and suppressed per exclusion, with Start triage', () => {
  const card = huntSummaryCard({ runId: 12, status: 'ok', rows: 40, created: 5, reopened: 2, suppressed: [{ exclusionId: 4, hits: 30 }, { exclusionId: 9, hits: 1 }], warnings: ['list known_vpn_subnet is empty'] });
  assert.deepEqual(cardProblems(card), []);
  const shown = unescape(allText(card));
  for (const s of ['Hunt run 12 finished', 'Rows', '40', 'New findings', '5', 'Reopened', '2', '31 events by 2 exclusions', 'Exclusion 4', '30 events', 'Exclusion 9', '1 event', 'list known_vpn_subnet is empty']) {
    assert.ok(shown.includes(s), s);
  }
  assert.deepEqual(verbs(card), [VERBS.triageNext, VERBS.bulkOpen, VERBS.exclusionsOpen]);
  assert.equal(card.actions![0]!.title, 'Start triage');
});

test('a failed hunt says FAILED with its error, never that nothing was found', () => {
  const card = huntSummaryCard({ runId: 13, status: 'failed', rows: 0, created: 0, reopened: 0, suppressed: [], warnings: [], error: 'log-analytics: 403 Forbidden: *no access* to [workspace]' });
  assert.deepEqual(cardProblems(card), []);
  const shown = unescape(allText(card));
  assert.ok(shown.includes('Hunt run 13 FAILED'));
  assert.ok(shown.includes('log-analytics: 403 Forbidden: *no access* to [workspace]'));
  assert.ok(!/no (new )?findings|nothing new/i.test(shown), shown);
  assert.deepEqual(verbs(card), [VERBS.huntRun, VERBS.help]);
  const quiet = huntSummaryCard({ runId: 14, status: 'ok', rows: 0, created: 0, reopened: 0, suppressed: [], warnings: [] });
  assert.ok(allText(quiet).includes('Nothing new to triage'), 'a successful empty run does say so');
});

test('a partial hunt warns that results are incomplete', () => {
  const card = huntSummaryCard({ runId: 15, status: 'partial', rows: 3, created: 1, reopened: 0, suppressed: [], warnings: [] });
  assert.ok(allText(card).includes('Partial results'));
});

test('the welcome card lists the commands, says when everyone is an analyst, and offers quick actions', () => {
  const open = welcomeCard({ open: true, commands: COMMANDS });
  assert.deepEqual(cardProblems(open), []);
  const shown = unescape(allText(open));
  for (const c of COMMANDS) assert.ok(shown.includes(c.title) && shown.includes(c.description));
  assert.ok(shown.includes('everyone here can mark findings and approve exclusions'));
  assert.deepEqual(verbs(open), [VERBS.huntRun, VERBS.triageNext, VERBS.bulkOpen, VERBS.exclusionsOpen]);
  assert.ok(!allText(welcomeCard({ open: false, commands: COMMANDS })).includes('everyone here'));
});

test('the help card lists the commands, with an optional note', () => {
  const card = helpCard(COMMANDS, 'I did not understand "frobnicate".');
  assert.deepEqual(cardProblems(card), []);
  assert.ok(unescape(allText(card)).includes('I did not understand "frobnicate".'));
  assert.ok(unescape(allText(card)).includes('bulk [url|account|parent]'));
});

test('notice cards color by kind and escape their text', () => {
  for (const [kind, style] of [['info', 'accent'], ['warning', 'warning'], ['error', 'attention']] as const) {
    const card = noticeCard('That card is out of date: **stale**', kind);
    assert.deepEqual(cardProblems(card), []);
    assert.equal((card.body[0] as unknown as Json).style, style);
    assert.equal(allText(card), 'That card is out of date: \\*\\*stale\\*\\*');
    assert.equal(card.actions, undefined);
  }
});
