// The made-up estate the sample describes: Contoso's workstations and servers, their users, and the few
// machines and accounts the scenarios and the suspicious cases need. Its size grows with the row count, so a
// 1M-row sample spreads over thousands of devices rather than piling onto forty.
import { Rng } from './prng.js';

export interface Account {
  readonly name: string;
  readonly domain: string;
  readonly upn: string;
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly kind: 'workstation' | 'server';
  readonly localIp: string;
  /** The person who uses it (servers: an admin). */
  readonly user: Account;
  /** MDE numbers a device's reports with its own counter, so ReportIds repeat across devices. */
  nextReportId: number;
}

export interface Fleet {
  readonly workstations: readonly Device[];
  readonly servers: readonly Device[];
  /** Workstations whose users run Parsec day to day. */
  readonly parsecUsers: readonly Device[];
  /** Servers that admins reach through Parsec (scenario 1). */
  readonly adminServers: readonly Device[];
  /** The security and network teams' machines (scenario 3). */
  readonly secops: readonly Device[];
  /** Machines with no business running Parsec, where it shows up anyway. */
  readonly compromised: readonly Device[];
  /** One machine reported under two names (renamed mid-window). */
  readonly renamed: { readonly device: Device; readonly otherName: string };
  readonly admins: readonly Account[];
  readonly itAccounts: readonly Account[];
  readonly oddAccounts: readonly Account[];
}

export const DOMAIN = 'corp.contoso.com';
export const SYSTEM: Account = { name: 'system', domain: 'nt authority', upn: '' };
export const NETWORK_SERVICE: Account = { name: 'network service', domain: 'nt authority', upn: '' };
export const LOCAL_SERVICE: Account = { name: 'local service', domain: 'nt authority', upn: '' };

const FIRST = ['alex', 'maria', 'john', 'li', 'fatima', 'noah', 'olga', 'ravi', 'sara', 'tom', 'yuki', 'omar',
  'emma', 'lucas', 'nina', 'ivan', 'chloe', 'diego', 'hana', 'kofi', 'lena', 'marco', 'priya', 'sven'];
const LAST = ['smith', 'garcia', 'chen', 'khan', 'novak', 'muller', 'silva', 'tanaka', 'okafor', 'rossi',
  'larsen', 'dubois', 'kowalski', 'haddad', 'petrov', 'nguyen', 'brown', 'lopez', 'sato', 'weber'];
const SERVER_ROLES = ['app', 'web', 'file', 'rds', 'print', 'build', 'jump', 'mgmt'];

function account(name: string): Account {
  return { name, domain: 'contoso', upn: `${name}@contoso.com` };
}

function makeUsers(rng: Rng, count: number): Account[] {
  const seen = new Set<string>();
  const users: Account[] = [];
  while (users.length < count) {
    let name = `${rng.pick(FIRST)[0]}${rng.pick(LAST)}`;
    if (seen.has(name)) name = `${name}${users.length}`;
    seen.add(name);
    users.push(account(name));
  }
  return users;
}

function device(rng: Rng, name: string, kind: Device['kind'], user: Account, index: number): Device {
  const net = kind === 'server' ? 10 : 20;
  return {
    id: rng.hex(40),
    name: `${name}.${DOMAIN}`,
    kind,
    localIp: `10.${net}.${(index >> 8) & 255}.${(index & 255) || 1}`,
    user,
    nextReportId: rng.range(1_000, 90_000),
  };
}

export function buildFleet(rng: Rng, rows: number): Fleet {
  const nWorkstations = Math.min(4000, Math.max(24, Math.round(rows / 80)));
  const nServers = Math.min(400, Math.max(8, Math.round(nWorkstations / 8)));
  const users = makeUsers(rng, nWorkstations);
  const admins = users.slice(0, Math.max(3, Math.round(nServers / 4))).map((u) => account(`adm-${u.name}`));

  const workstations = users.map((u, i) =>
    device(rng, `${i % 3 === 0 ? 'lt' : 'wks'}-${String(1001 + i)}`, 'workstation', u, i + 1),
  );
  const servers = Array.from({ length: nServers }, (_, i) => {
    const role = SERVER_ROLES[i % SERVER_ROLES.length];
    const num = String(Math.floor(i / SERVER_ROLES.length) + 1).padStart(2, '0');
    return device(rng, `srv-${role}-${num}`, 'server', admins[i % admins.length], i + 1);
  });
  // Servers that must never run Parsec on their own: a domain controller and a database server.
  const dc = device(rng, 'dc-01', 'server', admins[0], nServers + 1);
  const sql = device(rng, 'srv-sql-01', 'server', admins[0], nServers + 2);
  const secops = [
    device(rng, 'soc-01', 'workstation', account('ITSecurity'), nWorkstations + 1),
    device(rng, 'netops-01', 'workstation', account('NetworkOps'), nWorkstations + 2),
  ];
  const kiosk = device(rng, 'kiosk-03', 'workstation', account('guest'), nWorkstations + 3);

  const parsecUsers = workstations.filter((_, i) => i % 5 === 1);
  const adminServers = servers.filter((s) => /-(jump|rds|mgmt)-/.test(s.name));
  const renamedDevice = parsecUsers[0];
  return {
    workstations: [...workstations, ...secops, kiosk],
    servers: [...servers, dc, sql],
    parsecUsers,
    adminServers: adminServers.length > 0 ? adminServers : servers.slice(0, 1),
    secops,
    compromised: [dc, sql, kiosk],
    renamed: { device: renamedDevice, otherName: renamedDevice.name.replace(/^([a-z]+-\d+)\./, '$1-old.') },
    admins,
    itAccounts: [account('ITSecurity'), account('NetworkOps')],
    oddAccounts: [account('svc_sqlbackup'), { name: 'administrator', domain: 'dc-01', upn: '' }, account('guest'),
      { name: 'defaultuser0', domain: 'kiosk-03', upn: '' }],
  };
}

export function takeReportId(rng: Rng, d: Device): number {
  d.nextReportId += rng.range(1, 40);
  return d.nextReportId;
}
