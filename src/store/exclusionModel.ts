// What the store knows about an exclusion's identity and life: the canonical fingerprint (so the same exclusion
// is not proposed twice and an import can merge by identity) and the legal state changes.
import { canonicalJson, sha256Hex } from './canonical.js';
import { StoreError } from './errors.js';
import type { ExclusionCondition, ExclusionScope, ExclusionState, ExclusionValue } from './types.js';

export const EXCLUSION_TRANSITIONS: Readonly<Record<ExclusionState, readonly ExclusionState[]>> = {
  proposed: ['active', 'rejected'],
  active: ['revoked', 'expired'],
  expired: [],
  revoked: [],
  rejected: [],
};

export const LIVE_STATES: readonly ExclusionState[] = ['proposed', 'active'];

export function assertTransition(id: number, from: ExclusionState, to: ExclusionState): void {
  if (EXCLUSION_TRANSITIONS[from].includes(to)) return;
  const allowedFrom = (Object.keys(EXCLUSION_TRANSITIONS) as ExclusionState[]).filter((s) =>
    EXCLUSION_TRANSITIONS[s].includes(to),
  );
  throw new StoreError(
    `exclusions: exclusion ${id} is ${from}; it cannot become ${to} (only from ${allowedFrom.join(' or ')})`,
    'illegal_transition',
  );
}

// Kusto operators that ignore case: their values fingerprint lower-cased, so `in~ ("ITSecurity")` and
// `in~ ("itsecurity")` are one exclusion. The `_cs` forms, `==`, `in` and `!=` keep case.
const CASE_INSENSITIVE = /~$|^!?(has|has_any|has_all|contains|startswith|endswith|hasprefix|hassuffix)$/;

export interface ExclusionIdentity {
  ruleId: string;
  scope: ExclusionScope;
  deviceId: string | null;
  conditions: readonly ExclusionCondition[];
}

/**
 * sha256 over rule, scope, device and the conditions with order removed: conditions are AND-ed and each
 * condition's values are a set (any of), so neither order means anything.
 */
export function exclusionFingerprint(x: ExclusionIdentity): string {
  const conditions = [
    ...new Set(
      x.conditions.map((c) => {
        const fold = CASE_INSENSITIVE.test(c.op);
        const folded = c.values.map((v) => (fold && typeof v === 'string' ? v.toLowerCase() : v));
        const values = [...new Set(folded.map((v) => canonicalJson(v)))];
        return canonicalJson({ column: c.column, op: c.op, values: values.sort() });
      }),
    ),
  ].sort();
  return sha256Hex(
    canonicalJson({
      v: 1,
      ruleId: x.ruleId,
      scope: x.scope,
      deviceId: x.scope === 'device' ? x.deviceId : null,
      conditions,
    }),
  );
}

export function validateConditions(where: string, conditions: readonly ExclusionCondition[]): ExclusionCondition[] {
  if (!Array.isArray(conditions)) throw new StoreError(`${where}: conditions must be an array`, 'invalid');
  return conditions.map((c, i) => {
    const at = `${where}: conditions[${i}]`;
    if (typeof c?.column !== 'string' || c.column === '') throw new StoreError(`${at}.column: required`, 'invalid');
    if (typeof c.op !== 'string' || c.op === '') throw new StoreError(`${at}.op: required`, 'invalid');
    if (!Array.isArray(c.values) || c.values.length === 0) {
      throw new StoreError(`${at}.values: at least one value is required`, 'invalid');
    }
    const bad = c.values.findIndex((v: ExclusionValue) => !['string', 'number', 'boolean'].includes(typeof v));
    if (bad >= 0) throw new StoreError(`${at}.values[${bad}]: expected a string, number or boolean`, 'invalid');
    return { column: c.column, op: c.op, values: [...c.values] };
  });
}
