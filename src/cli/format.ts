// Renders a result table for the three audiences of the CLI: scripts (json), spreadsheets (csv), people (table).
import type { ColumnDef, Row } from '../kql/table.js';
import { KDateTime, KTimespan, type Value } from '../kql/values.js';

export type OutputFormat = 'json' | 'table' | 'csv';

export function toPlain(v: Value): unknown {
  if (v instanceof KDateTime || v instanceof KTimespan) return v.toJSON();
  return v;
}

/** Objects keyed by column name, in column order, with datetimes as ISO-8601 UTC. */
export function rowsToObjects(columns: readonly ColumnDef[], rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, toPlain(r[i] ?? null)])));
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const MAX_CELL = 60;

/** Aligned text; long cells are cut with an ellipsis (json and csv carry everything). */
export function renderTable(headers: readonly string[], records: readonly unknown[][]): string {
  const cells = records.map((r) =>
    r.map((v) => {
      const t = cellText(v).replace(/[\r\n\t]+/g, ' ');
      return t.length > MAX_CELL ? `${t.slice(0, MAX_CELL - 1)}…` : t;
    }),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

function csvField(v: unknown): string {
  const t = Array.isArray(v) || (v && typeof v === 'object') ? JSON.stringify(v) : cellText(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function renderCsv(headers: readonly string[], records: readonly unknown[][]): string {
  return [headers, ...records].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function renderResult(format: OutputFormat, columns: readonly ColumnDef[], rows: readonly Row[]): string {
  if (format === 'json') return JSON.stringify(rowsToObjects(columns, rows), null, 2) + '\n';
  const headers = columns.map((c) => c.name);
  const records = rows.map((r) => columns.map((_, i) => toPlain(r[i] ?? null)));
  return format === 'csv' ? renderCsv(headers, records) : renderTable(headers, records);
}
