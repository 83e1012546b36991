// Every card stays under MAX_CARD_BYTES (Teams' ~80 KB message limit, with room) whatever it is handed:
// 10,000 findings, huge lists, megabyte strings, and the worst bytes per character (escapes, emoji, CJK).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BULK_PAGE_SIZE, bulkCard, bulkSummaryCard, cardBytes, cardProblems, exclusionsCard, findingCard, groupFindings, helpCard, huntSummaryCard,
  INPUT_IDS, MAX_CARD_BYTES, noticeCard, proposalCard, statsCard, welcomeCard, type AdaptiveCard, type BulkFinding, type ExclusionView, type ScenarioView,
} from '../../src/bot/cards/index.js';
import { input, openView, SCENARIOS, type Json } from './cardsFixtures.js';

// Each of these costs the most JSON bytes per UTF-16 unit once escaped: `*` → `\\*` (3), CJK (3), emoji (4 per 2).
const NASTY = ['*'.repeat(5000), '字'.repeat(5000), '😀'.repeat(2500), '"\\'.repeat(2500)];
const long = (i: number): string => NASTY[i % NASTY.length]!;

function assertFits(card: AdaptiveCard, what: string): void {
  const bytes = cardBytes(card);
  assert.ok(bytes <= MAX_CARD_BYTES, `${what}: ${bytes} bytes`);
  assert.deepEqual(cardProblems(card), [], what);
}

test('realistic bulk pages are far under the limit', () => {
  const fs: BulkFinding[] = Array.from({ length: BULK_PAGE_SIZE }, (_, i) => ({
    id: `7K3M9Q2X${String(i).padStart(2, '0')}`, device: `wks-${i}.corp.contoso.com`, url: 'kessel-ws.parsec.app', accounts: ['alice', 'svc_parsec'],
    parents: ['services.exe'], lastSeen: '2026-11-30T17:44:10.0000000Z', count: 120, version: 7,
  }));
  const card = bulkCard({ groupBy: 'url', groups: groupFindings(fs, 'url'), page: 1, scenarios: SCENARIOS });
  assertFits(card, 'realistic bulk page');
  assert.ok(cardBytes(card) < MAX_CARD_BYTES / 2, `${cardBytes(card)} bytes`);
});

test('10,000 findings with hostile long strings still make a bulk card under the limit, in every grouping', () => {
  const fs: BulkFinding[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `F${String(i).padStart(9, '0')}`, device: long(i), url: `${long(i + 1)}${i % 50}`, accounts: [long(i + 2), long(i + 3), `a${i}`], parents: [long(i + 1), `p${i % 7}`],
    lastSeen: '2026-11-30T17:44:10.0000000Z', count: 1_000_000 + i, version: 1_000_000 + i,
  }));
  for (const groupBy of ['url', 'account', 'parent'] as const) {
    for (const page of [1, 250, 500, 9999]) {
      const card = bulkCard({ groupBy, groups: groupFindings(fs, groupBy), page, scenarios: SCENARIOS, filter: long(0), note: long(1) });
      assertFits(card, `bulk ${groupBy} page ${page}`);
      assert.equal((input(card, INPUT_IDS.selected).choices as Json[]).length, BULK_PAGE_SIZE);
    }
  }
});

test('a finding with huge lists, 10,000 report ids and megabyte strings fits, scenario details shrinking if needed', () => {
  const huge = (n: number) => Array.from({ length: n }, (_, i) => long(i));
  const view = openView({
    DeviceName: long(0), RemoteUrl: long(1), DeviceId: long(2), Report: Array.from({ length: 10_000 }, (_, i) => 9_000_000_000 + i),
    Processes: huge(500), ParentProcesses: huge(500), Accounts: huge(500), RemoteIPs: huge(500), DeviceNames: huge(50),
  });
  // The finding id is the store's own short id; it travels in every action's data, so it is never clipped.
  const userIds = Array.from({ length: 100 }, (_, i) => `29:${'x'.repeat(120)}${i}`);
  assertFits(findingCard(view, { scenarios: SCENARIOS, canAct: true, userIds, note: long(2) }), 'open finding');
  const many: ScenarioView[] = Array.from({ length: 40 }, (_, i) => ({ number: i + 1, title: long(i), documentedFilter: long(i + 1), applies: long(i + 2), lint: huge(20), scope: 'device' }));
  assertFits(findingCard(view, { scenarios: many, canAct: true, userIds }), 'open finding, 40 giant scenarios');
  const closed = { ...view, state: 'closed', closedBy: 'disposition', disposition: { classification: 'BenignPositive', reason: null, scenario: 1, comment: long(0).repeat(200), by: long(1), byName: null, at: long(2) } };
  assertFits(findingCard(closed, { scenarios: many, canAct: true }), 'closed finding');
});

test('a proposal matching 10,000 findings with a 1 MB KQL text fits', () => {
  const matched = Array.from({ length: 10_000 }, (_, i) => ({ id: long(i), device: long(i + 1), url: long(i + 2), full: i % 2 === 0, state: 'open' }));
  const card = proposalCard({
    exclusionId: 1, state: 'proposed', scope: 'device', scenario: 1, conditions: long(0).repeat(100), kql: long(1).repeat(200),
    impact: { open: 10_000, closed: 0, matched, truePositives: matched.map((m) => m.id) }, author: long(2), requireApproval: true, canApprove: true, version: 1,
    device: long(3), note: long(0), viewer: 'x',
  });
  assertFits(card, 'proposal');
});

test('an exclusions card with a thousand exclusions per section fits', () => {
  const x = (i: number, state: string): ExclusionView => ({ id: i, state, scope: 'device', scenario: i, conditions: long(i), author: long(i + 1), approver: long(i + 2), expiresAt: long(i + 3), hits: i * 1000, version: i });
  const list = (state: string) => Array.from({ length: 1000 }, (_, i) => x(i + 1, state));
  assertFits(exclusionsCard({ proposed: list('proposed'), active: list('active'), expired: list('expired'), canApprove: true, note: long(0) }), 'exclusions');
});

test('hunt, bulk summary, welcome, help and notice cards fit whatever they are given', () => {
  const warnings = Array.from({ length: 1000 }, (_, i) => long(i));
  assertFits(huntSummaryCard({ runId: long(0), status: 'ok', rows: 1e9, created: 1e6, reopened: 1e6, suppressed: Array.from({ length: 1000 }, (_, i) => ({ exclusionId: long(i), hits: i })), warnings }), 'hunt ok');
  assertFits(huntSummaryCard({ runId: 1, status: 'failed', rows: 0, created: 0, reopened: 0, suppressed: [], warnings, error: long(0).repeat(200) }), 'hunt failed');
  const ids = Array.from({ length: 10_000 }, (_, i) => long(i));
  assertFits(bulkSummaryCard({ classification: long(0), marked: ids, unchanged: ids, exclusions: ids.map((id) => ({ id, state: long(1), closed: 5 })), by: long(2) }), 'bulk summary');
  const commands = Array.from({ length: 100 }, (_, i) => ({ title: long(i), description: long(i + 1) }));
  assertFits(welcomeCard({ open: true, commands }), 'welcome');
  assertFits(helpCard(commands, long(0)), 'help');
  assertFits(noticeCard(long(0).repeat(200), 'error'), 'notice');
});

test('a stats card fits with hostile titles, 40 scenarios and 1,000 runs', () => {
  const big = 1_000_000_000;
  const scenarios = Array.from({ length: 40 }, (_, i) => ({ number: i + 1, title: long(i), benign: big + i }));
  const runs = Array.from({ length: 1000 }, (_, i) => ({ runId: big + i, startedAt: long(i), status: 'partial' as const, rowCount: big, findings: big + i, created: big, reopened: big }));
  const card = statsCard({
    ruleId: long(0), ruleName: long(1), findings: { open: big, recurring: big, closed: big, total: 3 * big },
    verdicts: { TruePositive: big, BenignPositive: big, FalsePositive: big, Undetermined: big }, judged: 4 * big, dispositions: 5 * big,
    scenarios: [...scenarios, { number: null, title: long(2), benign: big }], runs, runsTotal: big, runLimit: 1000,
  });
  assertFits(card, 'stats');
  assert.ok(cardBytes(card) < MAX_CARD_BYTES / 2, `${cardBytes(card)} bytes`);
});
