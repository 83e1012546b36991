// Wording shared by the cards: times, Sentinel's taxonomy in words, shortened id lists.
import { clip } from './markdown.js';

/** "2026-11-30T01:02:03.1234567Z" → "2026-11-30 01:02:03.123 UTC"; anything else is shown as given (clipped). */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}${m[3] ?? ''} UTC` : clip(iso, 40);
}

/** "BenignPositive" → "Benign Positive", "IncorrectAlertLogic" → "Incorrect Alert Logic". */
export function words(pascal: string): string {
  return pascal.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** "88885, 89201, 89202, 89300, 89301 (+5 more)": the first five report ids, and how many more. */
export function shortIds(ids: readonly (string | number)[], shown = 5): string {
  if (ids.length === 0) return '—';
  const head = ids.slice(0, shown).join(', ');
  return ids.length > shown ? `${head} (+${ids.length - shown} more)` : head;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2026-11-30 01:02" for one-line labels. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : clip(iso, 20);
}
