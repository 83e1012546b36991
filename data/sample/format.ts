// Writes events as JSON Lines (one object per line, columns in schema order, empty values left out) or as
// CSV shaped like a Defender advanced-hunting export (header row, RFC 4180 quoting, CRLF). Timestamps carry
// seven fractional digits, as Defender writes them.
import { SAMPLE_COLUMNS, type EventColumn, type SampleEvent } from './model.js';

export type SampleFormat = 'jsonl' | 'csv';

export function formatTimestamp(ms: number, sub: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}${String(sub).padStart(4, '0')}Z`;
}

function valueOf(e: SampleEvent, column: string): string | number | null {
  if (column === 'Timestamp') return formatTimestamp(e.ms, e.sub);
  return e[column as EventColumn];
}

const FIELDS = SAMPLE_COLUMNS.filter((c) => c !== 'Timestamp') as EventColumn[];
const KEYS = FIELDS.map((c) => `,"${c}":`);

export function jsonLine(e: SampleEvent): string {
  let out = `{"Timestamp":"${formatTimestamp(e.ms, e.sub)}"`;
  for (let i = 0; i < FIELDS.length; i++) {
    const v = e[FIELDS[i]];
    if (v === '' || v === null) continue;
    out += KEYS[i] + (typeof v === 'number' ? String(v) : JSON.stringify(v));
  }
  return `${out}}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${SAMPLE_COLUMNS.join(',')}\r\n`;
}

export function csvLine(e: SampleEvent): string {
  return `${SAMPLE_COLUMNS.map((c) => csvField(valueOf(e, c))).join(',')}\r\n`;
}
