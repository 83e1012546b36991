// The store's public shapes: what repositories take and give back. Rows come back camelCased with their JSON
// columns parsed. Optional input fields also accept `undefined`, so callers can pass options straight through.
import type { KDateTime } from '../kql/values.js';

/** Who did it: an analyst id, or 'system' for the scheduler and other automatic changes. */
export type Actor = string;

// ---- runs ----

export type RunSource = 'local' | 'log-analytics';
export type RunStatus = 'running' | 'ok' | 'partial' | 'failed';
export type FinishedRunStatus = Exclude<RunStatus, 'running'>;

export interface Run {
  id: number;
  ruleId: string;
  startedAt: string;
  finishedAt: string | null;
  windowStart: string;
  windowEnd: string;
  source: RunSource;
  /** The event file path or the workspace id. */
  sourceDetail: string;
  /** The final query text, as sent. */
  kql: string;
  rowCount: number | null;
  status: RunStatus;
  error: string | null;
  warnings: string[];
}

export interface RunStartInput {
  ruleId: string;
  windowStart: Date;
  windowEnd: Date;
  source: RunSource;
  sourceDetail?: string | undefined;
  kql: string;
  startedAt?: Date | undefined;
}

export interface RunFinishInput {
  status: FinishedRunStatus;
  rowCount?: number | null | undefined;
  error?: string | null | undefined;
  warnings?: readonly string[] | undefined;
  finishedAt?: Date | undefined;
}

// ---- findings ----

export const ENRICHMENT_KEYS = ['Processes', 'ParentProcesses', 'Accounts', 'RemoteIPs', 'Companies'] as const;
export type EnrichmentKey = (typeof ENRICHMENT_KEYS)[number];
/** Each list is a sorted set, the union over every run that saw the finding. */
export type FindingEnrichment = Record<EnrichmentKey, string[]>;

export type FindingState = 'open' | 'recurring' | 'closed';
export type ClosedReason = 'disposition' | 'exclusion';

/** One summarized row of a run, as the hunt query returns it (DeviceId, DeviceName, RemoteUrl, ...). */
export interface FindingInput {
  deviceId: string;
  deviceName: string;
  remoteUrl: string;
  firstSeen: string | KDateTime;
  lastSeen: string | KDateTime;
  reportIds: readonly number[];
  count: number;
  enrichment?: Partial<Record<EnrichmentKey, readonly string[]>> | undefined;
}

export interface Finding {
  /** Short stable id (8+ Crockford base32 characters), derived from (ruleId, deviceId, remoteUrl). */
  id: string;
  ruleId: string;
  deviceId: string;
  remoteUrl: string;
  /** The name on the most recent events. */
  deviceName: string;
  /** Every name seen for this DeviceId + RemoteUrl (a device can be renamed), sorted. */
  deviceNames: string[];
  /** Event times, seven fractional digits. */
  firstSeen: string;
  lastSeen: string;
  /** Union over all runs, ascending. */
  reportIds: number[];
  /** The latest run's count for its window (windows overlap, so a sum would count events twice). */
  count: number;
  enrichment: FindingEnrichment;
  state: FindingState;
  closedReason: ClosedReason | null;
  closedByExclusionId: number | null;
  closedAt: string | null;
  /** The event time a closed finding was judged at: newer events than this reopen it as 'recurring'. */
  closedLastSeen: string | null;
  createdRunId: number | null;
  lastRunId: number | null;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change (including a new disposition), so a card showing an older version is stale. */
  version: number;
}

/** Disjoint lists of finding ids. `unchanged`: seen by the run, nothing new (no version bump, no audit). */
export interface MergeResult {
  created: string[];
  updated: string[];
  reopened: string[];
  unchanged: string[];
}

export interface FindingFilter {
  /** 'open' includes 'recurring'. Default 'all'. */
  state?: 'open' | 'recurring' | 'closed' | 'all' | undefined;
  ruleId?: string | undefined;
  /** Exact. */
  deviceId?: string | undefined;
  /** Case-insensitive, against any of the device's names. */
  deviceName?: string | undefined;
  /** Case-insensitive. */
  remoteUrl?: string | undefined;
  /** Case-insensitive, against any element of enrichment.Accounts. */
  account?: string | undefined;
  /** Case-insensitive, against any element of enrichment.ParentProcesses. */
  parent?: string | undefined;
  /** The findings an exclusion closed (to reopen them when it is revoked, say). */
  closedByExclusionId?: number | undefined;
  ids?: readonly string[] | undefined;
  limit?: number | undefined;
}

/** One run's view of a finding. */
export interface FindingRunRecord {
  runId: number;
  count: number;
  firstSeen: string;
  lastSeen: string;
  runStartedAt: string;
  runStatus: RunStatus;
}

export interface Changed<T> {
  value: T;
  /** False when the call found the entity already in the asked-for state (nothing written, nothing audited). */
  changed: boolean;
}

export interface CloseManyResult {
  closed: string[];
  /** Already closed with the same reason: nothing written. */
  unchanged: string[];
}

// ---- dispositions ----

export type Classification = 'TruePositive' | 'BenignPositive' | 'FalsePositive' | 'Undetermined';
export type ClassificationReason =
  | 'SuspiciousActivity'
  | 'SuspiciousButExpected'
  | 'IncorrectAlertLogic'
  | 'InaccurateData';

/** Sentinel's pairs; the database CHECK holds the same table. */
export const DISPOSITION_REASONS: Readonly<Record<Classification, readonly (ClassificationReason | null)[]>> = {
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
  Undetermined: [null],
};

export interface Disposition {
  id: number;
  findingId: string;
  classification: Classification;
  reason: ClassificationReason | null;
  /** Scenario number (1-based), BenignPositive only. */
  scenario: number | null;
  comment: string | null;
  analystId: string;
  analystName: string | null;
  createdAt: string;
  /** The finding's lastSeen the analyst judged (event time). */
  findingLastSeenAt: string;
  /** Groups the dispositions of one bulk mark. */
  bulkId: string | null;
}

export interface DispositionInput {
  findingId: string;
  classification: Classification;
  reason?: ClassificationReason | null | undefined;
  scenario?: number | null | undefined;
  comment?: string | null | undefined;
  analystId: string;
  analystName?: string | null | undefined;
  /** The lastSeen on the card the analyst acted on; defaults to the finding's current lastSeen. */
  findingLastSeenAt?: string | KDateTime | undefined;
  bulkId?: string | null | undefined;
  createdAt?: Date | undefined;
}

// ---- exclusions ----

export type ExclusionScope = 'device' | 'rule';
export type ExclusionState = 'proposed' | 'active' | 'expired' | 'revoked' | 'rejected';
export type ExclusionValue = string | number | boolean;

/** One AND-ed condition over a real column; the store keeps `op` opaque (the exclusions model owns it). */
export interface ExclusionCondition {
  column: string;
  op: string;
  values: ExclusionValue[];
}

export interface Exclusion {
  /** The "exclusion N" people see; never reused. */
  id: number;
  ruleId: string;
  scope: ExclusionScope;
  /** Set when scope is 'device': the exclusion also requires DeviceId == deviceId. */
  deviceId: string | null;
  conditions: ExclusionCondition[];
  scenario: number | null;
  state: ExclusionState;
  author: string;
  approver: string | null;
  createdAt: string;
  activatedAt: string | null;
  /** Wall-clock time; null means no expiry. */
  expiresAt: string | null;
  revokedAt: string | null;
  rejectedAt: string | null;
  expiredAt: string | null;
  /** Who rejected, revoked or expired it ('system' for expiry), and why. */
  endedBy: string | null;
  endComment: string | null;
  comment: string | null;
  /** Set when the exclusion was accepted despite matching a True Positive finding. */
  tpOverrideReason: string | null;
  /** Ids of narrower exclusions this one supersedes (widening). */
  replaces: number[];
  fingerprint: string;
  updatedAt: string;
  version: number;
}

export interface ExclusionCreateInput {
  ruleId: string;
  scope: ExclusionScope;
  deviceId?: string | null | undefined;
  conditions: readonly ExclusionCondition[];
  scenario?: number | null | undefined;
  author: string;
  comment?: string | null | undefined;
  expiresAt?: Date | null | undefined;
  tpOverrideReason?: string | null | undefined;
  replaces?: readonly number[] | undefined;
  sourceDispositionIds?: readonly number[] | undefined;
  /** Default 'proposed'. Other states are for import; they need the fields below (times default to now). */
  state?: ExclusionState | undefined;
  approver?: string | null | undefined;
  createdAt?: Date | undefined;
  activatedAt?: Date | undefined;
  revokedAt?: Date | undefined;
  rejectedAt?: Date | undefined;
  expiredAt?: Date | undefined;
  endedBy?: string | null | undefined;
  endComment?: string | null | undefined;
}

export interface ExclusionFilter {
  ruleId?: string | undefined;
  state?: ExclusionState | readonly ExclusionState[] | undefined;
}

export interface ExclusionHit {
  runId: number;
  runStartedAt: string;
  hits: number;
}

// ---- audit ----

export interface AuditEntryInput {
  actor: Actor;
  /** e.g. 'finding.merge', 'disposition.create', 'exclusion.approve', 'authz.refused'. */
  action: string;
  entity: string;
  entityId?: string | number | null | undefined;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  limit?: number | undefined;
  entity?: string | undefined;
  entityId?: string | number | undefined;
  action?: string | undefined;
}

export type AuditVerifyResult = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };
