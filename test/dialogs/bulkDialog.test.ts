// Bulk marking through the bulk dialog: the card pages in place, a submit marks the selected findings in one
// go, and the dialog remembers where the analyst was, so "Bulk mark more" resumes there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BULK_PAGE_SIZE } from '../../src/bot/cards/index.js';
import { botFixture, removeFixture } from './fixture.js';
import { ALICE, Chat, actionsOf, cardOf, textOf } from './support.js';

function choices(card: any): string[] {
  const found: string[] = [];
  const walk = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if (n.type === 'Input.ChoiceSet' && n.id === 'selected') found.push(...n.choices.map((c: { value: string }) => c.value));
    for (const v of Object.values(n)) walk(v);
  };
  walk(card);
  return found;
}

test('bulk pages in place, marks the selected findings at once, and resumes at the remembered page', async (t) => {
  const f = await botFixture();
  t.after(() => removeFixture(f));
  const chat = new Chat(f.bot);
  const open = f.app.store.findings.list({ state: 'open' }).length;
  const pages = Math.ceil(open / BULK_PAGE_SIZE);
  assert.ok(pages >= 3, `the sample has several pages of findings (${open})`);

  const started = await chat.say('bulk');
  const page1 = cardOf(started.sent[0]);
  assert.match(textOf(page1), new RegExp(`page 1 of ${pages}`));
  assert.equal(choices(page1).length, BULK_PAGE_SIZE);

  const next = actionsOf(page1).find((a) => a.title === 'Next page')!;
  const paged = await chat.execute('bulk.open', next.data, started.sent[0]!.id);
  const page2 = paged.invoke.value;
  assert.match(textOf(page2), new RegExp(`page 2 of ${pages}`), 'the invoke response is the next page');
  assert.equal(paged.sent.length, 0, 'paging posts nothing new');
  assert.equal(paged.updates.length, 0, 'paging is the actor’s own view: the message is not pushed to everyone');

  const picked = choices(page2).slice(0, 3);
  assert.ok(picked.every((id) => !choices(page1).includes(id)), 'page 2 holds other findings');
  const submit = actionsOf(page2).find((a) => a.verb === 'bulk.submit')!;
  const marked = await chat.execute('bulk.submit', { ...submit.data, selected: picked.join(','), classification: 'fp', fpReason: 'IncorrectAlertLogic', exclude: 'false', comment: 'lab traffic' }, started.sent[0]!.id);
  assert.match(textOf(marked.invoke.value), /marked 3 findings False Positive/, 'the summary card replaces the bulk card');
  assert.equal(marked.updates.length, 1, 'and is pushed to everyone');
  const ds = picked.map((id) => f.app.store.dispositions.latest(id)!);
  assert.ok(ds.every((d) => d.classification === 'FalsePositive' && d.comment === 'lab traffic' && d.analystId === ALICE.aadObjectId));
  assert.equal(new Set(ds.map((d) => d.bulkId)).size, 1, 'one bulk mark: one transaction, one bulk id');
  assert.ok(ds[0]!.bulkId);

  // The summary's "Bulk mark more" says page 1; the dialog resumes where the analyst was.
  const more = actionsOf(marked.invoke.value).find((a) => a.verb === 'bulk.open')!;
  const resumed = await chat.execute('bulk.open', more.data, started.sent[0]!.id);
  assert.equal(resumed.invoke.type, 'application/vnd.microsoft.activity.message', 'the summary card stays as it is');
  const again = cardOf(resumed.sent[0]);
  assert.match(textOf(again), /page 2 of/);
  assert.ok(picked.every((id) => !choices(again).includes(id)), 'the marked findings are gone from the list');
});

test('bulk account groups by account and is remembered as the analyst’s grouping', async (t) => {
  const f = await botFixture();
  t.after(() => removeFixture(f));
  const chat = new Chat(f.bot);
  const byAccount = cardOf((await chat.say('bulk account')).sent[0]);
  assert.match(textOf(byAccount), /Grouped by account/);
  const plain = cardOf((await chat.say('bulk')).sent[0]);
  assert.match(textOf(plain), /Grouped by account/, 'the user’s last grouping is kept in user state');
  const filtered = cardOf((await chat.say('bulk url url=stun.parsec.app')).sent[0]);
  assert.match(textOf(filtered), /Grouped by URL/);
  assert.ok(choices(filtered).every((id) => f.app.store.findings.get(id)!.remoteUrl.toLowerCase() === 'stun.parsec.app'));
  const bad = await chat.say('bulk url nosuchfield=1');
  assert.match(bad.sent[0]!.text!, /unknown field 'nosuchfield'/);
});
