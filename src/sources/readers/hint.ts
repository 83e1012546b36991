// What a scan may skip. An engine that knows its query can say which columns it reads and which text every
// row it keeps must contain (a `has 'parsec'` filter needs "parsec" somewhere in the line); the reader then
// types only those columns and leaves lines without the text unparsed. Both are safe over-approximations:
// a row the query would keep is never skipped.

import type { ScanHint } from '../../kql/table.js';

// The engine's contract; defined with TableSource so the engine and every reader agree on one type.
export type { ScanHint };

export type RawFilter = (raw: string) => boolean;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A test on a raw line or record: false only when the row cannot be of interest. `escapes` is a substring
 * that means the raw text may spell letters indirectly (JSON's \u escapes), in which case the line is kept.
 */
export function rawFilter(hint: ScanHint | undefined, escapes?: string): RawFilter | undefined {
  const pieces = (hint?.requiredText ?? []).filter((t) => t.length > 0);
  if (pieces.length === 0) return undefined;
  const res = pieces.map((t) => new RegExp(escapeRegExp(t), 'i'));
  return (raw) => {
    for (const re of res) if (!re.test(raw)) return escapes !== undefined && raw.includes(escapes);
    return true;
  };
}

/** Whether column `name` is typed under `hint`. */
export function columnWanted(hint: ScanHint | undefined): (name: string) => boolean {
  if (!hint?.columns) return () => true;
  const wanted = new Set(hint.columns);
  return (name) => wanted.has(name);
}
