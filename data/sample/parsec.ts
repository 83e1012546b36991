// Parsec traffic: routine use on the machines whose users run it, peer-to-peer streams by bare IP, and the
// lookalikes on either side of the rule's line: variants it must still match (case, subdomains, company
// spelling) and near misses it must not (term boundaries, other vendors, "Parsecure").
import type { Account, Device } from './fleet.js';
import type { SampleEvent } from './model.js';
import { ipv6For } from './net.js';
import { makeEvent, type Context, type Process, type Remote } from './traffic.js';

/** The rule's domains, as its query lists them. */
export const RULE_DOMAINS = [
  'kessel-ws.parsec.app',
  'kessel-api.parsec.app',
  'builds.parsec.app',
  'builds.parsecgaming.com',
  'public.parsec.app',
  'parsecusercontent.com',
  'stun.parsec.app',
  'stun6.parsec.app',
] as const;

export const PARSEC_COMPANY = 'Parsec Cloud, Inc.';

const PF_PARSEC = 'C:\\Program Files\\Parsec';

export const PARSECD: Process = {
  file: 'parsecd.exe', path: `${PF_PARSEC}\\parsecd.exe`, company: PARSEC_COMPANY, parent: 'pservice.exe', cmd: '{path} app_daemon=1',
};
export const PARSECD_USER: Process = {
  file: 'parsecd.exe', path: 'C:\\Users\\{user}\\AppData\\Roaming\\Parsec\\parsecd.exe', company: PARSEC_COMPANY, parent: 'explorer.exe', cmd: '{path}',
};
export const PSERVICE: Process = {
  file: 'pservice.exe', path: `${PF_PARSEC}\\pservice.exe`, company: PARSEC_COMPANY, parent: 'services.exe', cmd: '{path}',
};

export type Time = { ms: number; sub: number };

/** Port and protocol as Parsec uses them: STUN over UDP 3478, everything else HTTPS/WSS. */
export function parsecRemote(ctx: Context, url: string, ip?: string): Remote {
  const host = url.toLowerCase();
  const stun = /(^|\.)stun6?\.parsec\.app/.test(host);
  const v6 = /(^|\.)stun6\.parsec\.app/.test(host);
  return {
    url,
    ip: ip ?? (v6 ? ipv6For(ctx.rng) : ctx.addresses.forDomain(ctx.rng, host)),
    port: stun ? 3478 : 443,
    protocol: stun ? 'Udp' : 'Tcp',
    action: stun && ctx.rng.chance(0.3) ? 'ConnectionAttempt' : 'ConnectionSuccess',
  };
}

// Signalling and STUN dominate; downloads of builds are rare.
const DOMAIN_WEIGHTS = [
  [30, 'kessel-ws.parsec.app'], [15, 'kessel-api.parsec.app'], [3, 'builds.parsec.app'], [1, 'builds.parsecgaming.com'],
  [4, 'public.parsec.app'], [3, 'parsecusercontent.com'], [20, 'stun.parsec.app'], [6, 'stun6.parsec.app'],
] as const;

export function parsecRoutine(ctx: Context, time: Time): SampleEvent {
  const { rng } = ctx;
  const device = rng.pick(ctx.fleet.parsecUsers);
  const proc = rng.chance(0.7) ? PARSECD : PARSECD_USER;
  return makeEvent(ctx, device, device.user, time, proc, parsecRemote(ctx, rng.weighted(DOMAIN_WEIGHTS)));
}

/** The host-to-client stream itself goes peer to peer, by IP: no RemoteUrl, so the rule never sees it. */
export function parsecPeer(ctx: Context, time: Time): SampleEvent {
  const { rng } = ctx;
  const device = rng.pick(ctx.fleet.parsecUsers);
  return makeEvent(ctx, device, device.user, time, PARSECD, {
    url: '', ip: ctx.addresses.anyPublic(rng), port: rng.range(8000, 8010), protocol: 'Udp', action: 'ConnectionSuccess',
  });
}

export interface Lookalike {
  readonly note: string;
  readonly url: string;
  readonly proc: Process;
}

const withCompany = (company: string): Process => ({ ...PARSECD_USER, company });

/** Still findings: `has` is case-insensitive and term-based, so these all match. */
export const VARIANTS: readonly Lookalike[] = [
  { note: 'upper-case domain', url: 'KESSEL-WS.PARSEC.APP', proc: PARSECD_USER },
  { note: 'regional subdomain', url: 'eu.kessel-ws.parsec.app', proc: PARSECD_USER },
  { note: 'mixed-case STUN host', url: 'Stun.Parsec.App', proc: PARSECD_USER },
  { note: 'fully qualified name with trailing dot', url: 'kessel-api.parsec.app.', proc: PARSECD_USER },
  { note: 'URL with scheme and path', url: 'https://builds.parsec.app/package/parsec-windows.exe', proc: PARSECD_USER },
  { note: 'upper-case company', url: 'kessel-ws.parsec.app', proc: withCompany('PARSEC CLOUD, INC.') },
  { note: 'company without comma', url: 'kessel-api.parsec.app', proc: withCompany('Parsec Cloud Inc') },
  { note: 'bare lower-case company', url: 'stun.parsec.app', proc: withCompany('parsec') },
  { note: 'hyphenated company', url: 'public.parsec.app', proc: withCompany('Parsec-Cloud') },
];

const CHROME: Process = {
  file: 'chrome.exe', path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', company: 'Google LLC', parent: 'explorer.exe',
  cmd: '{path} --type=utility --utility-sub-type=network.mojom.NetworkService',
};
const EDGE: Process = {
  file: 'msedge.exe', path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', company: 'Microsoft Corporation',
  parent: 'explorer.exe', cmd: '{path}',
};

/** Not findings: each misses a term boundary, the domain list, or the company. */
export const NEAR_MISSES: readonly Lookalike[] = [
  { note: 'xparsec.app: "parsec" is not a whole term', url: 'xparsec.app', proc: PARSECD_USER },
  { note: 'stun.parsec.apps: "apps" is not "app"', url: 'stun.parsec.apps', proc: PARSECD_USER },
  { note: 'the parsec.app website is not a listed domain', url: 'parsec.app', proc: PARSECD_USER },
  { note: 'builds-parsec.app is not builds.parsec.app', url: 'builds-parsec.app', proc: PARSECD_USER },
  { note: 'parsecgaming.com without builds.', url: 'parsecgaming.com', proc: PARSECD_USER },
  { note: 'stun7 is neither stun nor stun6', url: 'stun7.parsec.app', proc: PARSECD_USER },
  { note: 'a browser (Google LLC) opening public.parsec.app', url: 'public.parsec.app', proc: CHROME },
  { note: 'Edge (Microsoft) calling kessel-api.parsec.app', url: 'kessel-api.parsec.app', proc: EDGE },
  { note: 'company "Parsecure Ltd": "parsecure" is not "parsec"', url: 'kessel-ws.parsec.app',
    proc: { file: 'psecure.exe', path: 'C:\\Program Files\\Parsecure\\psecure.exe', company: 'Parsecure Ltd', parent: 'services.exe', cmd: '{path} --sync' } },
  { note: 'company "ParsecCloud Inc.": one term, not "parsec"', url: 'stun.parsec.app', proc: withCompany('ParsecCloud Inc.') },
  { note: 'unsigned parsecd.exe with no company', url: 'builds.parsec.app', proc: withCompany('') },
];

export function lookalikeEvent(ctx: Context, time: Time, l: Lookalike): SampleEvent {
  const device = l.proc.company === PARSEC_COMPANY || l.proc.file === 'parsecd.exe'
    ? ctx.rng.pick(ctx.fleet.parsecUsers)
    : ctx.rng.pick(ctx.fleet.workstations);
  return makeEvent(ctx, device, device.user, time, l.proc, parsecRemote(ctx, l.url));
}

export interface Suspicious {
  readonly note: string;
  readonly url: string;
  readonly proc: Process;
  /** Which compromised machine, and as whom. */
  readonly where: (ctx: Context) => { device: Device; account: Account };
}

const onKiosk = (ctx: Context) => ({ device: ctx.fleet.compromised[2], account: ctx.fleet.oddAccounts[2] });
const onSql = (ctx: Context) => ({ device: ctx.fleet.compromised[1], account: ctx.fleet.oddAccounts[0] });
const onDc = (ctx: Context) => ({ device: ctx.fleet.compromised[0], account: ctx.fleet.oddAccounts[1] });
const onUserBox = (ctx: Context) => {
  const device = ctx.fleet.workstations[3];
  return { device, account: device.user };
};

/** Findings that should not be excluded: Parsec dropped and started the way intruders do. */
export const MALICIOUS: readonly Suspicious[] = [
  { note: 'parsecd.exe run by powershell.exe from the user temp folder', url: 'kessel-ws.parsec.app', where: onUserBox,
    proc: { file: 'parsecd.exe', path: 'C:\\Users\\{user}\\AppData\\Local\\Temp\\parsecd.exe', company: PARSEC_COMPANY, parent: 'powershell.exe', cmd: '{path} app_silent=1' } },
  { note: 'parsecd.exe run by cmd.exe on the SQL server as a service account', url: 'kessel-api.parsec.app', where: onSql,
    proc: { file: 'parsecd.exe', path: 'C:\\Windows\\Temp\\parsecd.exe', company: PARSEC_COMPANY, parent: 'cmd.exe', cmd: '{path}' } },
  { note: 'parsecd.exe run by rundll32.exe from ProgramData as guest', url: 'stun.parsec.app', where: onKiosk,
    proc: { file: 'parsecd.exe', path: 'C:\\ProgramData\\Microsoft\\Crypto\\parsecd.exe', company: PARSEC_COMPANY, parent: 'rundll32.exe', cmd: '{path}' } },
  { note: 'the Parsec installer on the domain controller', url: 'builds.parsec.app', where: onDc,
    proc: { file: 'parsec-windows.exe', path: 'C:\\Users\\{user}\\Downloads\\parsec-windows.exe', company: PARSEC_COMPANY, parent: 'cmd.exe', cmd: '{path} /silent /shared' } },
  { note: 'Parsec renamed to svchost.exe in the temp folder', url: 'kessel-ws.parsec.app', where: onUserBox,
    proc: { file: 'svchost.exe', path: 'C:\\Users\\{user}\\AppData\\Local\\Temp\\svchost.exe', company: PARSEC_COMPANY, parent: 'powershell.exe', cmd: '{path} -k' } },
  { note: 'lookalike host that still matches: kessel-ws.parsec.app.cdn-edge.example', url: 'kessel-ws.parsec.app.cdn-edge.example', where: onKiosk,
    proc: { file: 'parsecd.exe', path: 'C:\\Users\\{user}\\AppData\\Local\\Temp\\parsecd.exe', company: PARSEC_COMPANY, parent: 'cmd.exe', cmd: '{path}' } },
];

export function suspiciousEvent(ctx: Context, time: Time, s: Suspicious): SampleEvent {
  const { device, account } = s.where(ctx);
  return makeEvent(ctx, device, account, time, s.proc, parsecRemote(ctx, s.url));
}
