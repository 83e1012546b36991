// User data (device names, URLs, accounts, comments, error text) goes into cards as literal text. Hosts render
// TextBlock and FactSet text as markdown (Teams' subset; the Agents Playground runs a CommonMark renderer that
// allows links, images, emphasis and lists), so a device named `[x](https://evil)` or `![](https://tracker)`
// would become a link or an image. Every ASCII punctuation character with a markdown meaning is therefore
// backslash-escaped where it could mean markup, which CommonMark renders as the character itself (current Teams
// clients, desktop and mobile, do too). Choice titles, labels and button titles are plain text: nothing there.
import type { Markdown } from './types.js';

// Characters that open emphasis, code, links and images, HTML and autolinks, strikethrough, entities, escapes.
// `_` between two letters or digits never delimits emphasis (svc_backup, system_parents), so it stays bare.
const SPECIALS = /[\\`*[\]<>~&]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// Line-start markers (`>` is escaped everywhere): a heading or list item marker followed by a space or the end,
// and a setext underline.
const MARKER = /^(\s*)(#{1,6}|[+-]|\d{1,9}(?=[.)]))(?=[.)]?(\s|$))/;
const SETEXT = /^(\s*)([=-]+\s*)$/;
// C0/C1 controls other than tab/newline, bidi overrides and zero-width characters: they reorder or hide text.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function escapeLine(line: string): string {
  return line
    .replace(SPECIALS, '\\$&')
    .replace(SETEXT, '$1\\$2')
    .replace(MARKER, (_m, ws: string, mark: string) => (/^\d/.test(mark) ? `${ws}${mark}\\` : `${ws}\\${mark}`));
}

/** One value on one line: whitespace (newlines included) collapses to single spaces. */
export function escapeInline(value: string): Markdown {
  return escapeLine(value.replace(INVISIBLE, '').replace(/\s+/g, ' ')) as Markdown;
}

/** Multi-line text (a comment, an error): each non-empty line becomes its own paragraph. */
export function escapeBlock(value: string): Markdown {
  return value
    .replace(INVISIBLE, '')
    .split(/\r\n|\r|\n/)
    .map((l) => escapeLine(l.trim()))
    .filter((l) => l !== '')
    .join('\n\n') as Markdown;
}

/**
 * A template whose literal parts are markdown we wrote and whose interpolations are data, escaped inline:
 * md`**${device}** contacted ${url}`.
 */
export function md(strings: TemplateStringsArray, ...values: readonly (string | number)[]): Markdown {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (typeof v === 'number' ? String(v) : escapeInline(v)) + (strings[i + 1] ?? '');
  });
  return out as Markdown;
}

/**
 * At most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. Everything is clipped
 * before it is escaped, so a card's size has a bound whatever the data.
 */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** "a, b, c (+4 more)": the first `max` values, each clipped, and how many were left out. */
export function listShort(values: readonly string[], max: number, each: number): string {
  if (values.length === 0) return '—';
  const head = values.slice(0, max).map((v) => clip(v, each)).join(', ');
  return values.length > max ? `${head} (+${values.length - max} more)` : head;
}

/**
 * A fenced code block of `content`, for message text (Teams and the playground render fences in messages, not
 * in cards). Inside a fence nothing is markup, and the only way out is a fence line of as many backticks: so
 * the fence is longer than any run of backticks the content holds (CommonMark §4.5), whatever a value says.
 */
export function codeBlock(content: string, lang = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content.replace(/\n$/, '')}\n${fence}`;
}
