// Authorization over real HTTP, with the lists configured: someone who is not an analyst is refused politely,
// the refusal is audited, and nothing else is stored; under four-eyes only a lead approves, never the author.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, MALLORY } from '../support/botHttp.js';
import { findingIdOf, textOf } from '../dialogs/support.js';
import { httpFixture, idOf, turn, type HttpFixture } from './httpFixture.js';

const LISTS = { TRIAGE_ANALYSTS: ALICE.aadObjectId!, TRIAGE_LEADS: BOB.aadObjectId! };
const count = (h: HttpFixture, table: string): number => (h.f.app.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const refusals = (h: HttpFixture) => h.f.app.store.audit.list({ action: 'authz.refused', limit: 1000 }).reverse();

test('someone not on the analyst list cannot mark, bulk mark or hunt: a polite refusal, audited, nothing stored', async (t) => {
  const h = await httpFixture(t, { env: LISTS });
  const posted = await turn(h.connector, () => h.chat.message('next'));
  const findingId = findingIdOf(posted.cards[0])!;
  const version = h.f.app.store.findings.get(findingId)!.version;
  const [dispositions, runs] = [count(h, 'dispositions'), count(h, 'runs')];

  const mark = await turn(h.connector, () => h.chat.as(MALLORY).execute('finding.tp', { verb: 'finding.tp', findingId, version }, { replyToId: idOf(posted.sent[0]) }));
  assert.match(mark.texts[0]!, /^Sorry, only configured analysts can mark findings/);
  assert.equal(mark.updates.length, 0, 'the card is left as it is');
  const bulk = await turn(h.connector, () => h.chat.as(MALLORY).submit({ verb: 'bulk.submit', groupBy: 'url', page: 1, selected: findingId, classification: 'fp' }, idOf(posted.sent[0])));
  assert.match(bulk.texts[0]!, /^Sorry, only configured analysts/);
  const hunt = await turn(h.connector, () => h.chat.as(MALLORY).message('hunt'));
  assert.match(hunt.texts.at(-1)!, /^Sorry, only configured analysts/);

  assert.equal(count(h, 'dispositions'), dispositions, 'no disposition');
  assert.equal(count(h, 'runs'), runs, 'no hunt run');
  const rows = refusals(h);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.actor), [MALLORY.aadObjectId, MALLORY.aadObjectId, MALLORY.aadObjectId]);
  assert.deepEqual(rows[0]!.entity, 'finding');
  assert.deepEqual(rows[0]!.entityId, findingId);
  assert.deepEqual(rows.map((r) => (r.after as { verb: string; role: string }).verb), ['finding.tp', 'bulk.submit', 'hunt.run']);
  assert.ok(rows.every((r) => (r.after as { role: string }).role === 'none'));

  // The personal card Mallory gets is read-only; Alice's has the marking actions and her mark is stored.
  const mallorys = await turn(h.connector, () => h.chat.as(MALLORY).message('next'));
  assert.match(textOf(mallorys.cards[0]), /Read-only: only analysts can mark findings/);
  const ok = await turn(h.connector, () => h.chat.execute('finding.tp', { verb: 'finding.tp', findingId, version }));
  assert.equal(ok.res.body.type, 'application/vnd.microsoft.card.adaptive');
  assert.equal(count(h, 'dispositions'), dispositions + 1);
});

test('four-eyes: an analyst cannot approve, a lead can; the refusal is audited', async (t) => {
  const h = await httpFixture(t, { env: { ...LISTS, REQUIRE_APPROVAL: 'true' } });
  const target = h.f.app.store.findings.list({ state: 'open' }).find((f) => f.enrichment.Accounts.length === 1 && /^itsecurity$/i.test(f.enrichment.Accounts[0]!))!;
  await turn(h.connector, () => h.chat.execute('finding.benign', { verb: 'finding.benign', findingId: target.id, version: target.version, scenario: '3', exclude: 'true' }));
  const [x] = h.f.app.store.exclusions.list({ state: 'proposed' });
  assert.ok(x, 'the benign mark proposed an exclusion');

  const byAnalyst = await turn(h.connector, () => h.chat.execute('exclusion.approve', { verb: 'exclusion.approve', exclusionId: x.id, version: x.version }));
  assert.match(byAnalyst.texts[0]!, /^Sorry, only configured leads can approve/);
  assert.equal(h.f.app.store.exclusions.get(x.id)!.state, 'proposed');
  const row = refusals(h).at(-1)!;
  assert.deepEqual([row.actor, row.entity, row.entityId, (row.after as { role: string }).role], [ALICE.aadObjectId, 'exclusion', String(x.id), 'analyst']);

  const byStranger = await turn(h.connector, () => h.chat.as(MALLORY).execute('exclusion.reject', { verb: 'exclusion.reject', exclusionId: x.id, version: x.version }));
  assert.match(byStranger.texts[0]!, /^Sorry, only configured/);

  const byLead = await turn(h.connector, () => h.chat.as(BOB).execute('exclusion.approve', { verb: 'exclusion.approve', exclusionId: x.id, version: x.version }));
  assert.match(textOf(byLead.res.body.value), new RegExp(`Exclusion ${x.id} · active`));
  assert.equal(h.f.app.store.exclusions.get(x.id)!.approver, BOB.aadObjectId);
});

test('four-eyes: a lead cannot approve an exclusion they proposed themselves', async (t) => {
  const h = await httpFixture(t, { env: { ...LISTS, REQUIRE_APPROVAL: 'true' } });
  const target = h.f.app.store.findings.list({ state: 'open' }).find((f) => f.enrichment.Accounts.length === 1 && /^itsecurity$/i.test(f.enrichment.Accounts[0]!))!;
  const lead = h.chat.as(BOB);
  await turn(h.connector, () => lead.execute('finding.benign', { verb: 'finding.benign', findingId: target.id, version: target.version, scenario: '3', exclude: 'true' }));
  const [x] = h.f.app.store.exclusions.list({ state: 'proposed' });
  const out = await turn(h.connector, () => lead.execute('exclusion.approve', { verb: 'exclusion.approve', exclusionId: x!.id, version: x!.version }));
  assert.match(out.texts[0]!, /You proposed this exclusion, so someone else has to approve it/);
  assert.equal(h.f.app.store.exclusions.get(x!.id)!.state, 'proposed');
});
