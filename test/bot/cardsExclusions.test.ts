// The proposal card (impact preview, TP warning, four-eyes) and the exclusions card (proposed / active / expired).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardProblems, exclusionsCard, INPUT_IDS, proposalCard, VERBS, type ExclusionView, type ProposalView } from '../../src/bot/cards/index.js';
import { allText, executes, input, inputIds, unescape, verbs, type Json } from './cardsFixtures.js';

const KQL = "DeviceId == 'd0c0ffee' and InitiatingProcessParentFileName in~ ('services.exe')";

function proposal(over: Partial<ProposalView> = {}): ProposalView {
  const matched = Array.from({ length: 12 }, (_, i) => ({ id: `F${String(i).padStart(7, '0')}`, device: `wks-${i}`, url: 'stun.parsec.app', full: i % 3 !== 0, state: i < 7 ? 'open' : 'closed' }));
  return {
    exclusionId: 4, state: 'proposed', scope: 'device', scenario: 1,
    conditions: "DeviceId is 'd0c0ffee' and InitiatingProcessParentFileName is one of services.exe (any case)",
    kql: KQL, impact: { open: 7, closed: 5, matched, truePositives: [] },
    author: 'aad-alice', requireApproval: true, canApprove: true, version: 2, device: 'wks-042', ...over,
  };
}

test('the proposal card shows the exclusion, its KQL in monospace, scope, scenario and the impact preview', () => {
  const card = proposalCard(proposal());
  assert.deepEqual(cardProblems(card), []);
  const shown = unescape(allText(card));
  assert.ok(shown.includes('Exclusion 4 · proposed'));
  assert.ok(shown.includes('Learned from scenario 1'));
  assert.ok(shown.includes('this device only (wks-042)'));
  assert.ok(shown.includes("InitiatingProcessParentFileName is one of services.exe"));
  const kql = (card.body as unknown as Json[]).find((e) => e.fontType === 'Monospace')!;
  assert.equal(unescape(kql.text as string), KQL);
  assert.ok(shown.includes('12 findings: 7 open, 5 closed'));
  for (let i = 0; i < 10; i++) assert.ok(shown.includes(`F${String(i).padStart(7, '0')}`), `lists finding ${i}`);
  assert.ok(!shown.includes('F0000010'), 'only the first 10 are listed');
  assert.ok(shown.includes('(+2 more)'));
  assert.ok(shown.includes('wks-0 → stun.parsec.app · open · partial'));
  assert.ok(shown.includes('wks-1 → stun.parsec.app · open · full'));
  assert.ok(!shown.includes('True Positive'), 'no TP warning without TPs');
});

test('Approve and Reject carry the exclusion id and version, with equal Submit fallbacks', () => {
  const card = proposalCard(proposal({ viewer: 'aad-bob' }));
  assert.deepEqual(verbs(card), [VERBS.exclusionApprove, VERBS.exclusionReject, VERBS.exclusionsOpen]);
  for (const a of executes(card).slice(0, 2)) {
    assert.deepEqual(a.data, { verb: a.verb, exclusionId: 4, version: 2 });
    assert.deepEqual((a.fallback as Json).data, a.data);
  }
  assert.deepEqual(inputIds(card), [INPUT_IDS.comment]);
});

test('four-eyes: the author is told a second analyst approves, and is offered no Approve', () => {
  const card = proposalCard(proposal({ viewer: 'aad-alice' }));
  assert.ok(allText(card).includes('Needs a second analyst'));
  assert.deepEqual(verbs(card), [VERBS.exclusionReject, VERBS.exclusionsOpen]);
  const off = proposalCard(proposal({ viewer: 'aad-alice', requireApproval: false }));
  assert.ok(!allText(off).includes('Needs a second analyst'));
  assert.ok(verbs(off).includes(VERBS.exclusionApprove));
});

test('a viewer who may not approve sees the proposal without decisions', () => {
  const card = proposalCard(proposal({ canApprove: false }));
  assert.deepEqual(verbs(card), [VERBS.exclusionsOpen]);
  assert.deepEqual(inputIds(card), []);
  assert.ok(allText(card).includes('Waiting for approval'));
});

test('an exclusion covering True Positives carries a warning and asks for an override reason', () => {
  const card = proposalCard(proposal({ impact: { ...proposal().impact, truePositives: ['F0000003', 'F0000005'] } }));
  assert.deepEqual(cardProblems(card), []);
  assert.ok(unescape(allText(card)).includes('Warning: this exclusion would hide 2 findings marked True Positive: F0000003, F0000005'));
  assert.equal(input(card, INPUT_IDS.tpOverrideReason).type, 'Input.Text');
});

test('an active proposal (four-eyes off) shows its state and no decisions', () => {
  const card = proposalCard(proposal({ state: 'active', requireApproval: false }));
  assert.ok(allText(card).includes('Exclusion 4 · active'));
  assert.deepEqual(verbs(card), [VERBS.exclusionsOpen]);
});

function exclusion(id: number, state: string, over: Partial<ExclusionView> = {}): ExclusionView {
  return {
    id, state, scope: id % 2 ? 'device' : 'rule', scenario: 3, conditions: `InitiatingProcessAccountName is one of ITSecurity (exclusion ${id})`,
    author: 'aad-alice', approver: state === 'proposed' ? null : 'aad-bob', expiresAt: '2027-01-01T00:00:00.000Z', hits: id * 10, version: id + 100, ...over,
  };
}

test('the exclusions card: proposed (approve/reject), active (extend/revoke with one days input), expired (none)', () => {
  const card = exclusionsCard({ proposed: [exclusion(1, 'proposed')], active: [exclusion(2, 'active'), exclusion(3, 'active')], expired: [exclusion(5, 'expired')], canApprove: true });
  assert.deepEqual(cardProblems(card), []);
  const byExclusion = executes(card).filter((a) => (a.data as Json).exclusionId !== undefined).map((a) => [(a.data as Json).verb, (a.data as Json).exclusionId, (a.data as Json).version]);
  assert.deepEqual(byExclusion, [
    [VERBS.exclusionApprove, 1, 101], [VERBS.exclusionReject, 1, 101],
    [VERBS.exclusionExtend, 2, 102], [VERBS.exclusionRevoke, 2, 102],
    [VERBS.exclusionExtend, 3, 103], [VERBS.exclusionRevoke, 3, 103],
  ]);
  assert.deepEqual(inputIds(card), [INPUT_IDS.days]);
  assert.deepEqual([input(card, INPUT_IDS.days).min, input(card, INPUT_IDS.days).max], [1, 365]);
  const shown = unescape(allText(card));
  for (const s of ['Proposed (1)', 'Active (2)', 'Expired (1)', '20 hits', 'expires 2027-01-01 00:00:00.000 UTC', 'approved by aad-bob', '(exclusion 5)']) assert.ok(shown.includes(s), s);
});

test('without approval rights the exclusions card is read-only', () => {
  const card = exclusionsCard({ proposed: [exclusion(1, 'proposed')], active: [exclusion(2, 'active')], expired: [], canApprove: false });
  assert.ok(executes(card).every((a) => (a.data as Json).exclusionId === undefined));
  assert.deepEqual(inputIds(card), []);
  assert.ok(allText(card).includes('Read-only'));
});
