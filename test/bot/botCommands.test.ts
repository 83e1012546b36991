// Command parsing (first word, whole, any case), the text a channel message leaves after its @mention, the
// manifest's command list, and the one-line replies for the domain's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TurnContext, TestAdapter, type Activity } from 'botbuilder';
import { BUILT_IN_COMMANDS, loadCommandHelp, parseCommand } from '../../src/bot/commands.js';
import { actorOf, commandText, conversationKind } from '../../src/bot/conversation.js';
import { errorLine } from '../../src/bot/replies.js';
import { ExclusionError } from '../../src/exclusions/errors.js';
import { TriageError } from '../../src/triage/errors.js';

test('commands: the first word, matched whole and in any case', () => {
  assert.deepEqual(parseCommand('Hunt'), { name: 'hunt' });
  assert.deepEqual(parseCommand('  triage  '), { name: 'next' });
  assert.deepEqual(parseCommand('NEXT please'), { name: 'next' });
  assert.deepEqual(parseCommand('bulk'), { name: 'bulk', groupBy: undefined, filter: undefined });
  assert.deepEqual(parseCommand('bulk Account'), { name: 'bulk', groupBy: 'account', filter: undefined });
  assert.deepEqual(parseCommand('bulk parent account=ITSecurity url~stun'), { name: 'bulk', groupBy: 'parent', filter: 'account=ITSecurity url~stun' });
  assert.deepEqual(parseCommand('bulk url=stun.parsec.app'), { name: 'bulk', groupBy: undefined, filter: 'url=stun.parsec.app' });
  assert.deepEqual(parseCommand('exclusions'), { name: 'exclusions', review: false });
  assert.deepEqual(parseCommand('exclusions review'), { name: 'exclusions', review: true });
  for (const text of ['hunting', 'please hunt', 'nexthunt', 'bulky', '', 'helpme']) assert.equal(parseCommand(text).name, 'unknown', text);
});

function context(fields: Partial<Activity>): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    recipient: { id: '28:bot', name: 'Triage' },
    from: { id: '29:alice', name: 'Alice', aadObjectId: 'aad-alice' } as Activity['from'],
    conversation: { id: 'c', conversationType: 'channel' } as Activity['conversation'],
    channelId: 'msteams',
    ...fields,
  });
}

test('channel text: the bot mention is removed before matching, with or without the entity', () => {
  const withEntity = context({ text: '<at>Triage</at> bulk&nbsp;url', entities: [{ type: 'mention', text: '<at>Triage</at>', mentioned: { id: '28:bot', name: 'Triage' } }] });
  assert.equal(commandText(withEntity), 'bulk url');
  assert.equal(withEntity.activity.text, '<at>Triage</at> bulk&nbsp;url', 'the activity itself is left as it came');
  assert.equal(commandText(context({ text: '<at>Triage Bot</at>  hunt' })), 'hunt');
  assert.equal(commandText(context({ text: 'next' })), 'next');
  assert.equal(conversationKind(withEntity.activity), 'channel');
  assert.deepEqual(actorOf(withEntity), { id: 'aad-alice', name: 'Alice', aadObjectId: 'aad-alice', channelUserId: '29:alice' });
  const noAad = actorOf(context({ from: { id: 'user-1' } as Activity['from'] }));
  assert.deepEqual([noAad.id, noAad.aadObjectId], ['user-1', undefined], 'no object id: the channel id stands in, and authorization sees none');
});

test('the help list comes from the manifest command list when there is one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmds-'));
  assert.equal(loadCommandHelp(join(dir, 'missing.json')), BUILT_IN_COMMANDS);
  const list = [{ title: 'hunt', description: 'Run it' }];
  writeFileSync(join(dir, 'a.json'), JSON.stringify(list));
  assert.deepEqual(loadCommandHelp(join(dir, 'a.json')), list);
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ commands: list }));
  assert.deepEqual(loadCommandHelp(join(dir, 'b.json')), list);
  writeFileSync(join(dir, 'c.json'), JSON.stringify([{ title: 'x'.repeat(40), description: '' }]));
  assert.throws(() => loadCommandHelp(join(dir, 'c.json')), /commands: .*c\.json: 0\.title: /);
});

test('domain refusals become one line each; anything else is left to the turn error handler', () => {
  assert.match(errorLine(new ExclusionError('exclusions: would hide TP finding abcd1234', 'tp_overlap', ['abcd1234'])), /^Not stored: would hide TP finding abcd1234\. Mark it without/);
  assert.match(errorLine(new ExclusionError('exclusions: scenario 4 needs a parent msiexec.exe', 'scenario_misfit')), /does not fit that scenario \(scenario 4 needs a parent msiexec\.exe\)/);
  assert.match(errorLine(new ExclusionError('exclusions: x', 'self_approval')), /someone else has to approve it \(four-eyes\)\. Nothing was stored\./);
  assert.match(errorLine(new TriageError('stale', 'mark: changed')), /changed since the card was posted/);
  assert.match(errorLine(new TriageError('bad-input', 'mark: --comment is over 4000 characters')), /^Not stored: --comment is over 4000 characters\.$/);
  assert.throws(() => errorLine(new Error('disk full')), /disk full/);
});
