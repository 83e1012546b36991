// The contract between the cards and the bot's router: every action's `data.verb`, the ids of the inputs the
// router reads from a submission, and the values those inputs can carry. The router's zod schemas are built
// from these same constants, so a card and its handler cannot drift apart.

export const VERBS = {
  findingBenign: 'finding.benign',
  findingTp: 'finding.tp',
  findingFp: 'finding.fp',
  findingUndetermined: 'finding.undetermined',
  findingSkip: 'finding.skip',
  findingRefresh: 'finding.refresh',
  triageNext: 'triage.next',
  huntRun: 'hunt.run',
  bulkOpen: 'bulk.open',
  bulkSubmit: 'bulk.submit',
  exclusionApprove: 'exclusion.approve',
  exclusionReject: 'exclusion.reject',
  exclusionRevoke: 'exclusion.revoke',
  exclusionExtend: 'exclusion.extend',
  exclusionsOpen: 'exclusions.open',
  help: 'help',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
export const ALL_VERBS: readonly Verb[] = Object.values(VERBS);

/** The verbs that write a disposition of one finding (Skip and refresh do not). */
export const MARK_VERBS = [VERBS.findingBenign, VERBS.findingTp, VERBS.findingFp, VERBS.findingUndetermined] as const;
export type MarkVerb = (typeof MARK_VERBS)[number];

export const INPUT_IDS = {
  scenario: 'scenario',
  exclude: 'exclude',
  scope: 'scope',
  comment: 'comment',
  fpReason: 'fpReason',
  selected: 'selected',
  classification: 'classification',
  days: 'days',
  /** Proposal card, shown only when the exclusion would cover True Positives: approving then needs a reason. */
  tpOverrideReason: 'tpOverrideReason',
} as const;

export type InputId = (typeof INPUT_IDS)[keyof typeof INPUT_IDS];

/** Input.Toggle values, as the client sends them. */
export const TOGGLE_ON = 'true';
export const TOGGLE_OFF = 'false';

export const SCOPES = ['device', 'rule'] as const;
export const FP_REASONS = ['IncorrectAlertLogic', 'InaccurateData'] as const;
/** The short words src/triage/taxonomy.ts parseVerdict takes. */
export const CLASSIFICATIONS = ['benign', 'tp', 'fp', 'undetermined'] as const;
export const GROUP_BYS = ['url', 'account', 'parent'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Limits of the inputs, mirrored by the router's validation. */
export const COMMENT_MAX_LENGTH = 1000;
export const EXTEND_DAYS_MIN = 1;
export const EXTEND_DAYS_MAX = 365;
export const EXTEND_DAYS_DEFAULT = 30;

// The data each kind of action carries (before the client merges the input values in).
export interface VerbOnlyData {
  readonly verb: typeof VERBS.triageNext | typeof VERBS.huntRun | typeof VERBS.exclusionsOpen | typeof VERBS.help;
}
export interface FindingActionData {
  readonly verb: MarkVerb | typeof VERBS.findingSkip;
  readonly findingId: string;
  readonly version: number;
}
/** The refresh action asks for the current state, so it names no version. */
export interface FindingRefreshData {
  readonly verb: typeof VERBS.findingRefresh;
  readonly findingId: string;
}
export interface BulkOpenData {
  readonly verb: typeof VERBS.bulkOpen;
  readonly groupBy: GroupBy;
  /** 1-based. */
  readonly page: number;
  readonly filter?: string;
}
export interface BulkSubmitData {
  readonly verb: typeof VERBS.bulkSubmit;
  readonly groupBy: GroupBy;
  readonly page: number;
  readonly filter?: string;
  /** Finding id → the version the card showed, for the findings offered on this page (when known). */
  readonly versions?: Readonly<Record<string, number>>;
}
export interface ExclusionActionData {
  readonly verb: typeof VERBS.exclusionApprove | typeof VERBS.exclusionReject | typeof VERBS.exclusionRevoke | typeof VERBS.exclusionExtend;
  readonly exclusionId: number;
  readonly version: number;
}

export type ActionData = VerbOnlyData | FindingActionData | FindingRefreshData | BulkOpenData | BulkSubmitData | ExclusionActionData;
