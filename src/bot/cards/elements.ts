// Builders shared by the cards: the card envelope, text, facts, inputs, and actions. Every action that reaches
// the bot is built by `execute`, so each one is an Action.Execute whose fallback Action.Submit carries the same
// data (clients without Universal Actions post it as a message instead).
import { escapeInline } from './markdown.js';
import {
  CARD_SCHEMA, CARD_VERSION,
  type ActionStyle, type AdaptiveCard, type CardAction, type CardElement, type Choice, type ChoiceSetInput, type Container,
  type ContainerStyle, type ExecuteAction, type Spacing, type FactSet, type Markdown, type ShowCardAction, type TextBlock, type TextColor,
  type TextInput, type ToggleInput, type ToggleVisibilityAction, type NumberInput,
} from './types.js';
import { TOGGLE_OFF, TOGGLE_ON, type ActionData } from './verbs.js';

/** Teams takes messages up to ~80 KB; a card stays well under, leaving room for the activity around it. */
export const MAX_CARD_BYTES = 28 * 1024;

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

export function adaptiveCard(body: CardElement[], actions: readonly CardAction[] = []): AdaptiveCard {
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body };
  if (actions.length) card.actions = [...actions];
  return card;
}

// ---- text ----

export function text(value: Markdown, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...opts };
}

export function heading(value: Markdown, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return text(value, { size: 'Medium', weight: 'Bolder', style: 'heading', ...opts });
}

export function subtle(value: Markdown, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return text(value, { isSubtle: true, size: 'Small', spacing: 'None', ...opts });
}

export function monospace(value: Markdown, opts: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return text(value, { fontType: 'Monospace', size: 'Small', ...opts });
}

export type NoticeKind = 'info' | 'warning' | 'error' | 'good';
// Text on a tinted container reads best in the default color; only errors keep their own.
const NOTICE_COLOR: Record<NoticeKind, TextColor> = { info: 'Default', warning: 'Default', error: 'Attention', good: 'Default' };
const NOTICE_STYLE: Record<NoticeKind, ContainerStyle> = { info: 'accent', warning: 'warning', error: 'attention', good: 'good' };

/** A highlighted line: a refusal, a warning, a state. */
export function callout(value: Markdown, kind: NoticeKind): Container {
  return container([text(value, { color: NOTICE_COLOR[kind], weight: 'Bolder' })], { style: NOTICE_STYLE[kind] });
}

/** Facts whose titles and values are data or our own words alike: both are escaped. */
export function facts(pairs: readonly (readonly [title: string, value: string])[], opts: Omit<FactSet, 'type' | 'facts'> = {}): FactSet {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title: escapeInline(title), value: escapeInline(value) })), ...opts };
}

export function container(items: CardElement[], opts: Omit<Container, 'type' | 'items'> = {}): Container {
  return { type: 'Container', items, ...opts };
}

// ---- inputs ----

export function textInput(id: string, label: string, opts: Omit<TextInput, 'type' | 'id' | 'label'> = {}): TextInput {
  return { type: 'Input.Text', id, label, ...opts };
}

export function numberInput(id: string, label: string, opts: Omit<NumberInput, 'type' | 'id' | 'label'> = {}): NumberInput {
  return { type: 'Input.Number', id, label, ...opts };
}

export function toggle(id: string, title: string, on: boolean): ToggleInput {
  return { type: 'Input.Toggle', id, title, valueOn: TOGGLE_ON, valueOff: TOGGLE_OFF, value: on ? TOGGLE_ON : TOGGLE_OFF, wrap: true };
}

export function choiceSet(id: string, label: string, choices: Choice[], opts: Omit<ChoiceSetInput, 'type' | 'id' | 'label' | 'choices'> = {}): ChoiceSetInput {
  return { type: 'Input.ChoiceSet', id, label, choices, style: 'compact', wrap: true, ...opts };
}

// ---- actions ----

function copy<T extends ActionData>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}

export function execute(title: string, data: ActionData, style?: ActionStyle): ExecuteAction {
  const styled = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title,
    verb: data.verb,
    data: copy(data),
    ...styled,
    fallback: { type: 'Action.Submit', title, data: copy(data), ...styled },
  };
}

export function showCard(title: string, body: CardElement[], actions: readonly CardAction[], style?: ActionStyle): ShowCardAction {
  const action: ShowCardAction = { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions: [...actions] } };
  if (style) action.style = style;
  return action;
}

export function toggleVisibility(title: string, targetElements: string[]): ToggleVisibilityAction {
  return { type: 'Action.ToggleVisibility', title, targetElements };
}

export function actionSet(actions: readonly CardAction[], opts: { spacing?: Spacing } = {}): CardElement[] {
  return actions.length ? [{ type: 'ActionSet', actions: [...actions], ...opts }] : [];
}

/**
 * The first of the progressively smaller renderings that fits MAX_CARD_BYTES (the last one regardless: each
 * card's smallest level is bounded by construction, and the size tests hold it to that).
 */
export function fitCard<L>(levels: readonly L[], build: (level: L) => AdaptiveCard): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const level of levels) {
    card = build(level);
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  }
  if (!card) throw new Error('cards: fitCard needs at least one level');
  return card;
}
