// The VPN and RDP subnets that scenario 5 names. They are configuration (data/lists/*.yaml, owned by the
// lists), so the generator reads them from there and places scenario-5 traffic inside them; without those
// files it falls back to example ranges and says so.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { parseCidr, type Cidr } from './net.js';

export interface SubnetLists {
  readonly vpn: readonly Cidr[];
  readonly rdp: readonly Cidr[];
  /** Where they came from: the files read, and any list that fell back to the built-in example. */
  readonly origin: string;
}

export const FALLBACK_VPN = ['10.8.0.0/16'];
export const FALLBACK_RDP = ['10.9.0.0/16'];

const LIST_NAMES = { vpn: 'known_vpn_subnet', rdp: 'known_rdp_subnet' } as const;

function cidrsIn(node: unknown, out: Cidr[]): void {
  if (typeof node === 'string') {
    const c = parseCidr(node);
    if (c) out.push(c);
  } else if (Array.isArray(node)) {
    for (const item of node) cidrsIn(item, out);
  } else if (node && typeof node === 'object') {
    for (const value of Object.values(node)) cidrsIn(value, out);
  }
}

// The list files' exact layout belongs to their owner; accept the list either as a key (`known_vpn_subnet:
// [...]`) or as an entry that names itself (`name: known_vpn_subnet`), and take every CIDR beneath it.
function findList(node: unknown, listName: string, out: Cidr[]): void {
  if (Array.isArray(node)) {
    for (const item of node) findList(item, listName, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const named = ['name', 'id', 'alias', 'list'].some((k) => obj[k] === listName);
  if (named) {
    cidrsIn(obj, out);
    return;
  }
  for (const [key, value] of Object.entries(obj)) {
    if (key === listName) cidrsIn(value, out);
    else findList(value, listName, out);
  }
}

export function loadSubnetLists(dir: string): SubnetLists {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort();
  } catch {
    files = [];
  }
  const vpn: Cidr[] = [];
  const rdp: Cidr[] = [];
  const used: string[] = [];
  for (const f of files) {
    const path = join(dir, f);
    let doc: unknown;
    try {
      doc = parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`sample: ${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const before = vpn.length + rdp.length;
    findList(doc, LIST_NAMES.vpn, vpn);
    findList(doc, LIST_NAMES.rdp, rdp);
    if (vpn.length + rdp.length > before) used.push(relative(process.cwd(), path) || path);
  }
  const fallback = (texts: string[]) => texts.map((t) => parseCidr(t) as Cidr);
  const missing = [vpn.length === 0 ? LIST_NAMES.vpn : '', rdp.length === 0 ? LIST_NAMES.rdp : ''].filter(Boolean);
  const origin = [used.join(', '), missing.length > 0 ? `built-in fallback for ${missing.join(' and ')}` : '']
    .filter(Boolean)
    .join('; ');
  return {
    vpn: vpn.length > 0 ? vpn : fallback(FALLBACK_VPN),
    rdp: rdp.length > 0 ? rdp : fallback(FALLBACK_RDP),
    origin,
  };
}
