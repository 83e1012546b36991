// The shape of one generated event: the DeviceNetworkEvents columns the sample fills (the ones the rule, its
// scenarios and triage read), plus a tag saying why the generator made it, for tests and for reading.
import { deviceNetworkEventsColumns } from '../../src/schema/deviceNetworkEvents.js';

export interface SampleEvent {
  /** Timestamp: whole epoch milliseconds, plus 100 ns ticks within the millisecond. */
  ms: number;
  sub: number;
  DeviceId: string;
  DeviceName: string;
  ActionType: string;
  RemoteIP: string;
  RemotePort: number | null;
  RemoteUrl: string;
  LocalIP: string;
  LocalPort: number | null;
  Protocol: string;
  InitiatingProcessFileName: string;
  InitiatingProcessVersionInfoCompanyName: string;
  InitiatingProcessCommandLine: string;
  InitiatingProcessFolderPath: string;
  InitiatingProcessParentFileName: string;
  InitiatingProcessAccountDomain: string;
  InitiatingProcessAccountName: string;
  InitiatingProcessAccountUpn: string;
  ReportId: number;
}

export type EventTag =
  | 'traffic' // unrelated traffic: browsers, Teams, Windows Update, servers
  | 'parsec' // routine Parsec use that the rule finds
  | 'parsec-p2p' // Parsec peer traffic by IP only: no RemoteUrl, so no finding
  | 'variant' // a case or subdomain variant the rule still matches
  | 'near-miss' // looks like Parsec, must not match the rule
  | 'scenario-1' | 'scenario-2' | 'scenario-3' | 'scenario-4' | 'scenario-5'
  | 'malicious'
  | 'edge-in' // exactly at now-5d or exactly at now: inside the inclusive window
  | 'edge-out' // one tick outside the window
  | 'duplicate-report'
  | 'renamed-device';

export interface TaggedEvent {
  readonly event: SampleEvent;
  readonly tag: EventTag;
  /** What the event stands for, in a few words. */
  readonly note: string;
}

export type EventColumn = Exclude<keyof SampleEvent, 'ms' | 'sub'>;

// A Record over EventColumn, so adding a field to SampleEvent without listing it here fails to compile.
const WRITTEN: Record<EventColumn, true> = {
  DeviceId: true, DeviceName: true, ActionType: true, RemoteIP: true, RemotePort: true, RemoteUrl: true,
  LocalIP: true, LocalPort: true, Protocol: true, InitiatingProcessFileName: true,
  InitiatingProcessVersionInfoCompanyName: true, InitiatingProcessCommandLine: true,
  InitiatingProcessFolderPath: true, InitiatingProcessParentFileName: true, InitiatingProcessAccountDomain: true,
  InitiatingProcessAccountName: true, InitiatingProcessAccountUpn: true, ReportId: true,
};

/** The columns written, in schema order (Timestamp from ms/sub); the others are left out and load as empty. */
export const SAMPLE_COLUMNS: readonly string[] = deviceNetworkEventsColumns
  .map((c) => c.name)
  .filter((name) => name === 'Timestamp' || Object.hasOwn(WRITTEN, name));
