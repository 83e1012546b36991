// Addresses for the sample: stable per-domain server addresses, public-looking peers, hosts inside the
// configured VPN/RDP subnets, and the checks that keep random addresses out of those subnets (a random hit
// there would turn ordinary traffic into scenario 5 by accident).
import { hash32, type Rng } from './prng.js';

export interface Cidr {
  readonly text: string;
  readonly base: number;
  readonly bits: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** An IPv4 CIDR range, or a single address as its /32. */
export function parseCidr(text: string): Cidr | null {
  const m = CIDR_RE.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return null;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { text: text.trim(), base: (base & mask) >>> 0, bits };
}

function toText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function toNumber(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function inCidr(ip: string, c: Cidr): boolean {
  if (c.bits === 0) return true;
  const mask = (~0 << (32 - c.bits)) >>> 0;
  return ((toNumber(ip) & mask) >>> 0) === c.base;
}

/** A host address inside the subnet (never its network or broadcast address when it has room). */
export function hostIn(rng: Rng, c: Cidr): string {
  const size = 2 ** (32 - c.bits);
  const offset = size > 2 ? 1 + rng.int(size - 2) : 0;
  return toText((c.base + offset) >>> 0);
}

// First octets of large public allocations (cloud and CDN space), so addresses look routable.
const PUBLIC_FIRST = [13, 20, 23, 34, 35, 40, 52, 54, 104, 142, 151, 157, 162, 185, 199, 204];

function publicFrom(n: number): string {
  const first = PUBLIC_FIRST[n % PUBLIC_FIRST.length];
  return `${first}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${((n >>> 24) & 253) + 1}`;
}

export class AddressBook {
  private readonly byDomain = new Map<string, string[]>();

  constructor(private readonly reserved: readonly Cidr[]) {}

  private clear(ip: string): boolean {
    return !this.reserved.some((c) => inCidr(ip, c));
  }

  /** One of a domain's few stable addresses. */
  forDomain(rng: Rng, domain: string): string {
    const key = domain.toLowerCase();
    let pool = this.byDomain.get(key);
    if (!pool) {
      pool = [];
      for (let salt = 0; pool.length < 3; salt++) {
        const ip = publicFrom(hash32(`${key}#${salt}`));
        if (this.clear(ip)) pool.push(ip);
      }
      this.byDomain.set(key, pool);
    }
    return rng.pick(pool);
  }

  /** A public-looking address with no name: a peer, a CDN node. */
  anyPublic(rng: Rng): string {
    for (;;) {
      const ip = publicFrom((rng.int(0x10000) << 16) | rng.int(0x10000));
      if (this.clear(ip)) return ip;
    }
  }
}

/** An address from the IPv6 documentation prefix (2001:db8::/32), for stun6. */
export function ipv6For(rng: Rng): string {
  return `2001:db8:${rng.hex(4).replace(/^0+(?=.)/, '')}::${rng.hex(3).replace(/^0+(?=.)/, '')}`;
}
