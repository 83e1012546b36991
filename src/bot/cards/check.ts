// A structural check of a card against the Adaptive Cards 1.5 subset these builders emit (no 1.5 JSON schema
// ships with any installed package, and nothing may be downloaded): known element and action types, their
// properties and enum values, unique ids, ToggleVisibility targets that exist, Execute actions whose verb is
// known and whose Submit fallback carries the same data, Teams' chart elements with data they can draw, and the
// size limit. Tests of every card, and of the bot's replies, run it; an empty list means the card passed.
import { isDeepStrictEqual } from 'node:util';
import { MAX_CARD_BYTES } from './elements.js';
import { CHART_COLORS } from './types.js';
import { ALL_VERBS, VERBS } from './verbs.js';

type Json = Record<string, unknown>;
type Spec = { readonly props: readonly string[]; readonly required: readonly string[]; readonly enums?: Readonly<Record<string, readonly unknown[]>> };

const SPACING = ['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'];
const COMMON = ['type', 'id', 'spacing', 'separator', 'isVisible'];
const INPUT = [...COMMON, 'label', 'isRequired', 'errorMessage'];
const ACTION_STYLE = ['default', 'positive', 'destructive'];

const ELEMENTS: Record<string, Spec> = {
  TextBlock: {
    props: [...COMMON, 'text', 'wrap', 'weight', 'size', 'color', 'isSubtle', 'fontType', 'maxLines', 'style'],
    required: ['text'],
    enums: {
      weight: ['Default', 'Lighter', 'Bolder'], size: ['Default', 'Small', 'Medium', 'Large', 'ExtraLarge'],
      color: ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'], fontType: ['Default', 'Monospace'], style: ['default', 'heading'],
    },
  },
  FactSet: { props: [...COMMON, 'facts'], required: ['facts'] },
  Container: { props: [...COMMON, 'items', 'style'], required: ['items'], enums: { style: ['default', 'emphasis', 'good', 'attention', 'warning', 'accent'] } },
  ColumnSet: { props: [...COMMON, 'columns'], required: ['columns'] },
  Column: { props: [...COMMON, 'items', 'width'], required: ['items'] },
  ActionSet: { props: [...COMMON, 'actions'], required: ['actions'] },
  'Input.Text': { props: [...INPUT, 'placeholder', 'isMultiline', 'maxLength', 'value'], required: ['id'] },
  'Input.Number': { props: [...INPUT, 'placeholder', 'min', 'max', 'value'], required: ['id'] },
  'Input.Toggle': { props: [...INPUT, 'title', 'value', 'valueOn', 'valueOff', 'wrap'], required: ['id', 'title'] },
  'Input.ChoiceSet': { props: [...INPUT, 'choices', 'isMultiSelect', 'style', 'value', 'placeholder', 'wrap'], required: ['id', 'choices'], enums: { style: ['compact', 'expanded'] } },
  'Chart.Donut': { props: [...COMMON, 'title', 'data'], required: ['data'] },
  'Chart.VerticalBar': { props: [...COMMON, 'title', 'data', 'xAxisTitle', 'yAxisTitle', 'color', 'showBarValues'], required: ['data'], enums: { color: CHART_COLORS } },
  'Chart.Line': { props: [...COMMON, 'title', 'data', 'xAxisTitle', 'yAxisTitle', 'yMin', 'yMax'], required: ['data'] },
};

// The keys each chart's data points take (Teams' chart schema): a donut slice, a bar, a line series, a line point.
const POINT_KEYS: Record<string, readonly string[]> = { 'Chart.Donut': ['legend', 'value', 'color'], 'Chart.VerticalBar': ['x', 'y', 'color'], 'Chart.Line': ['legend', 'values', 'color'] };
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const ACTIONS: Record<string, Spec> = {
  'Action.Execute': { props: ['type', 'title', 'verb', 'data', 'style', 'fallback'], required: ['title', 'verb', 'data', 'fallback'], enums: { style: ACTION_STYLE } },
  'Action.ShowCard': { props: ['type', 'title', 'card', 'style'], required: ['title', 'card'], enums: { style: ACTION_STYLE } },
  'Action.ToggleVisibility': { props: ['type', 'title', 'targetElements'], required: ['title', 'targetElements'] },
};

/** Teams shows at most six top-level actions. */
const MAX_ACTIONS = 6;
const FINDING_VERBS: readonly string[] = [VERBS.findingBenign, VERBS.findingTp, VERBS.findingFp, VERBS.findingUndetermined, VERBS.findingSkip];
const EXCLUSION_VERBS: readonly string[] = [VERBS.exclusionApprove, VERBS.exclusionReject, VERBS.exclusionRevoke, VERBS.exclusionExtend];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: string[] = [];
  readonly ids = new Map<string, string>();
  readonly targets: { path: string; id: string }[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  props(o: Json, spec: Spec, path: string): void {
    for (const k of Object.keys(o)) if (!spec.props.includes(k)) this.fail(path, `unknown property ${k}`);
    for (const k of spec.required) if (o[k] === undefined) this.fail(path, `missing ${k}`);
    for (const [k, allowed] of Object.entries(spec.enums ?? {})) if (o[k] !== undefined && !allowed.includes(o[k])) this.fail(`${path}.${k}`, `${JSON.stringify(o[k])} is not one of ${allowed.join(', ')}`);
    if (o.spacing !== undefined && !SPACING.includes(o.spacing as string)) this.fail(`${path}.spacing`, `${JSON.stringify(o.spacing)} is not a spacing`);
  }

  id(o: Json, path: string): void {
    if (o.id === undefined) return;
    if (typeof o.id !== 'string' || !o.id) return this.fail(`${path}.id`, 'must be a non-empty string');
    const seen = this.ids.get(o.id);
    if (seen) this.fail(`${path}.id`, `duplicate id ${o.id} (also at ${seen})`);
    else this.ids.set(o.id, path);
  }

  elements(list: unknown, path: string): void {
    if (!Array.isArray(list)) return this.fail(path, 'must be an array');
    list.forEach((e, i) => this.element(e, `${path}[${i}]`));
  }

  element(e: unknown, path: string): void {
    if (!isObject(e)) return this.fail(path, 'must be an object');
    const spec = ELEMENTS[e.type as string];
    if (!spec) return this.fail(path, `unknown element type ${JSON.stringify(e.type)}`);
    this.props(e, spec, path);
    this.id(e, path);
    if (e.type === 'TextBlock' && typeof e.text !== 'string') this.fail(`${path}.text`, 'must be a string');
    if (e.type === 'FactSet') this.facts(e.facts, `${path}.facts`);
    if (e.type === 'Container' || e.type === 'Column') this.elements(e.items, `${path}.items`);
    if (e.type === 'ColumnSet') this.elements(e.columns, `${path}.columns`);
    if (e.type === 'ActionSet') this.actions(e.actions, `${path}.actions`);
    if (e.type === 'Input.ChoiceSet') this.choices(e.choices, `${path}.choices`);
    if (typeof e.type === 'string' && e.type.startsWith('Chart.')) this.chart(e, path);
  }

  /**
   * A chart with no data renders as nothing, and one whose values are all 0 as an empty ring or a meaningless
   * axis (the playground labels it 0 … 1.00e-4): both are refused, so a card says "nothing yet" in words instead.
   */
  chart(e: Json, path: string): void {
    if (e.title !== undefined && typeof e.title !== 'string') this.fail(`${path}.title`, 'must be a string');
    if (!Array.isArray(e.data) || e.data.length === 0) return this.fail(`${path}.data`, 'must be a non-empty array');
    const keys = POINT_KEYS[e.type as string]!;
    const ys: number[] = [];
    e.data.forEach((d, i) => {
      const at = `${path}.data[${i}]`;
      if (!isObject(d)) return this.fail(at, 'must be an object');
      for (const k of Object.keys(d)) if (!keys.includes(k)) this.fail(at, `unknown property ${k}`);
      if (d.color !== undefined && !(CHART_COLORS as readonly unknown[]).includes(d.color)) this.fail(`${at}.color`, `${JSON.stringify(d.color)} is not a chart color`);
      if (e.type === 'Chart.Donut') {
        if (typeof d.legend !== 'string' || !isNumber(d.value) || d.value < 0) return this.fail(at, 'a slice is { legend: string, value: number >= 0 }');
        ys.push(d.value);
      } else if (e.type === 'Chart.VerticalBar') {
        if (typeof d.x !== 'string' || !isNumber(d.y)) return this.fail(at, 'a bar is { x: string, y: number }');
        ys.push(d.y);
      } else {
        if (typeof d.legend !== 'string' || !Array.isArray(d.values) || d.values.length === 0) return this.fail(at, 'a series is { legend: string, values: [{ x, y }, ...] }');
        d.values.forEach((p, j) => {
          if (!isObject(p) || typeof p.x !== 'string' || !isNumber(p.y) || Object.keys(p).length !== 2) this.fail(`${at}.values[${j}]`, 'a point is { x: string, y: number }');
          else ys.push(p.y);
        });
      }
    });
    const flat = ys.every((y) => y === 0) && !(e.type === 'Chart.Line' && isNumber(e.yMax) && e.yMax > 0);
    if (ys.length && flat) this.fail(`${path}.data`, 'every value is 0: the chart would draw nothing readable');
  }

  facts(list: unknown, path: string): void {
    if (!Array.isArray(list)) return this.fail(path, 'must be an array');
    list.forEach((f, i) => {
      if (!isObject(f) || typeof f.title !== 'string' || typeof f.value !== 'string' || Object.keys(f).length !== 2) this.fail(`${path}[${i}]`, 'a fact is { title, value } strings');
    });
  }

  choices(list: unknown, path: string): void {
    if (!Array.isArray(list)) return this.fail(path, 'must be an array');
    const values = new Set<string>();
    list.forEach((c, i) => {
      if (!isObject(c) || typeof c.title !== 'string' || typeof c.value !== 'string' || Object.keys(c).length !== 2) return this.fail(`${path}[${i}]`, 'a choice is { title, value } strings');
      if (values.has(c.value)) this.fail(`${path}[${i}]`, `duplicate choice value ${c.value}`);
      values.add(c.value);
    });
  }

  actions(list: unknown, path: string): void {
    if (!Array.isArray(list)) return this.fail(path, 'must be an array');
    list.forEach((a, i) => this.action(a, `${path}[${i}]`));
  }

  action(a: unknown, path: string): void {
    if (!isObject(a)) return this.fail(path, 'must be an object');
    const spec = ACTIONS[a.type as string];
    if (!spec) return this.fail(path, `${JSON.stringify(a.type)} is not an allowed action (a bot action is Action.Execute with a Submit fallback)`);
    this.props(a, spec, path);
    if (a.type === 'Action.Execute') this.execute(a, path);
    if (a.type === 'Action.ShowCard') this.subCard(a.card, `${path}.card`);
    if (a.type === 'Action.ToggleVisibility') {
      if (!Array.isArray(a.targetElements) || !a.targetElements.length) return this.fail(`${path}.targetElements`, 'must list ids');
      for (const t of a.targetElements) this.targets.push({ path, id: String(t) });
    }
  }

  execute(a: Json, path: string): void {
    const data = a.data;
    if (!isObject(data)) return this.fail(`${path}.data`, 'must be an object');
    if (!(ALL_VERBS as readonly unknown[]).includes(data.verb)) this.fail(`${path}.data.verb`, `unknown verb ${JSON.stringify(data.verb)}`);
    if (a.verb !== data.verb) this.fail(`${path}.verb`, `${JSON.stringify(a.verb)} differs from data.verb ${JSON.stringify(data.verb)}`);
    if (FINDING_VERBS.includes(data.verb as string) && (typeof data.findingId !== 'string' || typeof data.version !== 'number')) this.fail(`${path}.data`, 'a finding action carries findingId and version');
    if (EXCLUSION_VERBS.includes(data.verb as string) && (typeof data.exclusionId !== 'number' || typeof data.version !== 'number')) this.fail(`${path}.data`, 'an exclusion action carries exclusionId and version');
    const fb = a.fallback;
    if (!isObject(fb) || fb.type !== 'Action.Submit') return this.fail(`${path}.fallback`, 'must be an Action.Submit');
    for (const k of Object.keys(fb)) if (!['type', 'title', 'data', 'style'].includes(k)) this.fail(`${path}.fallback`, `unknown property ${k}`);
    if (!isDeepStrictEqual(fb.data, data)) this.fail(`${path}.fallback.data`, 'differs from the Execute data');
    if (fb.title !== a.title) this.fail(`${path}.fallback.title`, 'differs from the Execute title');
  }

  subCard(c: unknown, path: string): void {
    if (!isObject(c) || c.type !== 'AdaptiveCard') return this.fail(path, 'must be an AdaptiveCard');
    for (const k of Object.keys(c)) if (!['type', 'body', 'actions'].includes(k)) this.fail(path, `unknown property ${k}`);
    this.elements(c.body, `${path}.body`);
    if (c.actions !== undefined) this.actions(c.actions, `${path}.actions`);
  }

  refresh(r: unknown, path: string): void {
    if (!isObject(r) || !isObject(r.action)) return this.fail(path, 'must be { action, userIds? }');
    const a = r.action;
    if (a.type !== 'Action.Execute' || a.verb !== VERBS.findingRefresh || !isObject(a.data) || a.data.verb !== a.verb || typeof a.data.findingId !== 'string') {
      this.fail(`${path}.action`, 'must be an Action.Execute finding.refresh carrying findingId');
    }
    if (r.userIds !== undefined && (!Array.isArray(r.userIds) || r.userIds.length > 60 || r.userIds.some((u) => typeof u !== 'string'))) this.fail(`${path}.userIds`, 'must be at most 60 strings');
  }
}

export function cardProblems(card: unknown): string[] {
  const c = new Checker();
  if (!isObject(card)) return ['card: must be an object'];
  if (card.type !== 'AdaptiveCard') c.fail('card.type', 'must be AdaptiveCard');
  if (card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') c.fail('card.$schema', 'must be the Adaptive Cards schema URL');
  if (card.version !== '1.5') c.fail('card.version', 'must be 1.5');
  for (const k of Object.keys(card)) if (!['type', '$schema', 'version', 'body', 'actions', 'refresh'].includes(k)) c.fail('card', `unknown property ${k}`);
  c.elements(card.body, 'card.body');
  if (card.actions !== undefined) {
    c.actions(card.actions, 'card.actions');
    if (Array.isArray(card.actions) && card.actions.length > MAX_ACTIONS) c.fail('card.actions', `${card.actions.length} actions; Teams shows ${MAX_ACTIONS}`);
  }
  if (card.refresh !== undefined) c.refresh(card.refresh, 'card.refresh');
  for (const t of c.targets) if (!c.ids.has(t.id)) c.fail(t.path, `targets unknown element ${t.id}`);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > MAX_CARD_BYTES) c.fail('card', `${bytes} bytes, over ${MAX_CARD_BYTES}`);
  return c.problems;
}
