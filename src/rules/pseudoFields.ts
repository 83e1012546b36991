// The pseudo fields the scenario documentation uses (ECS-like names) and the DeviceNetworkEvents column each
// one denotes. `column: null` marks a field that network events do not carry at all.
export interface PseudoField {
  readonly column: string | null;
  readonly why: string;
}

export const PSEUDO_FIELDS: Readonly<Record<string, PseudoField>> = {
  'process.name': { column: 'InitiatingProcessFileName', why: 'the process that made the connection' },
  'process.parent.name': { column: 'InitiatingProcessParentFileName', why: 'the parent of that process' },
  'process.command_line': { column: 'InitiatingProcessCommandLine', why: 'the command line of that process' },
  'user.name': { column: 'InitiatingProcessAccountName', why: 'the account that process ran as' },
  'user.domain': { column: 'InitiatingProcessAccountDomain', why: 'the domain of that account' },
  'host.name': { column: 'DeviceName', why: 'the device' },
  destination_ip: { column: 'RemoteIP', why: 'the remote end of the connection' },
  'destination.ip': { column: 'RemoteIP', why: 'the remote end of the connection' },
  'destination.port': { column: 'RemotePort', why: 'the remote port' },
  source_ip: { column: 'LocalIP', why: 'the local end of the connection' },
  'source.ip': { column: 'LocalIP', why: 'the local end of the connection' },
  event_id: {
    column: null,
    why: 'DeviceNetworkEvents has no event-id column; a network event records a connection, not the Windows event or task that led to it',
  },
};
