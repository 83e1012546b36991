// A new exclusion row from its create input: validated, defaulted and fingerprinted, before any database check.
import { StoreError } from './errors.js';
import { exclusionFingerprint, LIVE_STATES, validateConditions } from './exclusionModel.js';
import { wallTime } from './time.js';
import type { Exclusion, ExclusionCreateInput, ExclusionState } from './types.js';

const STATES: readonly ExclusionState[] = ['proposed', 'active', 'expired', 'revoked', 'rejected'];

/** `nowText` is the wall-clock time of the write; every missing timestamp defaults to it. */
export function exclusionDraft(input: ExclusionCreateInput, nowText: string): Omit<Exclusion, 'id'> {
  const where = `exclusions: rule ${input.ruleId}`;
  if (!input.ruleId) throw new StoreError('exclusions: rule id is required', 'invalid');
  if (input.scope !== 'device' && input.scope !== 'rule') {
    throw new StoreError(`${where}: scope must be 'device' or 'rule', got '${String(input.scope)}'`, 'invalid');
  }
  const deviceId = input.deviceId ?? null;
  if ((input.scope === 'device') !== (deviceId !== null && deviceId !== '')) {
    throw new StoreError(`${where}: a device id goes with scope 'device' and only with it`, 'invalid');
  }
  const conditions = validateConditions(where, input.conditions);
  if (input.scope === 'rule' && conditions.length === 0) {
    throw new StoreError(`${where}: a rule-wide exclusion needs at least one condition`, 'invalid');
  }
  const scenario = input.scenario ?? null;
  if (scenario !== null && (!Number.isInteger(scenario) || scenario < 1)) {
    throw new StoreError(`${where}: scenario must be a positive integer, got ${scenario}`, 'invalid');
  }
  if (!input.author) throw new StoreError(`${where}: author is required`, 'invalid');
  const state = input.state ?? 'proposed';
  if (!STATES.includes(state)) throw new StoreError(`${where}: unknown state '${state}'`, 'invalid');
  const activated = state === 'active' || state === 'expired' || state === 'revoked';
  const approver = input.approver ?? null;
  if (activated && !approver) throw new StoreError(`${where}: an ${state} exclusion needs its approver`, 'invalid');
  const expiresAt = input.expiresAt ? wallTime(input.expiresAt) : null;
  if (LIVE_STATES.includes(state) && expiresAt !== null && expiresAt <= nowText) {
    throw new StoreError(`${where}: expiry ${expiresAt} is not in the future`, 'invalid');
  }
  const at = (d: Date | undefined) => (d ? wallTime(d) : nowText);
  return {
    ruleId: input.ruleId,
    scope: input.scope,
    deviceId,
    conditions,
    scenario,
    state,
    author: input.author,
    approver,
    createdAt: at(input.createdAt),
    activatedAt: activated ? at(input.activatedAt) : null,
    expiresAt,
    revokedAt: state === 'revoked' ? at(input.revokedAt) : null,
    rejectedAt: state === 'rejected' ? at(input.rejectedAt) : null,
    // An exclusion stopped applying at its expiry, whenever the sweep noticed.
    expiredAt: state === 'expired' ? (input.expiredAt ? wallTime(input.expiredAt) : (expiresAt ?? nowText)) : null,
    endedBy: input.endedBy ?? null,
    endComment: input.endComment ?? null,
    comment: input.comment ?? null,
    tpOverrideReason: input.tpOverrideReason ?? null,
    replaces: [...new Set(input.replaces ?? [])],
    fingerprint: exclusionFingerprint({ ruleId: input.ruleId, scope: input.scope, deviceId, conditions }),
    updatedAt: nowText,
    version: 1,
  };
}
