// Builds the final hunt query from a rule's own query text. The rule text is edited, never regenerated, so
// what analysts read in the rule is what runs: exclusions go in as `| where not(...)` right before the first
// summarize (so they drop events, not whole findings), the summarize gains the enrichment sets triage needs,
// and with a pinned clock `now()`/`ago()` become datetime literals, so a replay asks Azure the same question
// the local engine answers.
import { tokenize, type Token } from '../kql/index.js';
import { kqlDatetime, kqlIdentifier } from '../kql/escape.js';
import type { KDateTime } from '../kql/values.js';
import { compileConditions, type Condition } from '../exclusions/model.js';

export interface QueryExclusion {
  readonly id: number;
  readonly conditions: readonly Condition[];
}

export interface BuildOptions {
  /** The pinned clock; without it `now()` stays `now()` (the engine's or Azure's own clock). */
  readonly now?: KDateTime | undefined;
  readonly exclusions?: readonly QueryExclusion[];
  /** Add the enrichment aggregates to the first summarize (default true). */
  readonly enrich?: boolean;
}

/** The enrichment sets: output column name → source column. Cards, learning and exports rely on these names. */
export const ENRICHMENT: ReadonlyArray<readonly [string, string]> = [
  ['Processes', 'InitiatingProcessFileName'],
  ['ParentProcesses', 'InitiatingProcessParentFileName'],
  ['Accounts', 'InitiatingProcessAccountName'],
  ['RemoteIPs', 'RemoteIP'],
  ['Companies', 'InitiatingProcessVersionInfoCompanyName'],
];

export class QueryBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryBuildError';
  }
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Where the rule's text gets edited: found from tokens, so comments and string contents never confuse it. */
export interface QueryAnchors {
  /** Offset of the `|` before the first top-level summarize, if any. */
  readonly summarizePipe: number | undefined;
  /** Offset where enrichment aggregates go: before that summarize's `by`, or at the end of its clause. */
  readonly aggregatesEnd: number | undefined;
  /** now(...)/ago(...) calls: the whole call's range and the argument text range (empty for now()). */
  readonly clockCalls: ReadonlyArray<{ fn: 'now' | 'ago'; start: number; end: number; argStart: number; argEnd: number }>;
  /** `Timestamp between (A .. B)`: the text ranges of A and B, for deriving the hunt window. */
  readonly windowBounds: { readonly lo: [number, number]; readonly hi: [number, number] } | undefined;
}

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

function isWord(t: Token | undefined, word: string): boolean {
  return !!t && (t.kind === 'identifier' || t.kind === 'keyword') && t.text === word;
}

function matchingClose(tokens: readonly Token[], openIndex: number): number {
  let depth = 0;
  for (let i = openIndex; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && OPEN.has(t.text)) depth++;
    else if (t.kind === 'punct' && CLOSE.has(t.text) && --depth === 0) return i;
  }
  return -1;
}

export function findAnchors(text: string): QueryAnchors {
  const { tokens, diagnostics } = tokenize(text);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error) throw new QueryBuildError(`query: ${error.line}:${error.column}: ${error.message}`);

  const clockCalls: Array<QueryAnchors['clockCalls'][number]> = [];
  let summarizePipe: number | undefined;
  let aggregatesEnd: number | undefined;
  let windowBounds: QueryAnchors['windowBounds'];
  let depth = 0;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && OPEN.has(t.text)) depth++;
    if (t.kind === 'punct' && CLOSE.has(t.text)) depth--;

    const next = tokens[i + 1];
    if ((isWord(t, 'now') || isWord(t, 'ago')) && next?.kind === 'punct' && next.text === '(') {
      const close = matchingClose(tokens, i + 1);
      if (close < 0) throw new QueryBuildError(`query: unbalanced parentheses after ${t.text} at offset ${t.start}`);
      const argStart = next.end;
      const argEnd = tokens[close]!.start;
      clockCalls.push({ fn: t.text as 'now' | 'ago', start: t.start, end: tokens[close]!.end, argStart, argEnd });
    }

    if (windowBounds === undefined && isWord(t, 'Timestamp') && isWord(next, 'between') && tokens[i + 2]?.text === '(') {
      const close = matchingClose(tokens, i + 2);
      const dots = tokens.findIndex((x, k) => k > i + 2 && k < close && x.kind === 'punct' && x.text === '..');
      if (close > 0 && dots > 0) {
        windowBounds = {
          lo: [tokens[i + 2]!.end, tokens[dots]!.start],
          hi: [tokens[dots]!.end, tokens[close]!.start],
        };
      }
    }

    if (summarizePipe === undefined && depth === 0 && t.kind === 'punct' && t.text === '|' && isWord(next, 'summarize')) {
      summarizePipe = t.start;
      let d = 0;
      let end = text.length;
      for (let k = i + 2; k < tokens.length; k++) {
        const u = tokens[k]!;
        if (u.kind === 'punct' && OPEN.has(u.text)) d++;
        else if (u.kind === 'punct' && CLOSE.has(u.text)) d--;
        else if (d === 0 && isWord(u, 'by')) {
          end = u.start;
          break;
        } else if (d === 0 && ((u.kind === 'punct' && (u.text === '|' || u.text === ';')) || u.kind === 'eof')) {
          end = u.start;
          break;
        }
      }
      aggregatesEnd = end;
    }
  }
  return { summarizePipe, aggregatesEnd, clockCalls, windowBounds };
}

function trimEndOffset(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1]!)) e--;
  return e;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The `| where not(...)` lines for a set of exclusions; also what `export --format kql` prints. */
export function exclusionClauses(exclusions: readonly QueryExclusion[]): string {
  return exclusions
    .map((x) => {
      if (!Number.isSafeInteger(x.id)) throw new QueryBuildError(`query: exclusion id ${String(x.id)} is not an integer`);
      return `| where not(${compileConditions(x.conditions)}) // exclusion ${x.id}\n`;
    })
    .join('');
}

export function pinClock(text: string, anchors: QueryAnchors, now: KDateTime): Edit[] {
  const lit = kqlDatetime(now);
  return anchors.clockCalls.map((c) => {
    const arg = text.slice(c.argStart, c.argEnd).trim();
    if (c.fn === 'now') return { start: c.start, end: c.end, text: arg ? `(${lit} + (${arg}))` : lit };
    if (!arg) throw new QueryBuildError(`query: ago() needs a timespan argument at offset ${c.start}`);
    return { start: c.start, end: c.end, text: `(${lit} - (${arg}))` };
  });
}

export function buildHuntQuery(ruleQuery: string, options: BuildOptions = {}): string {
  const anchors = findAnchors(ruleQuery);
  const edits: Edit[] = options.now ? pinClock(ruleQuery, anchors, options.now) : [];
  const exclusions = options.exclusions ?? [];

  if (anchors.summarizePipe !== undefined) {
    if (exclusions.length) edits.push({ start: anchors.summarizePipe, end: anchors.summarizePipe, text: exclusionClauses(exclusions) });
    if (options.enrich !== false) {
      const at = trimEndOffset(ruleQuery, anchors.aggregatesEnd!);
      const aggs = ENRICHMENT.map(([name, col]) => `${kqlIdentifier(name)}=make_set(${kqlIdentifier(col)})`).join(', ');
      edits.push({ start: at, end: at, text: `,\n${aggs}` });
    }
  } else if (exclusions.length) {
    // No summarize: the exclusions filter the query's own output rows, at its end.
    const end = trimEndOffset(ruleQuery, ruleQuery.length);
    edits.push({ start: end, end, text: `\n${exclusionClauses(exclusions).trimEnd()}` });
  }
  return applyEdits(ruleQuery, edits);
}

/** The name of exclusion N's hit counter in the hits query. */
export function hitColumn(id: number): string {
  return `hits_${id}`;
}

/**
 * Counts, per exclusion, the events of this run that it suppresses: the rule's own pipeline up to its first
 * summarize (the events the exclusions see), then one countif per exclusion. An event two exclusions both
 * match counts for each.
 */
export function buildHitsQuery(ruleQuery: string, options: Pick<BuildOptions, 'now' | 'exclusions'>): string | undefined {
  const exclusions = options.exclusions ?? [];
  if (!exclusions.length) return undefined;
  const anchors = findAnchors(ruleQuery);
  const cut = anchors.summarizePipe ?? trimEndOffset(ruleQuery, ruleQuery.length);
  const edits = options.now ? pinClock(ruleQuery, anchors, options.now).filter((e) => e.end <= cut) : [];
  const head = applyEdits(ruleQuery.slice(0, cut), edits).trimEnd();
  const counters = exclusions.map((x) => `${hitColumn(x.id)}=countif(${compileConditions(x.conditions)})`);
  return `${head}\n| summarize ${counters.join(',\n    ')}\n`;
}
