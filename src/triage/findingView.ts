// A finding as people and scripts see it: the query's own columns (DeviceId … Count, then the enrichment
// sets), then its triage state and latest disposition. The CLI's json and the bot's cards share this shape.
import type { Disposition, Finding } from '../store/index.js';

export interface DispositionView {
  readonly classification: string;
  readonly reason: string | null;
  readonly scenario: number | null;
  readonly comment: string | null;
  readonly by: string;
  readonly byName: string | null;
  readonly at: string;
}

export interface FindingView {
  readonly id: string;
  readonly DeviceId: string;
  readonly DeviceName: string;
  readonly RemoteUrl: string;
  readonly FirstSeen: string;
  readonly LastSeen: string;
  readonly Report: number[];
  readonly Count: number;
  readonly Processes: string[];
  readonly ParentProcesses: string[];
  readonly Accounts: string[];
  readonly RemoteIPs: string[];
  readonly Companies: string[];
  readonly DeviceNames: string[];
  readonly ruleId: string;
  readonly state: string;
  /** "disposition", or "exclusion N" when an exclusion suppressed it. */
  readonly closedBy: string | null;
  readonly version: number;
  readonly disposition: DispositionView | null;
}

export function dispositionView(d: Disposition): DispositionView {
  return {
    classification: d.classification,
    reason: d.reason,
    scenario: d.scenario,
    comment: d.comment,
    by: d.analystId,
    byName: d.analystName,
    at: d.createdAt,
  };
}

/** Event times are stored with seven fractional digits; show them the way the hunt prints them. */
export function eventTime(stored: string): string {
  return stored.replace(/\.(\d{3})0000Z$/, '.$1Z');
}

export function findingView(f: Finding, latest: Disposition | null | undefined): FindingView {
  return {
    id: f.id,
    DeviceId: f.deviceId,
    DeviceName: f.deviceName,
    RemoteUrl: f.remoteUrl,
    FirstSeen: eventTime(f.firstSeen),
    LastSeen: eventTime(f.lastSeen),
    Report: f.reportIds,
    Count: f.count,
    Processes: f.enrichment.Processes,
    ParentProcesses: f.enrichment.ParentProcesses,
    Accounts: f.enrichment.Accounts,
    RemoteIPs: f.enrichment.RemoteIPs,
    Companies: f.enrichment.Companies,
    DeviceNames: f.deviceNames,
    ruleId: f.ruleId,
    state: f.state,
    closedBy: f.state !== 'closed' ? null : f.closedReason === 'exclusion' ? `exclusion ${f.closedByExclusionId}` : 'disposition',
    version: f.version,
    disposition: latest ? dispositionView(latest) : null,
  };
}
