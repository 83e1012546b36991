// The KQL lexer: text → tokens with offsets. Never throws; problems become diagnostics and the offending
// characters are skipped, so the parser always gets a token stream ending in 'eof'.
import { type Diagnostic, SourceMap } from './diagnostics.js';
import { decodeString, parseDatetimeLiteral, parseTimespanLiteral, TIMESPAN_UNITS } from './literals.js';

export interface Token {
  kind: 'identifier' | 'keyword' | 'string' | 'number' | 'datetime' | 'timespan' | 'punct' | 'eof';
  text: string;
  start: number;
  end: number;
  /** string: the decoded text; number: the number; datetime: KDateTime | null; timespan: KTimespan | null. */
  value?: unknown;
}

// Operator words; everything else (including tabular operator names) is an identifier the parser reads by text.
const STRING_OPS = [
  'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs',
];
const NEGATABLE = new Set([...STRING_OPS, 'in', 'between']);
export const KEYWORDS = new Set([
  ...STRING_OPS, 'and', 'or', 'let', 'by', 'true', 'false', 'between', 'in', 'has_any', 'has_all', 'matches',
]);
const HYPHENATED = new Set([
  'project-away', 'project-keep', 'project-rename', 'project-reorder', 'project-smart', 'mv-expand', 'mv-apply',
  'make-series', 'top-nested', 'top-hitters', 'parse-where', 'parse-kv', 'make-graph', 'graph-match',
]);
const PUNCT2 = new Set(['..', '==', '!=', '<>', '<=', '>=', '=~', '!~', '=>']);
const PUNCT1 = new Set([...'|()[]{},;=<>+-*/%.:?']);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);

export function tokenize(text: string): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const src = new SourceMap(text);
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const err = (start: number, end: number, message: string) => diagnostics.push(src.diagnostic(start, end, message));
  const n = text.length;
  let i = 0;
  const push = (kind: Token['kind'], start: number, end: number, value?: unknown) => {
    const t: Token = { kind, text: text.slice(start, end), start, end };
    if (value !== undefined) t.value = value;
    tokens.push(t);
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      continue;
    }
    const start = i;
    // Multi-line raw strings: ```...``` and ~~~...~~~.
    if ((c === 96 || c === 126) && text.startsWith(c === 96 ? '```' : '~~~', i)) {
      const fence = c === 96 ? '```' : '~~~';
      const close = text.indexOf(fence, i + 3);
      if (close < 0) {
        err(start, n, 'unterminated multi-line string literal');
        i = n;
        continue;
      }
      i = close + 3;
      push('string', start, i, text.slice(start + 3, close));
      continue;
    }
    // Quoted strings, with optional h (obfuscated) and @ (verbatim) prefixes.
    {
      let j = i;
      if ((c === 104 || c === 72) && (text[j + 1] === '"' || text[j + 1] === "'" || text[j + 1] === '@')) j++;
      let verbatim = false;
      if (text[j] === '@' && (text[j + 1] === '"' || text[j + 1] === "'")) {
        verbatim = true;
        j++;
      }
      const q = text[j];
      if ((q === '"' || q === "'") && (j > i || verbatim || c === 34 || c === 39)) {
        const r = decodeString(text, j, verbatim);
        if (r.error) err(r.errorStart ?? start, r.errorEnd ?? r.end, r.error);
        i = r.end;
        push('string', start, i, r.value);
        continue;
      }
    }
    if (isDigit(c)) {
      i = lexNumber(text, i, push, err);
      continue;
    }
    if (isIdentStart(c) || (c === 36 && isIdentStart(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      // Hyphenated operator names (project-away, mv-expand, ...).
      if (text[i] === '-' && isIdentStart(text.charCodeAt(i + 1))) {
        let k = i + 1;
        while (k < n && isIdentPart(text.charCodeAt(k))) k++;
        if (HYPHENATED.has(text.slice(start, k))) {
          i = k;
          push('identifier', start, i);
          continue;
        }
      }
      if ((lower === 'datetime' || lower === 'timespan') && word === lower) {
        const raw = rawParens(text, i);
        if (raw) {
          const inner = text.slice(raw.open + 1, raw.close);
          const value = lower === 'datetime' ? parseDatetimeLiteral(inner) : parseTimespanLiteral(inner);
          if (value === undefined) err(start, raw.close + 1, `invalid ${lower} literal '${inner.trim()}'`);
          i = raw.close + 1;
          push(lower, start, i, value ?? null);
          continue;
        }
      }
      if (word === 'in' && text[i] === '~') {
        i++;
        push('keyword', start, i);
        continue;
      }
      push(KEYWORDS.has(word) ? 'keyword' : 'identifier', start, i);
      continue;
    }
    if (c === 33 /* ! */ && isIdentStart(text.charCodeAt(i + 1))) {
      let k = i + 1;
      while (k < n && isIdentPart(text.charCodeAt(k))) k++;
      const word = text.slice(i + 1, k);
      if (NEGATABLE.has(word)) {
        if (word === 'in' && text[k] === '~') k++;
        i = k;
        push('keyword', start, i);
        continue;
      }
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      push('punct', start, i);
      continue;
    }
    if (PUNCT1.has(text[i]!)) {
      i++;
      push('punct', start, i);
      continue;
    }
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    err(start, start + len, `unexpected character '${String.fromCodePoint(cp)}'`);
    i += len;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return { tokens, diagnostics };
}

/** For `datetime(...)`/`timespan(...)`: the raw text between the parentheses, which is not token-shaped. */
function rawParens(text: string, from: number): { open: number; close: number } | null {
  let j = from;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  if (text[j] !== '(') return null;
  const close = text.indexOf(')', j + 1);
  if (close < 0) return null;
  // A nested '(' means an expression, e.g. a function call: let the parser report that.
  if (text.slice(j + 1, close).includes('(')) return null;
  return { open: j, close };
}

function lexNumber(
  text: string,
  i: number,
  push: (kind: Token['kind'], start: number, end: number, value?: unknown) => void,
  err: (start: number, end: number, message: string) => void,
): number {
  const start = i;
  const n = text.length;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    i += 2;
    while (i < n && /[0-9a-fA-F]/.test(text[i]!)) i++;
    push('number', start, i, Number.parseInt(text.slice(start + 2, i) || '0', 16));
    return i;
  }
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text.charCodeAt(i + 2))))) {
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  const numEnd = i;
  if (i < n && isIdentStart(text.charCodeAt(i))) {
    while (i < n && isIdentPart(text.charCodeAt(i))) i++;
    const unit = text.slice(numEnd, i).toLowerCase();
    const perUnit = TIMESPAN_UNITS.get(unit);
    if (perUnit === undefined) {
      err(start, i, `invalid number literal '${text.slice(start, i)}'`);
      push('number', start, i, Number(text.slice(start, numEnd)));
      return i;
    }
    push('timespan', start, i, parseTimespanLiteral(text.slice(start, i)) ?? null);
    return i;
  }
  push('number', start, i, Number(text.slice(start, i)));
  return i;
}
