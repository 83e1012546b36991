// The shapes the exclusion service takes and gives back: its settings, proposal plans and their outcomes, and
// widening proposals. Plans carry everything the synchronous apply step needs, so no await sits between the
// impact preview and the write.
import type { NamedLists, Rule } from '../rules/index.js';
import type { Store } from '../store/index.js';
import type { Exclusion, ExclusionScope, Finding } from '../store/types.js';
import type { ExclusionError } from './errors.js';
import type { Impact } from './impact.js';
import type { ActivationOutcome } from './lifecycle.js';
import type { Candidate } from './propose.js';
import type { WideningDraft } from './widen.js';

export interface ExclusionSettings {
  /** Four-eyes: a proposal waits for an approver other than its author. Off: proposals activate at once. */
  readonly requireApproval: boolean;
  /** An exclusion's life once active (and a proposal's initial expiry). */
  readonly ttlDays: number;
  /** Distinct devices that must share a learned value before a widening is proposed. */
  readonly widenThreshold: number;
}

export interface ExclusionServiceOptions {
  readonly store: Store;
  readonly rules: readonly Rule[];
  readonly lists: NamedLists;
  readonly settings: ExclusionSettings;
  readonly now: () => Date;
  /** Impact preview's per-finding enumeration cap (default MAX_TUPLES_PER_FINDING). */
  readonly maxTuples?: number | undefined;
}

export interface PlanProposalInput {
  /** The finding, or its id. */
  readonly finding: Finding | string;
  readonly scenario: number;
  readonly scope?: ExclusionScope | undefined;
  readonly author: string;
  /** Accepts a True Positive overlap; audited with the True Positives it covered. */
  readonly tpOverrideReason?: string | undefined;
}

export interface ProposalPlan {
  /** 'reuse': a live exclusion with the same identity exists; applying links the new dispositions to it. */
  readonly kind: 'create' | 'reuse';
  readonly candidate: Candidate;
  readonly fingerprint: string;
  /** Card wording of the candidate's conditions. */
  readonly description: string;
  readonly impact: Impact;
  readonly existing: Exclusion | null;
  /** Applying creates it active (no four-eyes) rather than proposed. */
  readonly activate: boolean;
  /** Set when applying would be refused (a True Positive overlap with no override reason); applyProposal throws it. */
  readonly refusal: ExclusionError | null;
  readonly author: string;
  readonly tpOverrideReason: string | null;
  readonly findingId: string;
}

export interface ProposalOutcome {
  readonly exclusion: Exclusion;
  /** False when the plan was merged into a live exclusion with the same identity. */
  readonly created: boolean;
  /** This call activated it (four-eyes off); a merged-into exclusion keeps its own state. */
  readonly activated: boolean;
  /** Dispositions newly linked as sources. */
  readonly linked: readonly number[];
  /** Findings closed as "suppressed by exclusion N" (open ones it fully matches). */
  readonly closed: readonly string[];
  /** Narrower exclusions replaced on activation (revoked or rejected as superseded). */
  readonly superseded: readonly number[];
  /** Findings a superseded exclusion had closed that the new one does not fully cover. */
  readonly reopened: readonly string[];
}

export interface WideningProposal extends WideningDraft {
  readonly fingerprint: string;
  readonly impact: Impact;
  readonly refusal: ExclusionError | null;
}

export type ApprovalOutcome = ActivationOutcome;
