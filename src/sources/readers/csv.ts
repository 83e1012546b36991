// CSV as Defender advanced hunting exports it: a header row of column names, RFC 4180 quoting ("" inside a
// quoted field, commas and line breaks allowed there), CRLF line ends, ISO-8601 timestamps.
//
// The parser works on the physical lines of readLineBlocks, so every record knows the exact line it starts
// on, even when a quoted field spans CRLF line breaks (csv-parse 6 counts such a CRLF as two lines), and a
// broken record costs only itself: after an unterminated quote the reader resumes on the next line instead
// of swallowing the rest of the file.
import type { ColumnDef, Row } from '../../kql/table.js';
import { columnWanted, rawFilter, type ScanHint } from './hint.js';
import type { LineBlock } from './lines.js';
import type { MalformedLog } from './malformed.js';
import { convertersFor, TypingError, type Converter } from './typing.js';

const QUOTE = 0x22;
const CR = 0x0d;

/** A quoted field may span lines, but not without end: beyond this, its opening quote is taken as a typo. */
export const MAX_RECORD_LINES = 10_000;
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

interface RecordState {
  fields: string[];
  /** The text so far of a quoted field left open at the end of the previous line. */
  partial: string;
  inQuote: boolean;
}

type LineOutcome = 'record' | 'open' | { error: string };

/** Reads `line` into `st` from position `i`, inside a quoted field; returns where parsing goes on, or -1 if still open. */
function readQuoted(line: string, i: number, end: number, st: RecordState): number {
  for (;;) {
    const q = line.indexOf('"', i);
    if (q === -1) {
      st.partial += `${line.slice(i)}\n`;
      st.inQuote = true;
      return -1;
    }
    if (q + 1 < end && line.charCodeAt(q + 1) === QUOTE) {
      st.partial += line.slice(i, q + 1);
      i = q + 2;
      continue;
    }
    st.fields.push(st.partial + line.slice(i, q));
    st.partial = '';
    st.inQuote = false;
    return q + 1;
  }
}

/** Parses one physical line into the record in progress. */
function consumeLine(line: string, st: RecordState): LineOutcome {
  const len = line.length;
  const end = len > 0 && line.charCodeAt(len - 1) === CR ? len - 1 : len;
  let i = 0;
  if (st.inQuote) {
    i = readQuoted(line, 0, end, st);
    if (i === -1) return 'open';
    if (i >= end) return 'record';
    if (line.charCodeAt(i) !== 0x2c) return { error: 'unexpected text after a closing quote' };
    i += 1;
  }
  for (;;) {
    if (i < end && line.charCodeAt(i) === QUOTE) {
      i = readQuoted(line, i + 1, end, st);
      if (i === -1) return 'open';
      if (i >= end) return 'record';
      if (line.charCodeAt(i) !== 0x2c) return { error: 'unexpected text after a closing quote' };
      i += 1;
      continue;
    }
    // Unquoted field: a stray quote inside it is taken literally, as nothing else can be meant.
    const comma = line.indexOf(',', i);
    if (comma === -1 || comma >= end) {
      st.fields.push(line.slice(i, end));
      return 'record';
    }
    st.fields.push(line.slice(i, comma));
    i = comma + 1;
  }
}

function isBlankLine(line: string): boolean {
  return line.length === 0 || (line.length === 1 && line.charCodeAt(0) === CR);
}

/** Header names as exported; Log Analytics' portal appends " [UTC]" to datetime columns. */
function headerName(raw: string): string {
  return raw.trim().replace(/\s*\[UTC\]$/i, '');
}

interface Layout {
  /** For each schema column, its field position in the file, or -1 when the file lacks it. */
  readonly positions: number[];
  /** positions, with -1 for the columns a scan hint leaves untyped. */
  readonly typed: number[];
  readonly fieldCount: number;
}

function layoutFor(header: string[], columns: readonly ColumnDef[], wanted: (name: string) => boolean): Layout {
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = headerName(raw);
    if (!exact.has(name)) exact.set(name, i);
    const lower = name.toLowerCase();
    if (!folded.has(lower)) folded.set(lower, i);
  });
  const positions = columns.map((c) => exact.get(c.name) ?? folded.get(c.name.toLowerCase()) ?? -1);
  return { positions, typed: positions.map((p, i) => (wanted(columns[i].name) ? p : -1)), fieldCount: header.length };
}

export class CsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvHeaderError';
  }
}

export async function* csvRows(
  blocks: AsyncIterable<LineBlock>,
  columns: readonly ColumnDef[],
  malformed: MalformedLog,
  hint?: ScanHint,
): AsyncGenerator<Row[]> {
  const convert: Converter[] = convertersFor(columns);
  const absent: Row = convert.map((f) => f(undefined));
  const wanted = columnWanted(hint);
  const keep = rawFilter(hint);
  const width = columns.length;
  let layout: Layout | undefined;
  let st: RecordState = { fields: [], partial: '', inQuote: false };
  // Lines of the record in progress, kept only while a quoted field is open, to resume after a runaway quote.
  let pending: string[] = [];
  let pendingChars = 0;
  let recordLine = 0;

  const finish = (fields: string[], line: number, raw: () => string, out: Row[]): void => {
    if (!layout) {
      layout = layoutFor(fields, columns, wanted);
      if (!layout.positions.some((p) => p >= 0)) {
        throw new CsvHeaderError(`line ${line}: the header names none of the table's columns`);
      }
      return;
    }
    if (fields.length !== layout.fieldCount) {
      malformed.add(line, `expected ${layout.fieldCount} fields, found ${fields.length}`);
      return;
    }
    if (keep && !keep(raw())) return;
    const row: Row = absent.slice();
    try {
      const typed = layout.typed;
      for (let i = 0; i < width; i++) {
        const p = typed[i];
        if (p >= 0) row[i] = convert[i](fields[p]);
      }
    } catch (err) {
      if (!(err instanceof TypingError)) throw err;
      malformed.add(line, err.message);
      return;
    }
    out.push(row);
  };

  // Feeds lines through the record parser. A quote still open after MAX_RECORD_* (or at the end of the file)
  // is taken for a typo: its record is reported, and the lines after the record's first line are read again.
  const feed = (lines: string[], firstLine: number, out: Row[], atEnd: boolean): void => {
    let queue = lines;
    let queueFirst = firstLine;
    for (;;) {
      let replay: string[] | undefined;
      let replayFirst = 0;
      for (let li = 0; li < queue.length; li++) {
        const line = queue[li];
        const lineNo = queueFirst + li;
        if (!st.inQuote) {
          if (isBlankLine(line)) continue;
          recordLine = lineNo;
        }
        const outcome = consumeLine(line, st);
        if (outcome === 'open') {
          pending.push(line);
          pendingChars += line.length;
          if (pending.length > MAX_RECORD_LINES || pendingChars > MAX_RECORD_CHARS) {
            replay = [...pending.slice(1), ...queue.slice(li + 1)];
            replayFirst = recordLine + 1;
            break;
          }
          continue;
        }
        const spanned = pending;
        pending = [];
        pendingChars = 0;
        const raw = () => (spanned.length > 0 ? `${spanned.join('\n')}\n${line}` : line);
        if (outcome === 'record') finish(st.fields, recordLine, raw, out);
        else if (!layout) throw new CsvHeaderError(`line ${recordLine}: header: ${outcome.error}`);
        else malformed.add(recordLine, outcome.error);
        st = { fields: [], partial: '', inQuote: false };
      }
      if (!replay && atEnd && st.inQuote) {
        replay = pending.slice(1);
        replayFirst = recordLine + 1;
      }
      if (!replay) return;
      malformed.add(recordLine, 'unterminated quoted field');
      st = { fields: [], partial: '', inQuote: false };
      pending = [];
      pendingChars = 0;
      queue = replay;
      queueFirst = replayFirst;
    }
  };

  let lastLine = 0;
  for await (const block of blocks) {
    const rows: Row[] = [];
    feed(block.lines, block.firstLine, rows, false);
    lastLine = block.firstLine + block.lines.length;
    yield rows;
  }
  const rows: Row[] = [];
  feed([], lastLine, rows, true);
  if (rows.length > 0) yield rows;
}
