// The subset of Adaptive Cards 1.5 these cards use, typed closely enough that a misspelt property or enum
// value fails to compile. Text that a host renders as markdown (TextBlock.text, Fact title and value) is the
// branded Markdown type, so user data can only get there through the escaping in markdown.ts.
import type { ActionData, FindingRefreshData } from './verbs.js';

declare const markdownBrand: unique symbol;
/** Text safe to hand a markdown renderer: literals we wrote, with every user value escaped. */
export type Markdown = string & { readonly [markdownBrand]: true };

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge' | 'Padding';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type TextSize = 'Default' | 'Small' | 'Medium' | 'Large' | 'ExtraLarge';
export type TextWeight = 'Default' | 'Lighter' | 'Bolder';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type ActionStyle = 'default' | 'positive' | 'destructive';

interface ElementBase {
  id?: string;
  spacing?: Spacing;
  separator?: boolean;
  isVisible?: boolean;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: Markdown;
  wrap?: boolean;
  weight?: TextWeight;
  size?: TextSize;
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'Default' | 'Monospace';
  maxLines?: number;
  style?: 'default' | 'heading';
}

export interface Fact {
  title: Markdown;
  value: Markdown;
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: Fact[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
}

export interface Column extends ElementBase {
  type: 'Column';
  items: CardElement[];
  width?: 'auto' | 'stretch' | number;
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardAction[];
}

interface InputBase extends ElementBase {
  id: string;
  /** Plain text: hosts render labels without markdown. Only our own wording goes here. */
  label?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface TextInput extends InputBase {
  type: 'Input.Text';
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  value?: string;
}

export interface NumberInput extends InputBase {
  type: 'Input.Number';
  placeholder?: string;
  min?: number;
  max?: number;
  value?: number;
}

export interface ToggleInput extends InputBase {
  type: 'Input.Toggle';
  title: string;
  value?: string;
  valueOn?: string;
  valueOff?: string;
  wrap?: boolean;
}

/** Choice titles are rendered as plain text (Teams, and the Agents Playground turns markdown off for them). */
export interface Choice {
  title: string;
  value: string;
}

export interface ChoiceSetInput extends InputBase {
  type: 'Input.ChoiceSet';
  choices: Choice[];
  isMultiSelect?: boolean;
  style?: 'compact' | 'expanded';
  value?: string;
  placeholder?: string;
  wrap?: boolean;
}

export type InputElement = TextInput | NumberInput | ToggleInput | ChoiceSetInput;

// ---- charts (Teams' Adaptive Card chart elements; the Agents Playground 0.2.28 renders these three) ----
// Their text (legends, axis labels, titles) is plain text, not markdown: the renderer draws it as SVG/text nodes.

/** Named colors both Teams and the playground resolve (a subset of Teams' well-known chart colors). */
export const CHART_COLORS = [
  'good', 'warning', 'attention', 'neutral', 'categoricalRed', 'categoricalPurple', 'categoricalLavender', 'categoricalBlue',
  'categoricalLightBlue', 'categoricalTeal', 'categoricalGreen', 'categoricalLime', 'categoricalMarigold',
] as const;
export type ChartColor = (typeof CHART_COLORS)[number];

interface ChartBase extends ElementBase {
  /** Plain text. Teams may show it; the playground does not, so cards put a TextBlock heading above each chart. */
  title?: string;
}

export interface DonutSlice {
  legend: string;
  value: number;
  color?: ChartColor;
}

export interface DonutChart extends ChartBase {
  type: 'Chart.Donut';
  data: DonutSlice[];
}

export interface BarPoint {
  x: string;
  y: number;
  color?: ChartColor;
}

export interface VerticalBarChart extends ChartBase {
  type: 'Chart.VerticalBar';
  data: BarPoint[];
  xAxisTitle?: string;
  yAxisTitle?: string;
  /** Every bar's color, unless a point sets its own. */
  color?: ChartColor;
  showBarValues?: boolean;
}

export interface LineSeries {
  legend: string;
  values: { x: string; y: number }[];
  color?: ChartColor;
}

export interface LineChart extends ChartBase {
  type: 'Chart.Line';
  data: LineSeries[];
  xAxisTitle?: string;
  yAxisTitle?: string;
  yMin?: number;
  yMax?: number;
}

export type ChartElement = DonutChart | VerticalBarChart | LineChart;
export type CardElement = TextBlock | FactSet | Container | ColumnSet | ActionSet | InputElement | ChartElement;

/** What clients without Universal Actions run instead: the same data, posted as a message. */
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: ActionData;
  style?: ActionStyle;
}

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: ActionData;
  style?: ActionStyle;
  fallback: SubmitAction;
}

/** A card nested in an Action.ShowCard: no version or schema of its own. */
export interface SubCard {
  type: 'AdaptiveCard';
  body: CardElement[];
  actions?: CardAction[];
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: SubCard;
  style?: ActionStyle;
}

export interface ToggleVisibilityAction {
  type: 'Action.ToggleVisibility';
  title: string;
  targetElements: string[];
}

/** ShowCard and ToggleVisibility stay on the client; every action that reaches the bot is an Execute. */
export type CardAction = ExecuteAction | ShowCardAction | ToggleVisibilityAction;

export interface Refresh {
  action: { type: 'Action.Execute'; title?: string; verb: FindingRefreshData['verb']; data: FindingRefreshData };
  userIds?: string[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardAction[];
  refresh?: Refresh;
}
