// Everyday traffic that has nothing to do with Parsec: browsers, Teams, Office, Windows Update, the Defender
// sensor, other remote tools, and servers answering inbound connections. It is most of every sample, as in a
// real estate, and it gives the rule's filters something to throw away.
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM, takeReportId, type Account, type Device, type Fleet } from './fleet.js';
import type { SampleEvent } from './model.js';
import type { AddressBook } from './net.js';
import type { Rng } from './prng.js';

export interface Context {
  readonly rng: Rng;
  readonly fleet: Fleet;
  readonly addresses: AddressBook;
}

export interface Process {
  readonly file: string;
  /** Full path; `{user}` stands for the account's profile folder name. */
  readonly path: string;
  readonly company: string;
  readonly parent: string;
  /** Command line; `{path}` is the quoted path. */
  readonly cmd: string;
}

export interface Remote {
  readonly url: string;
  readonly ip: string;
  readonly port: number | null;
  readonly protocol: string;
  readonly action: string;
  readonly localPort?: number | null;
}

/** Builds one event from its parts; every generator goes through here so rows share one shape. */
export function makeEvent(
  ctx: Context,
  device: Device,
  account: Account,
  time: { ms: number; sub: number },
  proc: Process,
  remote: Remote,
  deviceName: string = device.name,
): SampleEvent {
  const path = proc.path.replace('{user}', account.name);
  return {
    ms: time.ms,
    sub: time.sub,
    DeviceId: device.id,
    DeviceName: deviceName,
    ActionType: remote.action,
    RemoteIP: remote.ip,
    RemotePort: remote.port,
    RemoteUrl: remote.url,
    LocalIP: device.localIp,
    LocalPort: remote.localPort === undefined ? ctx.rng.range(49152, 65535) : remote.localPort,
    Protocol: remote.protocol,
    InitiatingProcessFileName: proc.file,
    InitiatingProcessVersionInfoCompanyName: proc.company,
    InitiatingProcessCommandLine: proc.cmd.replace('{path}', `"${path}"`),
    InitiatingProcessFolderPath: path,
    InitiatingProcessParentFileName: proc.parent,
    InitiatingProcessAccountDomain: account.domain,
    InitiatingProcessAccountName: account.name,
    InitiatingProcessAccountUpn: account.upn,
    ReportId: takeReportId(ctx.rng, device),
  };
}

type Runs = 'user' | 'system' | 'network service' | 'local service';

interface App extends Process {
  readonly urls: readonly string[];
  /** Share of its connections that go to a bare IP (no RemoteUrl), as many real ones do. */
  readonly bareIp: number;
  readonly port: number;
  readonly runs: Runs;
  readonly on: 'workstation' | 'server' | 'any';
  readonly weight: number;
}

const PF = 'C:\\Program Files';
const PF86 = 'C:\\Program Files (x86)';
const LOCALAPP = 'C:\\Users\\{user}\\AppData\\Local';
const MS = 'Microsoft Corporation';

const APPS: readonly App[] = [
  { file: 'chrome.exe', path: `${PF}\\Google\\Chrome\\Application\\chrome.exe`, company: 'Google LLC', parent: 'explorer.exe',
    cmd: '{path} --type=utility --utility-sub-type=network.mojom.NetworkService', runs: 'user', on: 'workstation', weight: 18, port: 443, bareIp: 0.1,
    urls: ['www.google.com', 'accounts.google.com', 'clients2.google.com', 'www.youtube.com', 'github.com', 'stackoverflow.com', 'www.wikipedia.org', 'fonts.gstatic.com', 'parsec.app'] },
  { file: 'msedge.exe', path: `${PF86}\\Microsoft\\Edge\\Application\\msedge.exe`, company: MS, parent: 'explorer.exe',
    cmd: '{path} --type=utility --utility-sub-type=network.mojom.NetworkService', runs: 'user', on: 'workstation', weight: 16, port: 443, bareIp: 0.1,
    urls: ['www.bing.com', 'login.microsoftonline.com', 'www.office.com', 'contoso.sharepoint.com', 'edge.microsoft.com', 'ntp.msn.com', 'learn.microsoft.com'] },
  { file: 'firefox.exe', path: `${PF}\\Mozilla Firefox\\firefox.exe`, company: 'Mozilla Corporation', parent: 'explorer.exe',
    cmd: '{path}', runs: 'user', on: 'workstation', weight: 4, port: 443, bareIp: 0.1,
    urls: ['www.mozilla.org', 'firefox.settings.services.mozilla.com', 'duckduckgo.com', 'news.ycombinator.com'] },
  { file: 'ms-teams.exe', path: `${PF}\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe`, company: MS, parent: 'explorer.exe',
    cmd: '{path} msteams:system-initiated', runs: 'user', on: 'workstation', weight: 12, port: 443, bareIp: 0.2,
    urls: ['teams.microsoft.com', 'teams.events.data.microsoft.com', 'statics.teams.cdn.office.net', 'presence.teams.microsoft.com'] },
  { file: 'OUTLOOK.EXE', path: `${PF}\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE`, company: MS, parent: 'explorer.exe',
    cmd: '{path}', runs: 'user', on: 'workstation', weight: 8, port: 443, bareIp: 0.05,
    urls: ['outlook.office365.com', 'outlook.office.com', 'substrate.office.com'] },
  { file: 'OneDrive.exe', path: `${LOCALAPP}\\Microsoft\\OneDrive\\OneDrive.exe`, company: MS, parent: 'explorer.exe',
    cmd: '{path} /background', runs: 'user', on: 'workstation', weight: 6, port: 443, bareIp: 0.05,
    urls: ['contoso-my.sharepoint.com', 'g.live.com', 'oneclient.sfx.ms'] },
  { file: 'Zoom.exe', path: 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', company: 'Zoom Video Communications, Inc.', parent: 'explorer.exe',
    cmd: '{path} --action=join', runs: 'user', on: 'workstation', weight: 3, port: 443, bareIp: 0.4,
    urls: ['zoom.us', 'us05web.zoom.us', 'log.zoom.us'] },
  { file: 'steam.exe', path: `${PF86}\\Steam\\steam.exe`, company: 'Valve Corporation', parent: 'explorer.exe',
    cmd: '{path} -silent', runs: 'user', on: 'workstation', weight: 1, port: 443, bareIp: 0.3,
    urls: ['steamcommunity.com', 'api.steampowered.com', 'cdn.cloudflare.steamstatic.com'] },
  { file: 'AnyDesk.exe', path: `${PF86}\\AnyDesk\\AnyDesk.exe`, company: 'AnyDesk Software GmbH', parent: 'explorer.exe',
    cmd: '{path} --control', runs: 'user', on: 'workstation', weight: 1, port: 443, bareIp: 0.2,
    urls: ['relay-3f1a2b4c.net.anydesk.com', 'boot.net.anydesk.com'] },
  { file: 'TeamViewer.exe', path: `${PF}\\TeamViewer\\TeamViewer.exe`, company: 'TeamViewer Germany GmbH', parent: 'explorer.exe',
    cmd: '{path}', runs: 'user', on: 'workstation', weight: 1, port: 5938, bareIp: 0.2,
    urls: ['router15.teamviewer.com', 'master11.teamviewer.com'] },
  { file: 'svchost.exe', path: 'C:\\Windows\\System32\\svchost.exe', company: MS, parent: 'services.exe',
    cmd: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv', runs: 'system', on: 'any', weight: 10, port: 443, bareIp: 0.1,
    urls: ['fe2cr.update.microsoft.com', '7.tlu.dl.delivery.mp.microsoft.com', 'ctldl.windowsupdate.com', 'settings-win.data.microsoft.com', 'slscr.update.microsoft.com'] },
  { file: 'svchost.exe', path: 'C:\\Windows\\System32\\svchost.exe', company: MS, parent: 'services.exe',
    cmd: 'C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache', runs: 'network service', on: 'any', weight: 6, port: 53, bareIp: 1,
    urls: [] },
  { file: 'MsSense.exe', path: `${PF}\\Windows Defender Advanced Threat Protection\\MsSense.exe`, company: MS, parent: 'services.exe',
    cmd: '{path}', runs: 'system', on: 'any', weight: 6, port: 443, bareIp: 0.05,
    urls: ['winatp-gw-weu.microsoft.com', 'winatp-gw-neu.microsoft.com', 'events.data.microsoft.com'] },
  { file: 'MsMpEng.exe', path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', company: MS, parent: 'services.exe',
    cmd: '{path}', runs: 'system', on: 'any', weight: 3, port: 443, bareIp: 0.05,
    urls: ['wdcp.microsoft.com', 'definitionupdates.microsoft.com'] },
  { file: 'svchost.exe', path: 'C:\\Windows\\System32\\svchost.exe', company: MS, parent: 'services.exe',
    cmd: 'C:\\Windows\\system32\\svchost.exe -k LocalService -p -s W32Time', runs: 'local service', on: 'any', weight: 1, port: 123, bareIp: 0,
    urls: ['time.windows.com'] },
  { file: 'powershell.exe', path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', company: MS, parent: 'explorer.exe',
    cmd: 'powershell.exe -NoProfile -Command "Install-Module Az.Accounts -Scope CurrentUser"', runs: 'user', on: 'server', weight: 1, port: 443, bareIp: 0,
    urls: ['www.powershellgallery.com', 'psg-prod-eastus.azureedge.net'] },
  { file: 'IntuneManagementExtension.exe', path: `${PF86}\\Microsoft Intune Management Extension\\Microsoft.Management.Services.IntuneWindowsAgent.exe`,
    company: MS, parent: 'services.exe', cmd: '{path}', runs: 'system', on: 'workstation', weight: 2, port: 443, bareIp: 0,
    urls: ['contoso.manage.microsoft.com', 'imeswda-afd-primary.manage.microsoft.com'] },
];

// Servers also answer: file shares, RDP, web, SQL, LDAP and Kerberos on the DC.
const INBOUND: readonly { file: string; path: string; parent: string; port: number; runs: Runs }[] = [
  { file: 'System', path: '', parent: '', port: 445, runs: 'system' },
  { file: 'svchost.exe', path: 'C:\\Windows\\System32\\svchost.exe', parent: 'services.exe', port: 3389, runs: 'network service' },
  { file: 'w3wp.exe', path: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', parent: 'svchost.exe', port: 443, runs: 'system' },
  { file: 'sqlservr.exe', path: `${PF}\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe`, parent: 'services.exe', port: 1433, runs: 'network service' },
  { file: 'lsass.exe', path: 'C:\\Windows\\System32\\lsass.exe', parent: 'wininit.exe', port: 389, runs: 'system' },
];

const BY_KIND = {
  workstation: APPS.filter((a) => a.on !== 'server').map((a) => [a.weight, a] as const),
  server: APPS.filter((a) => a.on !== 'workstation').map((a) => [a.weight, a] as const),
};

function runsAs(runs: Runs, device: Device): Account {
  switch (runs) {
    case 'user': return device.user;
    case 'system': return SYSTEM;
    case 'network service': return NETWORK_SERVICE;
    case 'local service': return LOCAL_SERVICE;
  }
}

const OUTBOUND_ACTIONS = [[80, 'ConnectionSuccess'], [8, 'ConnectionFailed'], [6, 'ConnectionAttempt'], [3, 'ConnectionRequest']] as const;

export function trafficEvent(ctx: Context, time: { ms: number; sub: number }): SampleEvent {
  const { rng, fleet } = ctx;
  const onServer = rng.chance(0.2);
  const device = onServer ? rng.pick(fleet.servers) : rng.pick(fleet.workstations);
  if (onServer && rng.chance(0.35)) {
    const svc = rng.pick(INBOUND);
    const peer = rng.pick(fleet.workstations);
    const listening = rng.chance(0.1);
    return makeEvent(ctx, device, runsAs(svc.runs, device), time,
      { file: svc.file, path: svc.path, company: svc.path ? MS : '', parent: svc.parent, cmd: svc.path ? '{path}' : '' },
      listening
        ? { url: '', ip: '', port: null, protocol: 'Tcp', action: 'ListeningConnectionCreated', localPort: svc.port }
        : { url: '', ip: peer.localIp, port: rng.range(49152, 65535), protocol: 'Tcp', action: 'InboundConnectionAccepted', localPort: svc.port });
  }
  const app = rng.weighted(BY_KIND[device.kind]);
  const bare = app.urls.length === 0 || rng.chance(app.bareIp);
  const url = bare ? '' : rng.pick(app.urls);
  const ip = app.port === 53 ? '10.10.0.10' : bare ? ctx.addresses.anyPublic(rng) : ctx.addresses.forDomain(rng, url);
  return makeEvent(ctx, device, runsAs(app.runs, device), time, app, {
    url, ip, port: app.port, protocol: app.port === 53 || app.port === 123 ? 'Udp' : 'Tcp', action: rng.weighted(OUTBOUND_ACTIONS),
  });
}
