// String matching without per-row allocation: case folding per UTF-16 code unit, and Kusto's term-based
// `has` family. A term is a maximal run of ASCII letters and digits; `has "parsec.app"` matches where the
// needle occurs and, on each side where the needle's edge is alphanumeric, the haystack's neighbour is not.

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

let wideFold: Uint16Array | undefined;

/** Lowercases one code unit. ASCII inline; other code units through a table built on first need. */
export function foldCode(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (!wideFold) {
    wideFold = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) {
      const l = String.fromCharCode(i).toLowerCase();
      wideFold[i] = l.length === 1 ? l.charCodeAt(0) : i;
    }
  }
  return wideFold[c]!;
}

/** Folds every code unit; returns `s` itself (no allocation) when nothing needs folding. */
export function foldString(s: string): string {
  let changed = false;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) break;
    if (c >= 65 && c <= 90) changed = true;
  }
  if (i === s.length) return changed ? s.toLowerCase() : s;
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(foldCode(s.charCodeAt(i)));
  return out;
}

/** Does `h` hold `needle` (already folded when !cs) at offset q? */
function matchAt(h: string, q: number, needle: string, cs: boolean): boolean {
  const len = needle.length;
  if (q < 0 || q + len > h.length) return false;
  if (cs) return h.startsWith(needle, q);
  for (let i = 0; i < len; i++) {
    const c = h.charCodeAt(q + i);
    const f = c < 128 ? (c >= 65 && c <= 90 ? c + 32 : c) : foldCode(c);
    if (f !== needle.charCodeAt(i)) return false;
  }
  return true;
}

export function indexOfFold(h: string, needle: string, cs: boolean, from = 0): number {
  if (cs) return h.indexOf(needle, from);
  const last = h.length - needle.length;
  if (needle.length === 0) return from <= h.length ? from : -1;
  const first = needle.charCodeAt(0);
  for (let q = from; q <= last; q++) {
    const c = h.charCodeAt(q);
    const f = c < 128 ? (c >= 65 && c <= 90 ? c + 32 : c) : foldCode(c);
    if (f === first && matchAt(h, q, needle, false)) return q;
  }
  return -1;
}

export type StringMatcher = (h: string) => boolean;

export function equalsMatcher(needle: string, cs: boolean): StringMatcher {
  if (cs) return (h) => h === needle;
  const n = foldString(needle);
  return (h) => h.length === n.length && matchAt(h, 0, n, false);
}

export function containsMatcher(needle: string, cs: boolean): StringMatcher {
  const n = cs ? needle : foldString(needle);
  return (h) => indexOfFold(h, n, cs) >= 0;
}

export function startsWithMatcher(needle: string, cs: boolean): StringMatcher {
  const n = cs ? needle : foldString(needle);
  return (h) => matchAt(h, 0, n, cs);
}

export function endsWithMatcher(needle: string, cs: boolean): StringMatcher {
  const n = cs ? needle : foldString(needle);
  return (h) => matchAt(h, h.length - n.length, n, cs);
}

interface Needle {
  text: string;
  /** Offset of the needle's first alphanumeric character. */
  lead: number;
  /** Length of the needle's first term. */
  firstLen: number;
  rightAlnum: boolean;
}

function prepare(raw: string, cs: boolean): Needle | null {
  const text = cs ? raw : foldString(raw);
  let lead = 0;
  while (lead < text.length && !isAlnum(text.charCodeAt(lead))) lead++;
  if (lead === text.length) return null;
  let e = lead;
  while (e < text.length && isAlnum(text.charCodeAt(e))) e++;
  return { text, lead, firstLen: e - lead, rightAlnum: isAlnum(text.charCodeAt(text.length - 1)) };
}

function termHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + (s.charCodeAt(i) | 32)) | 0;
  return h;
}

/**
 * `has_any` over any number of needles (`has` is the one-needle case). In any match, the needle's first term
 * lines up with a whole haystack term, so one pass over the haystack's terms, looking each up by hash, finds
 * every candidate; a candidate is then checked character by character, with the right-edge rule.
 */
export function hasAnyMatcher(needles: readonly string[], cs: boolean): StringMatcher {
  const byHash = new Map<number, Needle[]>();
  const punctOnly: string[] = [];
  for (const raw of needles) {
    if (raw.length === 0) continue; // no term is empty: an empty needle never matches
    const n = prepare(raw, cs);
    if (!n) {
      punctOnly.push(cs ? raw : foldString(raw));
      continue;
    }
    // Case-sensitive needles hash folded too; the character check enforces case.
    const key = termHash(n.text, n.lead, n.lead + n.firstLen);
    const list = byHash.get(key);
    if (list) list.push(n);
    else byHash.set(key, [n]);
  }
  if (byHash.size === 0 && punctOnly.length === 0) return () => false;
  return (h) => {
    const len = h.length;
    let i = 0;
    while (i < len) {
      let c = h.charCodeAt(i);
      if (!isAlnum(c)) {
        i++;
        continue;
      }
      const p = i;
      let hash = 0;
      do {
        hash = (Math.imul(hash, 31) + (c | 32)) | 0;
        i++;
      } while (i < len && isAlnum((c = h.charCodeAt(i))));
      const cands = byHash.get(hash);
      if (cands !== undefined) {
        for (const n of cands) {
          if (n.firstLen !== i - p) continue;
          const q = p - n.lead;
          if (!matchAt(h, q, n.text, cs)) continue;
          const after = q + n.text.length;
          if (!n.rightAlnum || after === len || !isAlnum(h.charCodeAt(after))) return true;
        }
      }
    }
    for (const n of punctOnly) if (indexOfFold(h, n, cs) >= 0) return true;
    return false;
  };
}

export function hasAllMatcher(needles: readonly string[], cs: boolean): StringMatcher {
  const ms = needles.map((n) => hasAnyMatcher([n], cs));
  return (h) => {
    for (const m of ms) if (!m(h)) return false;
    return true;
  };
}

/** `hasprefix`: the needle starts at a term start (when its first character is alphanumeric). */
export function hasPrefixMatcher(needle: string, cs: boolean): StringMatcher {
  const n = prepare(needle, cs);
  if (!n) return needle.length ? containsMatcher(needle, cs) : () => false;
  return (h) => {
    const len = h.length;
    let prev = false;
    for (let p = 0; p < len; p++) {
      const a = isAlnum(h.charCodeAt(p));
      if (a && !prev && matchAt(h, p - n.lead, n.text, cs)) return true;
      prev = a;
    }
    return false;
  };
}

/** `hassuffix`: the needle ends at a term end (when its last character is alphanumeric). */
export function hasSuffixMatcher(needle: string, cs: boolean): StringMatcher {
  const n = cs ? needle : foldString(needle);
  if (n.length === 0) return () => false;
  const rightAlnum = isAlnum(n.charCodeAt(n.length - 1));
  return (h) => {
    for (let q = indexOfFold(h, n, cs); q >= 0; q = indexOfFold(h, n, cs, q + 1)) {
      const after = q + n.length;
      if (!rightAlnum || after === h.length || !isAlnum(h.charCodeAt(after))) return true;
    }
    return false;
  };
}
