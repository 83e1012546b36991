// CSV text per RFC 4180 (CRLF line ends; a field holding a quote, comma or line break is quoted, its quotes
// doubled), and the spreadsheet-formula guard for CSV that people open in Excel or Sheets.

function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `${r.map(field).join(',')}\r\n`).join('');
}

// A cell starting with one of these is read as a formula (or, for tab and CR, can turn into one once a
// spreadsheet trims it); fullwidth forms included, which some locales' Excel also accepts.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * For a human CSV only: a leading `'` makes a spreadsheet show the text instead of evaluating it. Data that a
 * machine compares (the watchlist CSV) must not get this, or its values would no longer equal the events'.
 */
export function neutralizeFormula(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}
