// IPv4 parsing and range tests for ipv4_is_in_range, ipv4_is_in_any_range, ipv4_is_private, parse_ipv4.

/** Dotted quad → unsigned 32-bit number, or null when it is not one. */
export function parseIPv4(s: string): number | null {
  let value = 0;
  let part = -1;
  let parts = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits === 3) return null;
      part = (part < 0 ? 0 : part) * 10 + (c - 48);
      digits++;
    } else if (c === 46) {
      if (part < 0 || part > 255) return null;
      value = value * 256 + part;
      parts++;
      part = -1;
      digits = 0;
    } else {
      return null;
    }
  }
  return parts === 4 ? value : null;
}

export interface IPv4Range {
  readonly base: number;
  readonly mask: number;
}

/** `a.b.c.d` or `a.b.c.d/n` → the range; null when malformed. */
export function parseIPv4Range(s: string): IPv4Range | null {
  const slash = s.indexOf('/');
  const addr = parseIPv4(slash < 0 ? s.trim() : s.slice(0, slash).trim());
  if (addr === null) return null;
  let bits = 32;
  if (slash >= 0) {
    const b = s.slice(slash + 1).trim();
    if (!/^\d{1,2}$/.test(b) || Number(b) > 32) return null;
    bits = Number(b);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (addr & mask) >>> 0, mask };
}

export function inRange(ip: number, r: IPv4Range): boolean {
  return ((ip & r.mask) >>> 0) === r.base;
}

/** The address part of an `ip` argument (a bare address, or one written with a /prefix). */
export function parseIPv4Arg(s: string): number | null {
  const slash = s.indexOf('/');
  return parseIPv4(slash < 0 ? s : s.slice(0, slash));
}

export const PRIVATE_RANGES: readonly IPv4Range[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (r) => parseIPv4Range(r)!,
);
