// Driving the Agents Playground's chat the way an analyst does: type a command, read the cards, fill their
// inputs, press their buttons. Every wait is bounded; nothing sleeps for a fixed time.
import type { Locator, Page } from 'playwright-core';
import { SELECTORS } from './selectors.js';

/** A card's visible text contains the string / matches the RegExp / satisfies the predicate. */
export type TextMatch = string | RegExp | ((text: string) => boolean);
/**
 * Input.Text: the text. Input.Toggle: true/false. ChoiceSet: the choice's visible title (or a unique prefix of
 * it); a multi-select takes every title to select, and clears the rest.
 */
export type InputValue = string | boolean | readonly string[];

const POLL_MS = 100;

function matches(text: string, match: TextMatch): boolean {
  if (typeof match === 'string') return text.includes(match);
  if (match instanceof RegExp) return match.test(text);
  return match(text);
}

function describe(match: TextMatch): string {
  return typeof match === 'function' ? 'the predicate' : JSON.stringify(String(match));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactly(text: string): RegExp {
  // The renderer may append a required-field marker to a label.
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*\\*?\\s*$`);
}

function startsWith(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}`);
}

/** Indices of the wanted choices: each an exact title, or a prefix only one title starts with. */
function pickChoices(label: string, titles: readonly string[], wanted: readonly string[]): Set<number> {
  return new Set(
    wanted.map((w) => {
      const exact = titles.indexOf(w);
      if (exact >= 0) return exact;
      const prefixed = titles.flatMap((t, i) => (t.startsWith(w) ? [i] : []));
      if (prefixed.length === 1) return prefixed[0]!;
      const why = prefixed.length ? 'several choices starting with' : 'no choice';
      throw new Error(`setInput: "${label}" has ${why} "${w}" (choices: ${JSON.stringify(titles)})`);
    }),
  );
}

function checkboxTitles(boxes: Locator): Promise<string[]> {
  return boxes.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

async function until<T>(timeoutMs: number, what: () => string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** One rendered Adaptive Card. It stays valid when the bot replaces the card in place (same message slot). */
export class Card {
  constructor(
    readonly locator: Locator,
    readonly index: number,
    private readonly page: Page,
    private readonly timeoutMs: number,
  ) {}

  text(): Promise<string> {
    return this.locator.innerText();
  }

  /** Waits until this card's text matches, e.g. after an action replaced it. */
  async waitFor(match: TextMatch, timeoutMs = this.timeoutMs): Promise<string> {
    let last = '';
    return until(
      timeoutMs,
      () => `card #${this.index} to show ${describe(match)}; it shows:\n${last}`,
      async () => {
        last = await this.text();
        return matches(last, match) ? last : undefined;
      },
    );
  }

  async clickAction(title: string): Promise<void> {
    const button = this.locator.getByRole('button', { name: title, exact: true });
    if ((await button.count()) === 0) {
      const titles = await this.locator.getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? e.textContent));
      throw new Error(`clickAction: card #${this.index} has no "${title}" button (it has: ${JSON.stringify(titles)})`);
    }
    await button.first().click();
  }

  async setInput(label: string, value: InputValue): Promise<void> {
    if (typeof value === 'boolean') {
      // A toggle's name is its title, often a sentence: its first words are enough.
      const toggle = this.locator.getByRole('checkbox', { name: startsWith(label) });
      if ((await toggle.count()) > 0) return toggle.first().setChecked(value);
    }
    const target = await this.inputFor(label);
    const kind = await target.evaluate((el) => el.getAttribute('role') ?? `${el.tagName.toLowerCase()}:${el.getAttribute('type') ?? ''}`);
    const wanted = typeof value === 'boolean' ? [] : typeof value === 'string' ? [value] : [...value];
    if (kind === 'combobox') return this.chooseInListbox(target, label, wanted);
    if (kind === 'radiogroup') {
      if (wanted.length !== 1) throw new Error(`setInput: "${label}" takes one choice, got ${JSON.stringify(value)}`);
      const radios = target.getByRole('radio');
      const titles = (await target.locator('label').allInnerTexts()).map((t) => t.trim());
      return radios.nth([...pickChoices(label, titles, wanted)][0]!).check();
    }
    if (kind === 'input:checkbox') return target.setChecked(value === true || value === 'true');
    if (kind.startsWith('input:') || kind.startsWith('textarea:')) return target.fill(String(value));
    // An expanded multi-select: a plain <div> of checkboxes, one per choice.
    const boxes = target.getByRole('checkbox');
    const chosen = pickChoices(label, await checkboxTitles(boxes), wanted);
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).setChecked(chosen.has(i));
  }

  /** The visible titles of a ChoiceSet's choices (opening and closing a compact one to read them). */
  async choices(label: string): Promise<string[]> {
    const target = await this.inputFor(label);
    const role = await target.getAttribute('role');
    if (role === 'radiogroup') return (await target.locator('label').allInnerTexts()).map((t) => t.trim());
    if (role !== 'combobox') return checkboxTitles(target.getByRole('checkbox'));
    await target.click();
    const listbox = this.page.locator(SELECTORS.openListbox).last();
    await listbox.waitFor({ timeout: this.timeoutMs });
    const titles = (await listbox.locator(SELECTORS.listboxOption).allInnerTexts()).map((t) => t.trim());
    await this.page.keyboard.press('Escape');
    return titles;
  }

  private async inputFor(label: string): Promise<Locator> {
    const labels = this.locator.locator(SELECTORS.inputLabel).filter({ hasText: exactly(label) });
    if ((await labels.count()) === 0) {
      const all = await this.locator.locator(SELECTORS.inputLabel).allInnerTexts();
      throw new Error(`setInput: card #${this.index} has no input labelled "${label}" (labels: ${JSON.stringify(all)})`);
    }
    const id = await labels.first().getAttribute('for');
    if (!id) throw new Error(`setInput: the "${label}" label points at no input`);
    return this.locator.locator(`[id="${id}"]`);
  }

  private async chooseInListbox(combobox: Locator, label: string, wanted: string[]): Promise<void> {
    await combobox.click();
    const listbox = this.page.locator(SELECTORS.openListbox).last();
    await listbox.waitFor({ timeout: this.timeoutMs });
    const options = listbox.locator(SELECTORS.listboxOption);
    const titles = (await options.allInnerTexts()).map((t) => t.trim());
    const chosen = pickChoices(label, titles, wanted);
    const multi = (await options.first().getAttribute('role')) === 'menuitemcheckbox';
    if (!multi) {
      if (chosen.size !== 1) throw new Error(`setInput: "${label}" takes one choice, got ${JSON.stringify(wanted)}`);
      await options.nth([...chosen][0]!).click();
      return;
    }
    for (const [i] of titles.entries()) {
      const checked = (await options.nth(i).getAttribute('aria-checked')) === 'true';
      if (checked !== chosen.has(i)) await options.nth(i).click();
    }
    await this.page.keyboard.press('Escape');
  }
}

export class Chat {
  constructor(
    readonly page: Page,
    readonly timeoutMs: number,
  ) {}

  /** Switches to "Personal Chat" (the default), "Group Chat", "My Team - General", ... */
  async openConversation(name: string): Promise<void> {
    await this.page.locator(SELECTORS.conversation(name)).click();
    await this.page.locator(SELECTORS.composeBox).waitFor({ timeout: this.timeoutMs });
  }

  cards(): Locator {
    return this.page.locator(SELECTORS.card);
  }

  cardCount(): Promise<number> {
    return this.cards().count();
  }

  card(index: number): Card {
    return new Card(this.cards().nth(index), index, this.page, this.timeoutMs);
  }

  async latestCard(): Promise<Card> {
    const n = await this.cardCount();
    if (n === 0) throw new Error('latestCard: no card in this conversation yet');
    return this.card(n - 1);
  }

  /**
   * Types `text` into the compose box and sends it; resolves once the message shows in the transcript.
   * Returns how many cards there were before, for `waitForCard(match, { since })`.
   */
  async send(text: string): Promise<number> {
    const cardsBefore = await this.cardCount();
    const headers = this.page.locator(SELECTORS.messageHeader);
    const messagesBefore = await headers.count();
    await this.page.locator(SELECTORS.composeBox).click();
    await this.page.keyboard.type(text);
    await this.page.locator(SELECTORS.sendButton).click();
    await until(
      this.timeoutMs,
      () => `the sent message ${JSON.stringify(text)} to appear`,
      async () => ((await headers.count()) > messagesBefore ? true : undefined),
    );
    return cardsBefore;
  }

  /** The last card (at index >= since) whose visible text matches. */
  async waitForCard(match: TextMatch, opts: { since?: number; timeoutMs?: number } = {}): Promise<Card> {
    const since = opts.since ?? 0;
    let seen: string[] = [];
    return until(
      opts.timeoutMs ?? this.timeoutMs,
      () => `a card showing ${describe(match)} (cards from #${since}: ${JSON.stringify(seen.slice(since).map((t) => t.slice(0, 120)))})`,
      async () => {
        seen = await this.cards().allInnerTexts();
        for (let i = seen.length - 1; i >= since; i--) if (matches(seen[i]!, match)) return this.card(i);
        return undefined;
      },
    );
  }

  /** Every card (at index >= since) whose text matches, once at least `count` of them are there. */
  async waitForCards(match: TextMatch, count: number, opts: { since?: number; timeoutMs?: number } = {}): Promise<Card[]> {
    const since = opts.since ?? 0;
    let found = 0;
    return until(
      opts.timeoutMs ?? this.timeoutMs,
      () => `${count} cards showing ${describe(match)} (found ${found})`,
      async () => {
        const texts = await this.cards().allInnerTexts();
        const hits = texts.flatMap((t, i) => (i >= since && matches(t, match) ? [this.card(i)] : []));
        found = hits.length;
        return hits.length >= count ? hits : undefined;
      },
    );
  }

  /** A bot message (plain text or card) whose text matches. */
  async waitForBotText(match: TextMatch, timeoutMs = this.timeoutMs): Promise<string> {
    return until(
      timeoutMs,
      () => `a bot message showing ${describe(match)}`,
      async () => (await this.page.locator(SELECTORS.botMessage).allInnerTexts()).findLast((t) => matches(t, match)),
    );
  }

  /** Presses `title` on the given card, or on the latest one. */
  async clickAction(title: string, card?: Card): Promise<void> {
    await (card ?? (await this.latestCard())).clickAction(title);
  }

  /** Fills the input labelled `label` on the given card, or on the latest one. */
  async setInput(label: string, value: InputValue, card?: Card): Promise<void> {
    await (card ?? (await this.latestCard())).setInput(label, value);
  }
}
