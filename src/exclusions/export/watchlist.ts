// `--format watchlist`: a Sentinel watchlist CSV plus the tuned query that applies it, for exclusion lists
// too long for Sentinel's 10,000-character query limit. It means exactly what the inline `where not(...)`
// lines mean:
// - An exclusion is an AND of conditions; an `in`/`in~` list is an OR of its values. So an exclusion whose
//   conditions are all equalities (==, in exact; =~, in~ case-insensitive) is the OR of its value combinations,
//   and each combination becomes one watchlist row.
// - A row's SearchKey is the key of that combination: the shape label (S1, S2, ...; one per set of
//   (column, case) pairs, the conditions sorted), then each value, joined with '|'; inside a value '\' and '|'
//   are escaped with '\', so the key is unambiguous. Case-insensitive values are lower-cased.
// - The query computes the same key from each event for each shape (tolower() where the operator ignores
//   case) and drops the events whose key is in the watchlist (`join kind=leftanti` on SearchKey, the
//   watchlist's indexed join column).
// - Only SearchKey is read back, so the other CSV columns are for people and the query does not depend on how
//   Sentinel types or unpacks them.
// - What a key cannot say exactly stays inline, as the hunt writes it: has, has_any, startswith, endswith,
//   contains and ipv4_is_in_any_range; values holding a tab or a line break, or starting or ending with
//   whitespace (a CSV upload may not keep them intact); and case-insensitive values beyond ASCII, since
//   tolower() and =~ agree on ASCII but need not on the rest of Unicode.
import { exclusionClauses, findAnchors } from '../../hunt/buildQuery.js';
import { kqlIdentifier, kqlString } from '../../kql/escape.js';
import type { Exclusion } from '../../store/types.js';
import { CASE_INSENSITIVE_OPS, isNumericColumn, type Condition } from '../model.js';
import { isApplied, plural, queryExclusion, ruleLabel, safeInstant, SENTINEL_QUERY_LIMIT, type ExportRule } from './applied.js';
import { csvText } from './csvText.js';
import { ExportError } from './exportError.js';

export const DEFAULT_WATCHLIST_ALIAS = 'parsec_exclusions';
const ALIAS_RE = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_OPS: ReadonlySet<string> = new Set(['==', '=~', 'in', 'in~']);
const KEYS_LET = 'ParsecExclusionKeys';
const SEP = '|';
// An exclusion whose value combinations pass this stays inline rather than flooding the watchlist.
const MAX_ROWS_PER_EXCLUSION = 100_000;

interface KeyPart {
  readonly column: string;
  readonly ci: boolean;
  readonly numeric: boolean;
}

interface Shape {
  readonly label: string;
  readonly parts: readonly KeyPart[];
  /** The CSV column each part's value goes to (a column used twice in one shape gets a suffix). */
  readonly csvColumns: readonly string[];
}

interface WatchlistRow {
  readonly shape: Shape;
  readonly exclusionIds: number[];
  readonly values: readonly string[];
}

export interface WatchlistExport {
  readonly csv: string;
  readonly kql: string;
  readonly warnings: string[];
}

export function checkAlias(alias: string): string {
  if (!ALIAS_RE.test(alias)) {
    throw new ExportError(`export: watchlist alias ${JSON.stringify(alias)} must be 1 to 64 letters, digits, '_' or '-'`, 'invalid');
  }
  return alias;
}

function part(c: Condition): KeyPart {
  const numeric = isNumericColumn(c.column);
  return { column: c.column, ci: !numeric && CASE_INSENSITIVE_OPS.has(c.op), numeric };
}

const partSig = (p: KeyPart): string => `${p.column}${p.ci ? ' (case-insensitive)' : ' (exact)'}`;

function valueFitsKey(p: KeyPart, v: string): boolean {
  if (/[\t\r\n]/.test(v) || /^\s|\s$/.test(v)) return false;
  return !p.ci || /^[\x00-\x7f]*$/.test(v);
}

function keyValue(p: KeyPart, v: string): string {
  const s = p.numeric ? BigInt(v).toString() : p.ci ? v.toLowerCase() : v;
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** The KQL that computes part `p` of the key from an event, the same way keyValue does from a value. */
function keyExpr(p: KeyPart): string {
  const col = kqlIdentifier(p.column);
  if (p.numeric) return `tostring(${col})`;
  const text = p.ci ? `tolower(${col})` : col;
  return `replace_string(replace_string(${text}, ${kqlString('\\')}, ${kqlString('\\\\')}), ${kqlString(SEP)}, ${kqlString(`\\${SEP}`)})`;
}

function cartesian(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

class WatchlistPlan {
  readonly shapes = new Map<string, Shape>();
  readonly rows = new Map<string, WatchlistRow>();
  readonly inline: Exclusion[] = [];
  readonly keyed: Exclusion[] = [];

  add(x: Exclusion): void {
    const conditions = [...queryExclusion(x).conditions]
      .map((c) => ({ c, p: part(c) }))
      .sort((a, b) => (partSig(a.p) < partSig(b.p) ? -1 : partSig(a.p) > partSig(b.p) ? 1 : 0));
    const fits = conditions.every(({ c, p }) => KEY_OPS.has(c.op) && c.values.every((v) => valueFitsKey(p, v)));
    // One value per distinct key text: `in~ ("A", "a")` is one row.
    const lists = conditions.map(({ c, p }) => [...new Map(c.values.map((v) => [keyValue(p, v), v])).values()]);
    const count = lists.reduce((n, l) => n * l.length, 1);
    if (!fits || count > MAX_ROWS_PER_EXCLUSION) {
      this.inline.push(x);
      return;
    }
    const shape = this.shape(conditions.map(({ p }) => p));
    for (const values of cartesian(lists)) {
      const key = [shape.label, ...values.map((v, i) => keyValue(shape.parts[i]!, v))].join(SEP);
      const row = this.rows.get(key);
      if (row) {
        if (!row.exclusionIds.includes(x.id)) row.exclusionIds.push(x.id);
      } else this.rows.set(key, { shape, exclusionIds: [x.id], values });
    }
    this.keyed.push(x);
  }

  private shape(parts: KeyPart[]): Shape {
    const sig = parts.map(partSig).join(', ');
    const known = this.shapes.get(sig);
    if (known) return known;
    const seen = new Map<string, number>();
    const csvColumns = parts.map((p) => {
      const n = (seen.get(p.column) ?? 0) + 1;
      seen.set(p.column, n);
      return n === 1 ? p.column : `${p.column}_${n}`;
    });
    const shape = { label: `S${this.shapes.size + 1}`, parts, csvColumns };
    this.shapes.set(sig, shape);
    return shape;
  }
}

function csvOf(plan: WatchlistPlan): string {
  const valueColumns = [...new Set([...plan.shapes.values()].flatMap((s) => s.csvColumns))];
  const rows = [...plan.rows].map(([key, r]) => {
    const cells = new Map(r.shape.csvColumns.map((c, i) => [c, r.values[i]!]));
    return [key, r.shape.label, r.exclusionIds.join(' '), ...valueColumns.map((c) => cells.get(c) ?? '')];
  });
  return csvText([['SearchKey', 'Shape', 'Exclusions', ...valueColumns], ...rows]);
}

function blockOf(plan: WatchlistPlan): string {
  const shapes = [...plan.shapes.values()];
  const keyCol = (s: Shape): string => kqlIdentifier(`_wlKey${s.label}`);
  const lines: string[] = [];
  if (plan.rows.size) {
    for (const s of shapes) {
      const parts = s.parts.flatMap((p, i) => (i === 0 ? [keyExpr(p)] : [kqlString(SEP), keyExpr(p)]));
      lines.push(`| extend ${keyCol(s)} = strcat(${kqlString(s.label + SEP)}, ${parts.join(', ')})`);
    }
    for (const s of shapes) lines.push(`| join kind=leftanti (${KEYS_LET}) on $left.${keyCol(s)} == $right.SearchKey`);
    lines.push(`| project-away ${shapes.map(keyCol).join(', ')}`);
  }
  return lines.map((l) => `${l}\n`).join('') + exclusionClauses(plan.inline.map(queryExclusion));
}

// Short on purpose: Sentinel counts comments against the query's 10,000 characters.
function headerOf(rule: ExportRule, plan: WatchlistPlan, alias: string, generatedAt: Date, skipped: number): string[] {
  const lines = [
    `Parsec triage: ${ruleLabel(rule)} tuned at ${safeInstant(generatedAt)}: ${plural(plan.keyed.length, 'exclusion')} from the ` +
      `watchlist '${alias}' (${plural(plan.rows.size, 'row')}), ${plan.inline.length} inline` +
      (skipped ? `, ${skipped} more not applied (proposed, rejected, revoked or expired).` : '.'),
    `Upload ${alias}.csv as watchlist '${alias}' with search key column SearchKey; its values are data, kept as they are.`,
    "A row is one value combination of an all-equality exclusion. SearchKey: the shape, then the values in its column",
    "order, joined by '|' ('\\' escapes '\\' and '|'; case-insensitive values lower-cased). An event whose key for a shape",
    'is in the watchlist is dropped (join kind=leftanti), as `where not(...)` would drop it. Shapes:',
    ...[...plan.shapes.values()].map((s) => `  ${s.label}: ${s.parts.map(partSig).join(', ')}`),
    'Inline, as the hunt writes them: has, has_any, startswith, endswith, contains, IPv4 ranges; values with tabs,',
    'line breaks or edge whitespace; case-insensitive values beyond ASCII.',
  ];
  return lines.map((l) => `// ${l}`);
}

export function watchlistExport(
  rule: ExportRule,
  exclusions: readonly Exclusion[],
  generatedAt: Date,
  aliasInput: string = DEFAULT_WATCHLIST_ALIAS,
): WatchlistExport {
  const alias = checkAlias(aliasInput);
  const applied = exclusions.filter((x) => isApplied(x, generatedAt));
  const plan = new WatchlistPlan();
  for (const x of applied) plan.add(x);

  const block = blockOf(plan);
  const anchors = findAnchors(rule.query);
  let query: string;
  if (!block) query = rule.query;
  else if (anchors.summarizePipe !== undefined) {
    query = rule.query.slice(0, anchors.summarizePipe) + block + rule.query.slice(anchors.summarizePipe);
  } else {
    // No summarize: like the hunt, filter the query's own output rows at its end.
    const body = rule.query.trimEnd();
    query = `${body}\n${block.trimEnd()}${rule.query.slice(body.length)}`;
  }
  const head = headerOf(rule, plan, alias, generatedAt, exclusions.length - applied.length);
  const keys = plan.rows.size ? [`let ${KEYS_LET} = _GetWatchlist(${kqlString(alias)}) | project SearchKey;`] : [];
  const kql = `${[...head, ...keys].join('\n')}\n${query}`;
  const warnings: string[] = [];
  if (kql.length > SENTINEL_QUERY_LIMIT) {
    warnings.push(
      `export: the watchlist query is still ${kql.length.toLocaleString('en-US')} characters, over Sentinel's ` +
        `${SENTINEL_QUERY_LIMIT.toLocaleString('en-US')}-character limit: ${plural(plan.inline.length, 'exclusion')} could not go into the watchlist`,
    );
  }
  return { csv: csvOf(plan), kql, warnings };
}
