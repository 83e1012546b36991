// `--format json`: the canonical, importable form. Every exclusion of the rule, whatever its state, with a
// fixed key order. Ids differ between databases, so an exclusion's identity is its fingerprint, and `replaces`
// names the replaced exclusions by fingerprint. Conditions are the model's (values as strings), and the
// fingerprint is computed over exactly those, so an import can check it.
import { exclusionFingerprint } from '../../store/exclusionModel.js';
import type { Exclusion } from '../../store/types.js';
import { ExclusionConditions, formatPath, type Condition } from '../model.js';
import { safeInstant, type ExportRule } from './applied.js';
import { ExportError } from './exportError.js';

export const EXCLUSIONS_FILE_FORMAT = 'parsec-triage-exclusions';
export const EXCLUSIONS_FILE_VERSION = 1;

/** Where a learned exclusion came from, in terms that mean the same in any database. */
export interface ExclusionSourceRef {
  readonly findingId: string;
  readonly analystId: string;
  readonly createdAt: string;
}

export interface ExclusionsFileEntry {
  fingerprint: string;
  ruleId: string;
  scope: Exclusion['scope'];
  deviceId: string | null;
  conditions: Condition[];
  scenario: number | null;
  state: Exclusion['state'];
  author: string;
  approver: string | null;
  createdAt: string;
  activatedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  rejectedAt: string | null;
  expiredAt: string | null;
  endedBy: string | null;
  endComment: string | null;
  comment: string | null;
  tpOverrideReason: string | null;
  replaces: string[];
  sources?: ExclusionSourceRef[];
}

export interface ExclusionsFile {
  format: typeof EXCLUSIONS_FILE_FORMAT;
  version: typeof EXCLUSIONS_FILE_VERSION;
  ruleId: string;
  generatedAt: string;
  exclusions: ExclusionsFileEntry[];
}

/** The stored conditions in the model's form (whole numbers written out), validated as an import would. */
export function modelConditions(x: Exclusion): Condition[] {
  const input = x.conditions.map((c) => ({
    column: c.column,
    op: c.op,
    values: c.values.map((v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v)),
  }));
  const r = ExclusionConditions.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = formatPath(['conditions', ...i.path]);
    throw new ExportError(`export: exclusion ${x.id}: ${where}: ${i.message}`, 'internal');
  }
  return r.data;
}

const orNull = (t: string | null): string | null => (t === null ? null : safeInstant(t));

function entry(x: Exclusion, byId: ReadonlyMap<number, string>, sources: readonly ExclusionSourceRef[] | undefined): ExclusionsFileEntry {
  const conditions = modelConditions(x);
  const replaces = x.replaces.map((id) => {
    const fp = byId.get(id);
    if (fp === undefined) {
      throw new ExportError(`export: exclusion ${x.id} replaces exclusion ${id}, which is not among the exported exclusions`, 'invalid');
    }
    return fp;
  });
  const out: ExclusionsFileEntry = {
    fingerprint: exclusionFingerprint({ ruleId: x.ruleId, scope: x.scope, deviceId: x.deviceId, conditions }),
    ruleId: x.ruleId,
    scope: x.scope,
    deviceId: x.deviceId,
    conditions: conditions.map((c) => ({ column: c.column, op: c.op, values: [...c.values] })),
    scenario: x.scenario,
    state: x.state,
    author: x.author,
    approver: x.approver,
    createdAt: safeInstant(x.createdAt),
    activatedAt: orNull(x.activatedAt),
    expiresAt: orNull(x.expiresAt),
    revokedAt: orNull(x.revokedAt),
    rejectedAt: orNull(x.rejectedAt),
    expiredAt: orNull(x.expiredAt),
    endedBy: x.endedBy,
    endComment: x.endComment,
    comment: x.comment,
    tpOverrideReason: x.tpOverrideReason,
    replaces,
  };
  if (sources?.length) out.sources = sources.map((s) => ({ findingId: s.findingId, analystId: s.analystId, createdAt: safeInstant(s.createdAt) }));
  return out;
}

export function exclusionsFile(
  rule: Pick<ExportRule, 'id'>,
  exclusions: readonly Exclusion[],
  generatedAt: Date,
  sources?: ReadonlyMap<number, readonly ExclusionSourceRef[]>,
): ExclusionsFile {
  const byId = new Map(
    exclusions.map((x) => [x.id, exclusionFingerprint({ ruleId: x.ruleId, scope: x.scope, deviceId: x.deviceId, conditions: modelConditions(x) })]),
  );
  return {
    format: EXCLUSIONS_FILE_FORMAT,
    version: EXCLUSIONS_FILE_VERSION,
    ruleId: rule.id,
    generatedAt: safeInstant(generatedAt),
    exclusions: exclusions.map((x) => entry(x, byId, sources?.get(x.id))),
  };
}

export function exclusionsJson(file: ExclusionsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
