// Exclusion rows as SQLite holds them, and the mapping to and from the domain shape.
import type { Exclusion, ExclusionCondition, ExclusionScope, ExclusionState } from './types.js';

export interface ExclusionRow {
  id: number;
  rule_id: string;
  scope: ExclusionScope;
  device_id: string | null;
  conditions: string;
  scenario: number | null;
  state: ExclusionState;
  author: string;
  approver: string | null;
  created_at: string;
  activated_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  rejected_at: string | null;
  expired_at: string | null;
  ended_by: string | null;
  end_comment: string | null;
  comment: string | null;
  tp_override_reason: string | null;
  replaces: string;
  fingerprint: string;
  updated_at: string;
  version: number;
}

export const EXCLUSION_COLUMNS = `id, rule_id, scope, device_id, conditions, scenario, state, author, approver,
  created_at, activated_at, expires_at, revoked_at, rejected_at, expired_at, ended_by, end_comment, comment,
  tp_override_reason, replaces, fingerprint, updated_at, version`;

export function toExclusion(r: ExclusionRow): Exclusion {
  return {
    id: r.id,
    ruleId: r.rule_id,
    scope: r.scope,
    deviceId: r.device_id,
    conditions: JSON.parse(r.conditions) as ExclusionCondition[],
    scenario: r.scenario,
    state: r.state,
    author: r.author,
    approver: r.approver,
    createdAt: r.created_at,
    activatedAt: r.activated_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    rejectedAt: r.rejected_at,
    expiredAt: r.expired_at,
    endedBy: r.ended_by,
    endComment: r.end_comment,
    comment: r.comment,
    tpOverrideReason: r.tp_override_reason,
    replaces: JSON.parse(r.replaces) as number[],
    fingerprint: r.fingerprint,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** All columns but id, as named parameters. */
export function exclusionParams(
  x: Omit<Exclusion, 'id'> & { id?: number },
): Omit<ExclusionRow, 'id'> & { id: number | null } {
  return {
    id: x.id ?? null,
    rule_id: x.ruleId,
    scope: x.scope,
    device_id: x.deviceId,
    conditions: JSON.stringify(x.conditions),
    scenario: x.scenario,
    state: x.state,
    author: x.author,
    approver: x.approver,
    created_at: x.createdAt,
    activated_at: x.activatedAt,
    expires_at: x.expiresAt,
    revoked_at: x.revokedAt,
    rejected_at: x.rejectedAt,
    expired_at: x.expiredAt,
    ended_by: x.endedBy,
    end_comment: x.endComment,
    comment: x.comment,
    tp_override_reason: x.tpOverrideReason,
    replaces: JSON.stringify(x.replaces),
    fingerprint: x.fingerprint,
    updated_at: x.updatedAt,
    version: x.version,
  };
}
