// Exclusion review under four-eyes: an analyst's benign marks propose exclusions; a lead steps through them,
// approving one and rejecting the other; the author is not offered their own proposals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/store/index.js';
import { botFixture, removeFixture } from './fixture.js';
import { ALICE, BOB, Chat, actionsOf, cardOf, cardsIn, textOf, textsIn } from './support.js';

const only = (values: string[], re: RegExp) => values.length === 1 && re.test(values[0]!);

test('a lead reviews proposed exclusions one by one; the analyst who proposed them cannot', async (t) => {
  const f = await botFixture({ env: { REQUIRE_APPROVAL: 'true', TRIAGE_ANALYSTS: ALICE.aadObjectId, TRIAGE_LEADS: BOB.aadObjectId } });
  t.after(() => removeFixture(f));
  const open = f.app.store.findings.list({ state: 'open' });
  const picks: Array<[Finding, string]> = [
    [open.find((x) => only(x.enrichment.ParentProcesses, /^(msiexec|setup)\.exe$/i))!, '4'],
    [open.find((x) => only(x.enrichment.Accounts, /^itsecurity$/i))!, '3'],
  ];
  const chat = new Chat(f.bot);
  for (const [finding, scenario] of picks) {
    assert.ok(finding, `the sample has a finding for scenario ${scenario}`);
    const out = await chat.execute(
      'finding.benign',
      { verb: 'finding.benign', findingId: finding.id, version: finding.version, scenario, exclude: 'true', scope: 'device' },
      undefined,
      ALICE,
    );
    const proposal = cardsIn(out).find((c) => /Exclusion \d+ · proposed/.test(textOf(c)));
    assert.ok(proposal, `a proposal card follows the benign mark: ${textsIn(out).join(' | ')}`);
    assert.ok(!actionsOf(proposal).some((a) => a.verb === 'exclusion.approve'), 'the author is not offered Approve under four-eyes');
  }
  const proposed = f.app.store.exclusions.list({ state: 'proposed' });
  assert.equal(proposed.length, 2);

  const refused = await chat.say('exclusions review', ALICE);
  assert.match(textsIn(refused)[0]!, /only configured leads can approve/);

  const lead = new Chat(f.bot, { id: 'a:dm-bob', conversationType: 'personal' });
  const first = await lead.say('exclusions review', BOB);
  const card1 = cardOf(first.sent[0]);
  assert.match(textOf(card1), new RegExp(`Exclusion ${proposed[0]!.id} · proposed`));
  assert.match(textOf(card1), /Impact/);
  const approve = actionsOf(card1).find((a) => a.verb === 'exclusion.approve')!;
  const approved = await lead.execute('exclusion.approve', approve.data, first.sent[0]!.id, BOB);
  assert.match(textOf(approved.invoke.value), new RegExp(`Exclusion ${proposed[0]!.id} · active`), 'the invoke response shows it active');
  assert.equal(f.app.store.exclusions.get(proposed[0]!.id)!.approver, BOB.aadObjectId);
  assert.equal(f.app.store.findings.get(picks[0]![0].id)!.state, 'closed');

  const card2 = cardsIn(approved).at(-1);
  assert.match(textOf(card2), new RegExp(`Exclusion ${proposed[1]!.id} · proposed`), 'the review moves on to the next proposal');
  const reject = actionsOf(card2).find((a) => a.verb === 'exclusion.reject')!;
  const rejected = await lead.execute('exclusion.reject', { ...reject.data, comment: 'too broad' }, approved.sent.at(-1)!.id, BOB);
  assert.equal(f.app.store.exclusions.get(proposed[1]!.id)!.state, 'rejected');
  assert.deepEqual(textsIn(rejected), ['No proposed exclusion is left to review.']);
});
