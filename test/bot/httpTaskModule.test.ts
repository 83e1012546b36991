// Teams dialogs (task modules), which real Teams has and the Agents Playground does not: task/fetch opens the
// bulk card in a dialog, task/submit pages it and marks from it, answered inside the dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionsOf, textOf } from '../dialogs/support.js';
import { httpFixture, turn } from './httpFixture.js';

test('task/fetch opens the bulk card in a dialog; task/submit pages and marks from it', async (t) => {
  const h = await httpFixture(t);
  const fetched = await turn(h.connector, () => h.chat.invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, verb: 'bulk.open', groupBy: 'account', page: 1 }, context: { theme: 'default' } }));
  assert.equal(fetched.res.status, 200);
  const task = fetched.res.body.task;
  assert.equal(task.type, 'continue');
  assert.equal(task.value.title, 'Bulk marking');
  assert.match(textOf(task.value.card.content), /Grouped by account · page 1 of/);
  assert.equal(fetched.sent.length, 0, 'nothing is posted to the conversation');

  const next = actionsOf(task.value.card.content).find((a) => a.title === 'Next page')!;
  const paged = await turn(h.connector, () => h.chat.invoke('task/submit', { data: next.data }));
  assert.match(textOf(paged.res.body.task.value.card.content), /page 2 of/);

  const submit = actionsOf(paged.res.body.task.value.card.content).find((a) => a.verb === 'bulk.submit')!;
  const ids = Object.keys(submit.data.versions as object).slice(0, 2);
  const marked = await turn(h.connector, () => h.chat.invoke('task/submit', { data: { ...submit.data, selected: ids.join(','), classification: 'undetermined', comment: 'ask the owner' } }));
  assert.match(textOf(marked.res.body.task.value.card.content), /marked 2 findings Undetermined/);
  assert.ok(ids.every((id) => h.f.app.store.dispositions.latest(id)?.comment === 'ask the owner'));

  const unknown = await turn(h.connector, () => h.chat.invoke('task/submit', { data: { verb: 'nope' } }));
  assert.deepEqual(unknown.res.body.task.type, 'message');
  assert.match(unknown.res.body.task.value, /^I don't know that action/);
});
