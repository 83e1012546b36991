// Turns a Log Analytics query response into typed rows of the local engine's value model, and the service's
// nested error objects into one line of text.
//
// The SDK converts datetime cells to JS Dates, which keep milliseconds only; Kusto datetimes have 100 ns
// ticks, and a hunt's FirstSeen/LastSeen must survive a round trip exactly. So rows are read from the raw
// JSON body when it is at hand, and from the SDK's tables (Dates and all) only as a fallback.
import { z } from 'zod';
import type { ColumnDef } from '../kql/table.js';
import { KDateTime, KTimespan, parseDateTime } from '../kql/values.js';
import type { DynamicValue, KqlType, Value } from '../kql/values.js';

/** The REST shape of one result table: `{"name","columns":[{"name","type"}],"rows":[[...]]}`. */
const rawTableSchema = z.object({
  name: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
});

const rawBodySchema = z.object({ tables: z.array(rawTableSchema) });

export type RawTable = z.infer<typeof rawTableSchema>;

/** The tables of a raw response body, or undefined when the body is not the documented shape. */
export function rawTables(body: unknown): RawTable[] | undefined {
  const parsed = rawBodySchema.safeParse(body);
  return parsed.success ? parsed.data.tables : undefined;
}

export interface ConvertedTable {
  readonly columns: ColumnDef[];
  readonly rows: Value[][];
  readonly warnings: string[];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set<KqlType>([
  'string', 'long', 'int', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid',
]);

/** The service's column type, in the local engine's names. `decimal` has no local type; it reads as real. */
function columnType(name: string, type: string, warnings: string[]): KqlType {
  const t = type.toLowerCase();
  if (KNOWN_TYPES.has(t)) return t as KqlType;
  if (t === 'decimal') return 'real';
  warnings.push(`log analytics: column ${name} has type ${JSON.stringify(type)}, which has no local type; read as dynamic`);
  return 'dynamic';
}

export function convertTable(
  columns: readonly { name: string; type: string }[],
  rows: readonly (readonly unknown[])[],
): ConvertedTable {
  const warnings: string[] = [];
  const defs = columns.map((c) => ({ name: c.name, type: columnType(c.name, c.type, warnings) }));
  const out = rows.map((row, r) =>
    defs.map((def, c) => {
      const converted = convertCell(def.type, row[c]);
      if (converted.ok) return converted.value;
      warnings.push(`log analytics: row ${r + 1}, column ${def.name}: ${converted.problem}; read as null`);
      return null;
    }),
  );
  return { columns: defs, rows: out, warnings };
}

type Cell = { ok: true; value: Value } | { ok: false; problem: string };

const ok = (value: Value): Cell => ({ ok: true, value });
const bad = (type: KqlType, raw: unknown): Cell => ({ ok: false, problem: `not a valid ${type}: ${preview(raw)}` });

function preview(raw: unknown): string {
  const text = raw instanceof Date ? raw.toISOString() : JSON.stringify(raw) ?? String(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function convertCell(type: KqlType, raw: unknown): Cell {
  if (raw === null || raw === undefined) return ok(null);
  switch (type) {
    case 'datetime': {
      if (typeof raw === 'string') {
        const d = parseDateTime(raw);
        return d ? ok(d) : bad(type, raw);
      }
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) return ok(KDateTime.fromDate(raw));
      return bad(type, raw);
    }
    case 'timespan': {
      const t = typeof raw === 'string' ? parseServiceTimespan(raw) : null;
      return t ? ok(t) : bad(type, raw);
    }
    case 'long':
    case 'int':
    case 'real': {
      if (typeof raw === 'number') return ok(raw);
      // Kusto serializes non-finite reals (and decimals) as strings: "NaN", "Infinity", "-Infinity", "1.5".
      if (typeof raw === 'string' && raw.trim() !== '') {
        const n = Number(raw);
        if (!Number.isNaN(n) || raw === 'NaN') return ok(n);
      }
      return bad(type, raw);
    }
    case 'bool': {
      if (typeof raw === 'boolean') return ok(raw);
      if (typeof raw === 'number') return ok(raw !== 0);
      if (raw === 'true' || raw === 'True') return ok(true);
      if (raw === 'false' || raw === 'False') return ok(false);
      return bad(type, raw);
    }
    case 'dynamic':
      return ok(dynamicValue(raw));
    case 'string':
    case 'guid':
      return typeof raw === 'string' ? ok(raw) : ok(JSON.stringify(raw));
  }
}

/**
 * The service sends dynamic cells as JSON text (`"[\"a\",\"b\"]"`); a cell that is not JSON is a dynamic
 * string, as Kusto's own `dynamic` holds it.
 */
function dynamicValue(raw: unknown): Value {
  if (typeof raw !== 'string') return raw as DynamicValue;
  try {
    return JSON.parse(raw) as DynamicValue;
  } catch {
    return raw;
  }
}

const TIMESPAN_RE = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** The service's print form of a timespan: [-][d.]hh:mm:ss[.fffffff]. */
export function parseServiceTimespan(text: string): KTimespan | null {
  const m = TIMESPAN_RE.exec(text.trim());
  if (!m) return null;
  const [, neg, days = '0', hh, mm, ss, frac = ''] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  const seconds = Number(days) * 86400 + Number(hh) * 3600 + Number(mm) * 60 + Number(ss);
  const ticks = seconds * 10_000_000 + Number(frac.padEnd(7, '0'));
  return new KTimespan(neg ? -ticks : ticks);
}

/** The service's error object (`{code, message, details[], innererror}`, nested at any depth). */
interface ServiceError {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  innererror?: unknown;
}

function isObject(v: unknown): v is ServiceError {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The top-level code of a service error object, when it has one. */
export function serviceErrorCode(error: unknown): string | undefined {
  return isObject(error) && typeof error.code === 'string' && error.code ? error.code : undefined;
}

/**
 * One line from a nested service error: each level's "code: message", outermost first, duplicates dropped.
 * The innermost levels carry what an analyst needs ("Query could not be parsed at 'x' on line [1,5]").
 */
export function serviceErrorText(error: unknown): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  const visit = (e: unknown, depth: number): void => {
    if (!isObject(e) || depth > 8) return;
    const message = typeof e.message === 'string' ? oneLine(e.message) : '';
    const code = typeof e.code === 'string' ? e.code : '';
    const part = code && message ? `${code}: ${message}` : message || code;
    if (part && !seen.has(part)) {
      seen.add(part);
      parts.push(part);
    }
    if (Array.isArray(e.details)) for (const d of e.details) visit(d, depth + 1);
    visit(e.innererror, depth + 1);
  };
  visit(error, 0);
  return parts.length ? parts.join('; ') : undefined;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
