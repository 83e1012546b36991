// The hunt's time window, read off the rule's own `Timestamp between (A .. B)` by evaluating A and B (with
// the rule's `let` statements) on the local engine, so runs record exactly the window the query states.
import { runKql, tokenize } from '../kql/index.js';
import { KDateTime, KTimespan, addTimespan } from '../kql/values.js';
import type { QueryAnchors } from './buildQuery.js';

export interface HuntWindow {
  readonly start: KDateTime;
  readonly end: KDateTime;
}

/** The rule's top-level `let …;` statements, verbatim. */
function letStatements(text: string): string {
  const { tokens } = tokenize(text);
  const out: string[] = [];
  let depth = 0;
  let letStart = -1;
  for (const t of tokens) {
    if (t.kind === 'punct' && ['(', '[', '{'].includes(t.text)) depth++;
    else if (t.kind === 'punct' && [')', ']', '}'].includes(t.text)) depth--;
    else if (depth === 0 && letStart < 0 && (t.kind === 'keyword' || t.kind === 'identifier') && t.text === 'let') letStart = t.start;
    else if (depth === 0 && letStart >= 0 && t.kind === 'punct' && t.text === ';') {
      out.push(text.slice(letStart, t.end));
      letStart = -1;
    }
  }
  return out.join('\n');
}

export async function huntWindow(text: string, anchors: QueryAnchors, now: KDateTime): Promise<HuntWindow | undefined> {
  if (!anchors.windowBounds) return undefined;
  const lo = text.slice(...anchors.windowBounds.lo);
  const hi = text.slice(...anchors.windowBounds.hi);
  const probe = `${letStatements(text)}\nprint lo=(${lo}), hi=(${hi})`;
  const res = await runKql(probe, { tables: {}, now });
  const [start, end] = res.rows[0] ?? [];
  if (!(start instanceof KDateTime)) return undefined;
  if (end instanceof KDateTime) return { start, end };
  if (end instanceof KTimespan) return { start, end: addTimespan(start, end) };
  return undefined;
}
