// The only way the product turns a value into KQL text. Every literal and identifier the product emits goes
// through here, so a value holding quotes, backslashes, newlines, pipes or unicode means exactly itself.
import { KDateTime, KTimespan } from './values.js';

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Words that cannot stand as bare column names; bracket-quoting them is always legal, so err on the wide side.
const RESERVED = new Set([
  'and', 'or', 'not', 'in', 'has', 'has_any', 'has_all', 'has_cs', 'contains', 'contains_cs', 'startswith',
  'endswith', 'hasprefix', 'hassuffix', 'matches', 'regex', 'between', 'let', 'where', 'project', 'extend',
  'summarize', 'by', 'true', 'false', 'null', 'datetime', 'timespan', 'dynamic', 'int', 'long', 'real',
  'bool', 'string', 'guid', 'decimal', 'on', 'kind', 'with', 'asc', 'desc', 'nulls', 'first', 'last', 'of',
  'join', 'union', 'print', 'take', 'limit', 'top', 'sort', 'order', 'distinct', 'count', 'datatable', 'to',
  'typeof', 'set', 'alias', 'declare', 'pattern', 'restrict', 'access', 'materialize', 'toscalar', 'range',
  'step', 'from', 'as', 'invoke', 'render', 'search', 'find', 'evaluate', 'parse', 'mv-expand', 'view',
]);

// Other control characters get a \uXXXX escape, which Microsoft's parser (Kusto.Language) accepts as the real
// engine does; the local lexer decodes the same set.
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export class KqlEscapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KqlEscapeError';
  }
}

/** A double-quoted KQL string literal that denotes exactly `value`. */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default:
        out += CONTROL_RE.test(ch) ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch;
    }
  }
  return out + '"';
}

/** A parenthesized list of string literals, for `in~ (...)`, `has_any (...)` and friends. */
export function kqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new KqlEscapeError('kql: an empty value list has no KQL form here');
  return `(${values.map(kqlString).join(', ')})`;
}

/** A `dynamic([...])` literal of strings. */
export function kqlDynamicStrings(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(', ')}])`;
}

/** A column or entity name: bare when it can be, `['...']` otherwise. */
export function kqlIdentifier(name: string): string {
  if (IDENT_RE.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  if (name.length === 0 || CONTROL_RE.test(name) || /[\r\n]/.test(name)) {
    throw new KqlEscapeError(`kql: not a usable identifier: ${JSON.stringify(name)}`);
  }
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function kqlLong(n: number | bigint): string {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new KqlEscapeError(`kql: not a whole number: ${n}`);
  return `${n}`;
}

export function kqlReal(n: number): string {
  if (!Number.isFinite(n)) throw new KqlEscapeError(`kql: not a finite number: ${n}`);
  return Number.isInteger(n) ? `real(${n})` : `${n}`;
}

export function kqlBool(b: boolean): string {
  return b ? 'true' : 'false';
}

/** `datetime(...)` with all seven fractional digits, so a pinned clock means the same instant in Azure. */
export function kqlDatetime(d: KDateTime | Date): string {
  const k = d instanceof Date ? KDateTime.fromDate(d) : d;
  const base = new Date(k.ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return `datetime(${base.slice(0, -1)}${String(k.sub).padStart(4, '0')}Z)`;
}

export function kqlTimespan(t: KTimespan): string {
  return `timespan(${t.toString()})`;
}
