// The DeviceNetworkEvents schema, per Microsoft's public advanced-hunting reference (Defender XDR) plus the
// columns Log Analytics adds when the table is streamed into a Sentinel workspace. One list feeds the local
// engine's typing of event files, the test harness's Microsoft-parser globals, and the sample generator.
import type { KqlType } from '../kql/values.js';

export interface ColumnDef {
  readonly name: string;
  readonly type: KqlType;
}

export const DEVICE_NETWORK_EVENTS = 'DeviceNetworkEvents';

export const deviceNetworkEventsColumns: readonly ColumnDef[] = Object.freeze([
  { name: 'Timestamp', type: 'datetime' },
  { name: 'DeviceId', type: 'string' },
  { name: 'DeviceName', type: 'string' },
  { name: 'ActionType', type: 'string' },
  { name: 'RemoteIP', type: 'string' },
  { name: 'RemotePort', type: 'int' },
  { name: 'RemoteUrl', type: 'string' },
  { name: 'LocalIP', type: 'string' },
  { name: 'LocalPort', type: 'int' },
  { name: 'Protocol', type: 'string' },
  { name: 'LocalIPType', type: 'string' },
  { name: 'RemoteIPType', type: 'string' },
  { name: 'InitiatingProcessSHA1', type: 'string' },
  { name: 'InitiatingProcessSHA256', type: 'string' },
  { name: 'InitiatingProcessMD5', type: 'string' },
  { name: 'InitiatingProcessFileName', type: 'string' },
  { name: 'InitiatingProcessFileSize', type: 'long' },
  { name: 'InitiatingProcessVersionInfoCompanyName', type: 'string' },
  { name: 'InitiatingProcessVersionInfoProductName', type: 'string' },
  { name: 'InitiatingProcessVersionInfoProductVersion', type: 'string' },
  { name: 'InitiatingProcessVersionInfoInternalFileName', type: 'string' },
  { name: 'InitiatingProcessVersionInfoOriginalFileName', type: 'string' },
  { name: 'InitiatingProcessVersionInfoFileDescription', type: 'string' },
  { name: 'InitiatingProcessId', type: 'long' },
  { name: 'InitiatingProcessCommandLine', type: 'string' },
  { name: 'InitiatingProcessCreationTime', type: 'datetime' },
  { name: 'InitiatingProcessFolderPath', type: 'string' },
  { name: 'InitiatingProcessParentFileName', type: 'string' },
  { name: 'InitiatingProcessParentId', type: 'long' },
  { name: 'InitiatingProcessParentCreationTime', type: 'datetime' },
  { name: 'InitiatingProcessAccountDomain', type: 'string' },
  { name: 'InitiatingProcessAccountName', type: 'string' },
  { name: 'InitiatingProcessAccountSid', type: 'string' },
  { name: 'InitiatingProcessAccountUpn', type: 'string' },
  { name: 'InitiatingProcessAccountObjectId', type: 'string' },
  { name: 'InitiatingProcessIntegrityLevel', type: 'string' },
  { name: 'InitiatingProcessTokenElevation', type: 'string' },
  { name: 'InitiatingProcessSessionId', type: 'long' },
  { name: 'IsInitiatingProcessRemoteSession', type: 'bool' },
  { name: 'InitiatingProcessRemoteSessionDeviceName', type: 'string' },
  { name: 'InitiatingProcessRemoteSessionIP', type: 'string' },
  { name: 'ReportId', type: 'long' },
  { name: 'AppGuardContainerId', type: 'string' },
  { name: 'AdditionalFields', type: 'dynamic' },
  // Added by Log Analytics for tables streamed from Defender XDR into a Sentinel workspace.
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'TenantId', type: 'string' },
  { name: 'MachineGroup', type: 'string' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'Type', type: 'string' },
]);

export const deviceNetworkEventsColumnIndex: ReadonlyMap<string, number> = new Map(
  deviceNetworkEventsColumns.map((c, i) => [c.name, i]),
);

export function isDeviceNetworkEventsColumn(name: string): boolean {
  return deviceNetworkEventsColumnIndex.has(name);
}
