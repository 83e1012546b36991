// The end-to-end check: headless Chromium drives the Agents Playground against the real triage bot
// (its own server process, a fresh database, the committed sample events at the sample's clock).
//   1. `hunt` posts finding cards;
//   2. one is marked benign under a scenario with "exclude going forward": its card turns into the disposition;
//   3. a second `hunt` no longer shows it (the exclusion suppressed its events);
//   4. `bulk` marks three findings at once and a summary card reports them;
//   5. `export` shows the tuned KQL, with the learned exclusion, in a code block;
//   6. `stats` renders the chart card.
// Screenshots of each step go to artifacts/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Card } from './support/chat.js';
import { e2eSkipReason, withPlayground } from './support/playground.js';

const skip = e2eSkipReason();
const OPEN_FINDING = /Finding (\w+) · open ·/;

/** Scenario templates key on the finding's parent process; pick a card whose parents fit one of them. */
async function findingWithScenario(cards: Card[]): Promise<{ card: Card; id: string; scenario: string }> {
  const byParent: Array<[RegExp, string]> = [
    [/\bmsiexec\.exe\b|\bsetup\.exe\b/i, '4.'],
    [/\bservices\.exe\b|\bSystem\b/, '1.'],
    [/\btaskhostw\.exe\b|\btaskeng\.exe\b/i, '2.'],
  ];
  for (const card of cards) {
    const text = await card.text();
    const parents = /Parents\s*\n+([^\n]*)/.exec(text)?.[1] ?? '';
    const fit = byParent.find(([re]) => re.test(parents));
    const id = OPEN_FINDING.exec(text)?.[1];
    if (fit && id) return { card, id, scenario: fit[1] };
  }
  throw new Error('no posted finding has a parent process that a scenario template covers');
}

test('hunt, mark benign with an exclusion, hunt again without it, bulk-mark three, export, stats', { skip }, async (t) => {
  await withPlayground(t, 'triage-flow', { bot: 'triage', timeoutMs: 30_000 }, async (pg) => {
    // 1. hunt → finding cards.
    let since = await pg.send('hunt');
    await pg.waitForCard(/Hunt run 1 finished/, { since });
    const findings = await pg.waitForCards(OPEN_FINDING, 3, { since });
    await pg.screenshot('e2e-1-hunt');

    // 2. benign under a fitting scenario, exclude going forward: the card shows the disposition in place.
    const { card, id, scenario } = await findingWithScenario(findings);
    const cardsBefore = await pg.cardCount();
    await card.clickAction('Benign…');
    await card.setInput('Benign scenario', scenario);
    await card.setInput('Exclude going forward', true);
    await card.setInput('Comment', 'e2e: sanctioned Parsec use');
    await pg.screenshot('e2e-2-benign-form', card);
    await card.clickAction('Mark Benign Positive');
    const marked = await card.waitFor(new RegExp(`Finding ${id} · closed ·`));
    assert.match(marked, new RegExp(`Benign Positive \\(scenario ${scenario.replace('.', '')}\\b`));
    assert.match(marked, /by Alex Wilber/, 'who marked it (the playground user)');
    assert.match(marked, /e2e: sanctioned Parsec use/);
    const exclusion = await pg.waitForCard(/Exclusion \d+ · (active|proposed)/, { since: cardsBefore });
    const exclusionText = await exclusion.text();
    if (/Exclusion \d+ · proposed/.test(exclusionText)) await exclusion.clickAction('Approve');
    await pg.screenshot('e2e-2-marked', card);

    // 3. the second hunt suppresses the finding's events, and does not post it.
    since = await pg.send('hunt');
    const summary = await pg.waitForCard(/Hunt run 2 finished/, { since });
    assert.match(await summary.text(), /Suppressed\s+[1-9]\d* events? by 1 exclusion/);
    const posted = (await pg.cards().allInnerTexts()).slice(since);
    assert.ok(!posted.some((text) => text.includes(`Finding ${id} `)), `finding ${id} was posted again`);
    await pg.screenshot('e2e-3-second-hunt', summary);

    // 4. bulk: three findings from the first page, one classification, one submit, one summary.
    since = await pg.send('bulk');
    const bulk = await pg.waitForCard(/Bulk marking · \d+ open findings/, { since });
    const label = 'Findings to mark (this page)';
    const three = (await bulk.choices(label)).slice(0, 3);
    assert.equal(three.length, 3);
    await bulk.setInput(label, three);
    await bulk.setInput('Classification', 'Undetermined');
    await bulk.setInput('Comment', 'e2e: bulk');
    await pg.screenshot('e2e-4-bulk-form', bulk);
    const beforeSubmit = await pg.cardCount();
    await bulk.clickAction('Mark selected');
    const result = await pg.waitForCard(/marked 3 findings Undetermined/, { since: beforeSubmit - 1 });
    assert.match(await result.text(), /Marked\s+\w+, \w+, \w+\s*\n/);
    await pg.screenshot('e2e-4-bulk-summary', result);

    // 5. export: the KQL block inline, rendered as a code block, holding the exclusion learned in step 2.
    const exclusionId = /Exclusion (\d+)/.exec(exclusionText)![1]!;
    await pg.send('export');
    const kql = pg.page.locator('.fai-OutputCard pre', { hasText: `// exclusion ${exclusionId}` });
    await kql.last().waitFor({ timeout: 30_000 });
    assert.match(await kql.last().innerText(), /\| where not\(/, 'the where not(...) line to paste');
    await pg.screenshot('e2e-5-export');

    // 6. stats: the chart card, with the dispositions made above as numbers beside the charts.
    since = await pg.send('stats');
    const stats = await pg.waitForCard(/Triage stats[\s\S]*Verdicts/, { since });
    const statsText = await stats.text();
    assert.match(statsText, /Benign Positive/);
    assert.match(statsText, /Undetermined/);
    assert.ok((await stats.locator.locator('svg').count()) > 0, 'the charts render (as SVG)');
    // The card is taller than the window: show it from the donut down, as an analyst scrolls to it.
    await stats.locator.locator('svg').first().scrollIntoViewIfNeeded();
    await pg.screenshot('e2e-6-stats');
  });
});
