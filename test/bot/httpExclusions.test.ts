// Exclusion and bulk card actions over real HTTP: approve / reject from the proposal card, revoke / extend
// from the exclusions card (which re-renders itself), bulk paging and a bulk submit of three findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/store/index.js';
import { BOB } from '../support/botHttp.js';
import { cardOf } from '../support/connector.js';
import { actionsOf, textOf } from '../dialogs/support.js';
import { httpFixture, idOf, turn, type HttpFixture } from './httpFixture.js';

const CARD = 'application/vnd.microsoft.card.adaptive';
const only = (values: string[], re: RegExp) => values.length === 1 && re.test(values[0]!);

/** Alice marks benign with exclude; returns the proposal card's message id and its exclusion id. */
async function propose(h: HttpFixture, pick: (f: Finding) => boolean, scenario: string, scope = 'device'): Promise<{ cardId: string; exclusionId: number }> {
  const target = h.f.app.store.findings.list({ state: 'open' }).find(pick)!;
  const out = await turn(h.connector, () =>
    h.chat.execute('finding.benign', { verb: 'finding.benign', findingId: target.id, version: target.version, scenario, exclude: 'true', scope }),
  );
  const at = out.cards.findIndex((c) => /Exclusion \d+ · /.test(textOf(c)));
  assert.ok(at >= 0, out.texts.join(' | '));
  return { cardId: idOf(out.sent[at]), exclusionId: Number(/Exclusion (\d+)/.exec(textOf(out.cards[at]))![1]) };
}

test('four-eyes: a lead approves one proposal and rejects another from their proposal cards', async (t) => {
  const h = await httpFixture(t, { env: { REQUIRE_APPROVAL: 'true', TRIAGE_LEADS: BOB.aadObjectId!, TRIAGE_ANALYSTS: 'aaaaaaaa-0000-4000-8000-000000000001' } });
  const a = await propose(h, (f) => only(f.enrichment.ParentProcesses, /^(msiexec|setup)\.exe$/i), '4');
  const b = await propose(h, (f) => only(f.enrichment.Accounts, /^itsecurity$/i), '3');
  const store = h.f.app.store;
  assert.deepEqual([store.exclusions.get(a.exclusionId)!.state, store.exclusions.get(b.exclusionId)!.state], ['proposed', 'proposed']);

  const proposal = cardOf(h.connector.activity(a.cardId));
  assert.match(textOf(proposal), /proposed by Alice Analyst/, 'the author is named as people know them');
  const x = store.exclusions.get(a.exclusionId)!;
  const approved = await turn(h.connector, () => h.chat.as(BOB).execute('exclusion.approve', { verb: 'exclusion.approve', exclusionId: x.id, version: x.version }, { replyToId: a.cardId }));
  assert.equal(approved.res.body.type, CARD);
  assert.match(textOf(approved.res.body.value), new RegExp(`Exclusion ${x.id} · active`));
  assert.equal(approved.updates[0]?.activityId, a.cardId, 'the proposal card is updated for everyone');
  assert.equal(store.exclusions.get(x.id)!.approver, BOB.aadObjectId);

  const y = store.exclusions.get(b.exclusionId)!;
  await turn(h.connector, () => h.chat.as(BOB).execute('exclusion.reject', { verb: 'exclusion.reject', exclusionId: y.id, version: y.version, comment: 'too wide' }, { replyToId: b.cardId }));
  assert.equal(store.exclusions.get(y.id)!.state, 'rejected');
  assert.equal(store.exclusions.get(y.id)!.endComment, 'too wide');
  assert.match(textOf(cardOf(h.connector.activity(b.cardId))), new RegExp(`Exclusion ${y.id} · rejected`));

  const again = await turn(h.connector, () => h.chat.as(BOB).execute('exclusion.approve', { verb: 'exclusion.approve', exclusionId: y.id, version: store.exclusions.get(y.id)!.version }, { replyToId: b.cardId }));
  assert.match(again.texts[0]!, /only a proposed exclusion can be approved/);
  assert.equal(store.exclusions.get(y.id)!.state, 'rejected');
});

test('the exclusions card: extend and revoke re-render it in place; a stale version and a forged id store nothing', async (t) => {
  const h = await httpFixture(t);
  // Rule-wide, so it also closes the other open findings of the same IT account.
  const { exclusionId } = await propose(h, (f) => only(f.enrichment.Accounts, /^itsecurity$/i), '3', 'rule');
  const store = h.f.app.store;
  assert.equal(store.exclusions.get(exclusionId)!.state, 'active', 'four-eyes off: active at once');
  const listed = await turn(h.connector, () => h.chat.message('exclusions'));
  const cardId = idOf(listed.sent[0]);
  assert.match(textOf(listed.cards[0]), /Active \(1\)/);
  assert.match(textOf(listed.cards[0]), /by Alice Analyst/);
  const extend = actionsOf(listed.cards[0]).find((a) => a.verb === 'exclusion.extend')!;
  const expires = store.exclusions.get(exclusionId)!.expiresAt!;

  const extended = await turn(h.connector, () => h.chat.execute('exclusion.extend', { ...extend.data, days: '10' }, { replyToId: cardId }));
  assert.ok(Date.parse(store.exclusions.get(exclusionId)!.expiresAt!) - Date.parse(expires) === 10 * 86_400_000, 'ten days later');
  assert.match(textOf(extended.res.body.value), /^Exclusions$/m, 'the exclusions card re-renders itself, not a proposal card');
  assert.equal(extended.updates[0]?.activityId, cardId);

  const before = store.exclusions.get(exclusionId)!;
  const stale = await turn(h.connector, () => h.chat.execute('exclusion.revoke', { ...extend.data, verb: 'exclusion.revoke' }, { replyToId: cardId }));
  assert.match(stale.texts[0]!, /This exclusion changed since the card was posted/);
  assert.equal(store.exclusions.get(exclusionId)!.version, before.version, 'the stale revoke stored nothing');

  const forged = await turn(h.connector, () => h.chat.execute('exclusion.revoke', { verb: 'exclusion.revoke', exclusionId: 999, version: 1 }, { replyToId: cardId }));
  assert.match(forged.texts[0]!, /I can't find exclusion "999"/);

  const closed = store.findings.list({ closedByExclusionId: exclusionId }).map((f) => f.id);
  assert.ok(closed.length >= 1);
  const revoked = await turn(h.connector, () => h.chat.execute('exclusion.revoke', { verb: 'exclusion.revoke', exclusionId, version: before.version }, { replyToId: cardId }));
  assert.equal(store.exclusions.get(exclusionId)!.state, 'revoked');
  assert.ok(closed.every((id) => store.findings.get(id)!.state !== 'closed'), 'revoking reopens what it closed');
  assert.match(textOf(revoked.res.body.value), /Active \(0\)/);
});

test('bulk: open, page, and mark three findings in one submit with a summary card', async (t) => {
  const h = await httpFixture(t);
  const opened = await turn(h.connector, () => h.chat.message('bulk'));
  const cardId = idOf(opened.sent[0]);
  const nextPage = actionsOf(opened.cards[0]).find((a) => a.title === 'Next page')!;
  const paged = await turn(h.connector, () => h.chat.execute('bulk.open', nextPage.data, { replyToId: cardId }));
  assert.match(textOf(paged.res.body.value), /page 2 of \d+/);
  const submit = actionsOf(paged.res.body.value).find((a) => a.verb === 'bulk.submit')!;
  const ids = Object.keys(submit.data.versions as Record<string, number>).slice(0, 3);
  assert.equal(ids.length, 3);
  const out = await turn(h.connector, () =>
    h.chat.execute('bulk.submit', { ...submit.data, selected: ids.join(','), classification: 'tp', exclude: 'false', fpReason: 'IncorrectAlertLogic' }, { replyToId: cardId }),
  );
  assert.match(textOf(out.res.body.value), /marked 3 findings True Positive/);
  assert.equal(out.updates[0]?.activityId, cardId);
  const ds = ids.map((id) => h.f.app.store.dispositions.latest(id)!);
  assert.ok(ds.every((d) => d.classification === 'TruePositive' && d.reason === 'SuspiciousActivity'), 'fpReason is ignored for a True Positive');
  assert.equal(new Set(ds.map((d) => d.bulkId)).size, 1);

  // The same card again: those findings changed since, so nothing is stored.
  const count = (h.f.app.store.db.prepare('SELECT count(*) AS n FROM dispositions').get() as { n: number }).n;
  const stale = await turn(h.connector, () => h.chat.execute('bulk.submit', { ...submit.data, selected: ids.join(','), classification: 'fp' }, { replyToId: cardId }));
  assert.match(stale.texts[0]!, /3 of the selected findings changed since the card was posted/);
  assert.equal((h.f.app.store.db.prepare('SELECT count(*) AS n FROM dispositions').get() as { n: number }).n, count);
  const forged = await turn(h.connector, () => h.chat.execute('bulk.submit', { verb: 'bulk.submit', groupBy: 'url', page: 1, selected: 'zzzzzzzz', classification: 'fp' }));
  assert.match(forged.texts[0]!, /I can't find finding "zzzzzzzz"/);
});
