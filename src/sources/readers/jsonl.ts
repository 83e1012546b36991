// JSON Lines: one JSON object per line, keyed by column name. Keys that are not schema columns are ignored,
// and a missing key types as the column's empty value; blank lines are skipped.
import type { ColumnDef, Row } from '../../kql/table.js';
import { columnWanted, rawFilter, type ScanHint } from './hint.js';
import type { LineBlock } from './lines.js';
import type { MalformedLog } from './malformed.js';
import { convertersFor, TypingError } from './typing.js';

function isBlank(line: string): boolean {
  // Fast path first: nearly every line starts with '{'.
  return line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim() === '');
}

// A line skipped by a scan hint is not parsed, but one that is not even framed as an object is still
// reported, so a hint cannot turn a broken file into a silently empty one.
function framedAsObject(line: string): boolean {
  const t = line.charCodeAt(0) === 0x7b ? line : line.trimStart();
  let end = t.length - 1;
  while (end > 0 && t.charCodeAt(end) <= 0x20) end--;
  return t.charCodeAt(0) === 0x7b && t.charCodeAt(end) === 0x7d;
}

function describeJsonError(line: string, err: unknown): string {
  const head = line.trimStart().charCodeAt(0);
  if (head === 0x5b /* [ */) return 'a JSON array; expected one JSON object per line (JSON Lines)';
  // V8 quotes the line in its message; drop a CRLF file's '\r' so the warning stays on one line.
  return `bad JSON: ${(err instanceof Error ? err.message : String(err)).replace(/\r/g, '')}`;
}

export async function* jsonlRows(
  blocks: AsyncIterable<LineBlock>,
  columns: readonly ColumnDef[],
  malformed: MalformedLog,
  hint?: ScanHint,
): AsyncGenerator<Row[]> {
  const convert = convertersFor(columns);
  const wanted = columnWanted(hint);
  const index = new Map(columns.flatMap((c, i) => (wanted(c.name) ? [[c.name, i] as const] : [])));
  const keep = rawFilter(hint, '\\u');
  // Each column's value when its key is absent; a row starts as a copy and only present keys are typed.
  const absent: Row = convert.map((f) => f(undefined));
  for await (const block of blocks) {
    const rows: Row[] = [];
    const { lines, firstLine } = block;
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      if (isBlank(line)) continue;
      if (keep && !keep(line)) {
        if (!framedAsObject(line)) malformed.add(firstLine + li, 'bad JSON: not a complete JSON object');
        continue;
      }
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (err) {
        malformed.add(firstLine + li, describeJsonError(line, err));
        continue;
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
        malformed.add(firstLine + li, Array.isArray(obj) ? describeJsonError(line, null) : 'not a JSON object');
        continue;
      }
      const rec = obj as Record<string, unknown>;
      const row: Row = absent.slice();
      try {
        for (const key in rec) {
          const i = index.get(key);
          if (i !== undefined) row[i] = convert[i](rec[key]);
        }
      } catch (err) {
        if (!(err instanceof TypingError)) throw err;
        malformed.add(firstLine + li, err.message);
        continue;
      }
      rows.push(row);
    }
    yield rows;
  }
}
