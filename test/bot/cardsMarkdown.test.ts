// User data in cards is text, never markup: hostile device names, accounts, URLs and comments are escaped so a
// markdown renderer shows them literally, and ordinary values (IPs, svc_accounts, dates) stay readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkCard, codeBlock, escapeBlock, escapeInline, findingCard, groupFindings, proposalCard } from '../../src/bot/cards/index.js';
import { markdownTexts, openView, SCENARIOS, unescape } from './cardsFixtures.js';

const HOSTILE = [
  '[click me](https://evil.example/phish)',
  '![](https://tracker.example/p.png)',
  '**bold** and __strong__',
  '*em* _em_',
  '`code` ``more``',
  '<img src=x onerror=alert(1)> <https://auto.link>',
  '&lt;b&gt; &amp; &#x5B;',
  '~~struck~~ ~single~',
  'back\\slash \\[',
];
const LINE_STARTS = ['- item', '+ item', '* item', '1. item', '12) item', '# heading', '###### h6', '> quote', '---', '===', '  - indented'];

/** A markup character not preceded by a backslash (escapes themselves are pairs). */
function bareMarkup(s: string): string | undefined {
  const stripped = s.replace(/\\[\s\S]/g, '');
  const m = /[*[\]`<>~&]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u.exec(stripped);
  return m?.[0];
}

test('escapeInline leaves no markup character bare and shows the value unchanged once unescaped', () => {
  for (const v of [...HOSTILE, ...LINE_STARTS.map((l) => l.trim())]) {
    const e = escapeInline(v);
    assert.equal(bareMarkup(e), undefined, `${v} → ${e}`);
    assert.equal(unescape(e), v.trim(), `${v} round-trips`);
  }
});

test('line-start markers are escaped so a value cannot become a list, heading, quote or rule', () => {
  const expected: Record<string, string> = {
    '- item': '\\- item', '+ item': '\\+ item', '* item': '\\* item', '1. item': '1\\. item', '12) item': '12\\) item',
    '# heading': '\\# heading', '###### h6': '\\###### h6', '> quote': '\\> quote', '---': '\\---', '===': '\\===',
  };
  for (const [v, e] of Object.entries(expected)) assert.equal(escapeInline(v), e, v);
  assert.equal(escapeBlock('first\n  - indented\n\n1. second'), 'first\n\n\\- indented\n\n1\\. second');
});

test('ordinary values stay as they are', () => {
  for (const v of ['203.0.113.5', '2001:db8::1', 'svc_parsec', 'system_parents', 'wks-042.corp.contoso.com', '2026-11-30 17:44:10 UTC', '#hashtag', '1.2.3.4', 'C:\\']) {
    const e = escapeInline(v);
    if (v === 'C:\\') assert.equal(e, 'C:\\\\');
    else assert.equal(e, v, v);
  }
});

test('newlines collapse inline; invisible and bidi characters are dropped', () => {
  assert.equal(escapeInline('a\n\n- b\r\nc'), 'a - b c');
  assert.equal(escapeInline('adm\u200bin\u202egnp.exe\u0007'), 'admingnp.exe');
  assert.equal(escapeBlock('line one\r\n\r\n**two**'), 'line one\n\n\\*\\*two\\*\\*');
});

test('a finding card built from hostile data contains it only escaped', () => {
  const hostile = HOSTILE.join(' ');
  const view = openView({
    DeviceName: hostile, RemoteUrl: '[x](https://evil.example)', Accounts: ['*root*', '_admin_'], ParentProcesses: ['- list.exe'], RemoteIPs: ['<script>'],
    Processes: ['`p`'], DeviceNames: [hostile, '![a](b)'], state: 'closed', closedBy: 'disposition',
    disposition: { classification: 'BenignPositive', reason: null, scenario: 1, comment: `${hostile}\n- list\n# h`, by: 'x', byName: '[boss](https://evil)', at: '2026-12-01T00:00:00Z' },
  });
  for (const card of [findingCard(view, { scenarios: SCENARIOS, canAct: true, note: '<b>note</b>' }), findingCard({ ...view, state: 'open' }, { scenarios: SCENARIOS, canAct: true })]) {
    for (const t of markdownTexts(card)) {
      // Our own markup is bold (**1.**) only; strip it, and nothing else may be bare.
      const ours = t.replace(/^\*\*\d+\.\*\*/, '');
      assert.equal(bareMarkup(ours), undefined, t);
    }
    const shown = markdownTexts(card).map(unescape).join('\n');
    assert.ok(shown.includes('[x](https://evil.example)'), 'the URL is shown literally');
    assert.ok(!markdownTexts(card).some((t) => t.includes('[x](')), 'never as a link');
  }
});

test('hostile values in the proposal and bulk cards are escaped too; plain-text choice titles are not', () => {
  const proposal = proposalCard({
    exclusionId: 1, state: 'proposed', scope: 'rule', scenario: 3, conditions: "InitiatingProcessAccountName is one of *x* [y](z)", kql: "InitiatingProcessAccountName in~ ('*x*', '[y](z)')",
    impact: { open: 1, closed: 0, matched: [{ id: 'F1', device: '![i](http://t)', url: '<u>', full: true, state: 'open' }], truePositives: [] },
    author: '_eve_', requireApproval: true, canApprove: true, version: 1,
  });
  for (const t of markdownTexts(proposal)) assert.equal(bareMarkup(t.replace(/^\*\*|\*\*$/g, '')), undefined, t);
  const groups = groupFindings([{ id: 'F1', device: '[d](http://e)', url: '**u**', accounts: ['`a`'], parents: [], lastSeen: '2026-11-30T00:00:00Z', count: 1 }], 'url');
  const bulk = bulkCard({ groupBy: 'url', groups, page: 1, scenarios: SCENARIOS });
  for (const t of markdownTexts(bulk)) assert.equal(bareMarkup(t), undefined, t);
  const json = JSON.stringify(bulk);
  assert.ok(json.includes('"title":"**u** › [d](http://e) · `a`'), 'choice titles are plain text, shown as typed');
});

test('a code block’s fence outruns every backtick run in its content, so no value can close it', () => {
  assert.equal(codeBlock('| where x == 1\n', 'kql'), '```kql\n| where x == 1\n```');
  const hostile = 'a ``` b\n````\nc`';
  const block = codeBlock(hostile, 'kql');
  assert.equal(block, `\`\`\`\`\`kql\n${hostile}\n\`\`\`\`\``);
  // CommonMark: a closing fence is a line of at least as many backticks as the opening one.
  const inner = block.split('\n').slice(1, -1);
  assert.ok(inner.every((line) => !/^ {0,3}`{5,}\s*$/.test(line)), 'no line inside could close the fence');
});
