// From a stored exclusion to the conditions a query applies. A device-scoped exclusion also requires
// `DeviceId == deviceId`; learned exclusions keep that condition in their own list too (first), so any reader
// that ignores the scope still gets the device restriction, and effectiveConditions adds it to rows that lack
// it. A stored row is a trust boundary like any file: its conditions pass the model's validation again here.
import type { QueryExclusion } from '../hunt/buildQuery.js';
import type { Exclusion, ExclusionCondition, ExclusionScope } from '../store/types.js';
import { ConditionError, parseConditions, type Condition } from './model.js';
import { ExclusionError } from './errors.js';

export interface ScopedConditions {
  readonly scope: ExclusionScope;
  readonly deviceId: string | null;
  readonly conditions: readonly (Condition | ExclusionCondition)[];
}

/** The device condition a device-scoped exclusion carries. */
export function deviceCondition(deviceId: string): Condition {
  return { column: 'DeviceId', op: '==', values: [deviceId] };
}

function isDeviceCondition(c: { column: string; op: string; values: readonly unknown[] }, deviceId: string): boolean {
  return c.column === 'DeviceId' && c.op === '==' && c.values.length === 1 && c.values[0] === deviceId;
}

// The store keeps values as string | number | boolean; the model's are strings (whole numbers written out).
function asModelInput(conditions: readonly (Condition | ExclusionCondition)[]): unknown[] {
  return conditions.map((c) => ({
    ...c,
    values: Array.isArray(c.values)
      ? c.values.map((v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v))
      : c.values,
  }));
}

/**
 * The conditions that decide what the exclusion hides: its own, plus `DeviceId == deviceId` (first) when the
 * scope is 'device' and the list does not already hold it. Validated: at least one condition, never RemoteUrl
 * alone. Throws ExclusionError 'invalid_conditions' naming the offending path; `where` prefixes the message.
 */
export function effectiveConditions(x: ScopedConditions, where = 'exclusions'): Condition[] {
  const input = asModelInput(x.conditions);
  if (x.scope === 'device') {
    if (typeof x.deviceId !== 'string' || x.deviceId === '') {
      throw new ExclusionError(`${where}: a device-scoped exclusion needs its device id`, 'invalid_conditions');
    }
    const deviceId = x.deviceId;
    if (!x.conditions.some((c) => isDeviceCondition(c, deviceId))) input.unshift(deviceCondition(deviceId));
  } else if (x.scope !== 'rule') {
    throw new ExclusionError(`${where}: scope must be 'device' or 'rule', got '${String(x.scope)}'`, 'invalid_conditions');
  }
  try {
    return parseConditions(input);
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    throw new ExclusionError(`${where}: ${e.message}`, 'invalid_conditions');
  }
}

/** What the hunt builder applies for one stored exclusion. */
export function toQueryExclusion(x: Exclusion): QueryExclusion {
  if (!Number.isSafeInteger(x.id)) throw new ExclusionError(`exclusions: exclusion id ${String(x.id)} is not an integer`, 'invalid');
  return { id: x.id, conditions: effectiveConditions(x, `exclusions: exclusion ${x.id}`) };
}
