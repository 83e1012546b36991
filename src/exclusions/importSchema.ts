// The exclusions file (`--format json`) as an import reads it: validated whole, with every problem as one
// line naming its path (`exclusions[3].conditions[0].column: unknown DeviceNetworkEvents column 'Foo'`),
// before anything is written. Conditions go through the model's own schema (so a RemoteUrl-only exclusion is
// refused), and each fingerprint must be the one its rule, scope, device and conditions give.
import { z } from 'zod';
import { exclusionFingerprint } from '../store/exclusionModel.js';
import { EXCLUSIONS_FILE_FORMAT, EXCLUSIONS_FILE_VERSION } from './export/json.js';
import { ExclusionConditions, formatPath } from './model.js';

const Instant = z.iso.datetime({ message: 'expected an ISO-8601 UTC time like 2024-05-10T12:00:00.000Z' });
const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-digit lower-case hex fingerprint');
const Name = z.string().min(1, 'must not be empty');
const Text = z.string().nullable();

const Source = z.strictObject({ findingId: Name, analystId: Name, createdAt: Instant });

const ACTIVATED = new Set(['active', 'expired', 'revoked']);

export const ExclusionsFileEntrySchema = z
  .strictObject({
    fingerprint: Fingerprint,
    ruleId: Name,
    scope: z.enum(['device', 'rule']),
    deviceId: Name.nullable(),
    conditions: ExclusionConditions,
    scenario: z.int().min(1, 'a scenario number starts at 1').nullable(),
    state: z.enum(['proposed', 'active', 'expired', 'revoked', 'rejected']),
    author: Name,
    approver: Name.nullable(),
    createdAt: Instant,
    activatedAt: Instant.nullable(),
    expiresAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
    rejectedAt: Instant.nullable(),
    expiredAt: Instant.nullable(),
    endedBy: Text,
    endComment: Text,
    comment: Text,
    tpOverrideReason: Text,
    replaces: z.array(Fingerprint),
    sources: z.array(Source).optional(),
  })
  .superRefine((x, ctx) => {
    if ((x.scope === 'device') !== (x.deviceId !== null)) {
      ctx.addIssue({ code: 'custom', path: ['deviceId'], message: "a device id goes with scope 'device' and only with it" });
    }
    if (ACTIVATED.has(x.state) && x.approver === null) {
      ctx.addIssue({ code: 'custom', path: ['approver'], message: `an ${x.state} exclusion needs its approver` });
    }
    // zod runs this even when a field failed; a fingerprint over broken conditions would only add noise.
    if (!ExclusionConditions.safeParse(x.conditions).success) return;
    const expected = exclusionFingerprint({ ruleId: x.ruleId, scope: x.scope, deviceId: x.deviceId, conditions: x.conditions });
    if (x.fingerprint !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['fingerprint'],
        message: `does not match the exclusion's rule, scope, device and conditions (they give ${expected})`,
      });
    }
  });
export type ExclusionsFileEntryInput = z.infer<typeof ExclusionsFileEntrySchema>;

export const ExclusionsFileSchema = z
  .strictObject({
    format: z.literal(EXCLUSIONS_FILE_FORMAT),
    version: z.literal(EXCLUSIONS_FILE_VERSION),
    ruleId: Name,
    generatedAt: Instant,
    exclusions: z.array(ExclusionsFileEntrySchema),
  })
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    f.exclusions.forEach((x, i) => {
      if (x.ruleId !== f.ruleId) {
        ctx.addIssue({ code: 'custom', path: ['exclusions', i, 'ruleId'], message: `belongs to another rule than the file's (${f.ruleId})` });
      }
      // One exclusion's life is its fingerprint plus when it was created; the same pair twice is one exclusion twice.
      const identity = `${x.fingerprint} ${new Date(x.createdAt).toISOString()}`;
      const first = seen.get(identity);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['exclusions', i], message: `the same exclusion as exclusions[${first}] (same fingerprint and createdAt)` });
      } else seen.set(identity, i);
    });
  });
export type ExclusionsFileInput = z.infer<typeof ExclusionsFileSchema>;

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

// zod's defaults ("Invalid input: expected string, received undefined") read poorly after a path.
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'required' : `expected ${iss.expected}, got ${kind(iss.input)}`;
    case 'unrecognized_keys':
      return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      if (iss.input === undefined) return 'required';
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${kind(iss.input)}`;
    default:
      return undefined;
  }
};

export type ParsedFile = { ok: true; file: ExclusionsFileInput } | { ok: false; problems: string[] };

/** Every problem as `path: message` (the caller prefixes the operation). */
export function parseExclusionsFile(data: unknown): ParsedFile {
  const r = ExclusionsFileSchema.safeParse(data, { error: errorMap });
  if (r.success) return { ok: true, file: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => {
      const where = formatPath(i.path);
      return where ? `${where}: ${i.message}` : i.message;
    }),
  };
}
