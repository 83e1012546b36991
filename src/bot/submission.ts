// Card submissions are untrusted input: whatever the client merged into an Action.Execute's data (or an
// Action.Submit's value) is checked here before any handler sees it. The verb picks the schema; ids, versions
// and input values are validated, and toggles and numbers arrive as strings, as Teams and the playground send
// them. A failure says which field was wrong, never echoing more than a short piece of the value.
import { z } from 'zod';
import {
  ALL_VERBS, CLASSIFICATIONS, COMMENT_MAX_LENGTH, EXTEND_DAYS_MAX, EXTEND_DAYS_MIN, FP_REASONS, GROUP_BYS, SCOPES, TOGGLE_OFF,
  TOGGLE_ON, VERBS, type Verb,
} from './cards/verbs.js';

/** Clients leave an empty Input.Text out, but some send "" for an untouched ChoiceSet: both mean "not given". */
const blank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const wholeNumber = (min: number, max: number) =>
  z.union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number)]).pipe(z.number().int().min(min).max(max));

// Finding ids are Crockford base32 (8+ characters); a little slack, never markup or paths.
const findingId = z.string().trim().regex(/^[0-9A-Za-z]{4,40}$/, 'is not a finding id');
const version = wholeNumber(0, Number.MAX_SAFE_INTEGER);
const exclusionId = wholeNumber(1, Number.MAX_SAFE_INTEGER);

const toggle = z
  .union([z.boolean(), z.enum([TOGGLE_ON, TOGGLE_OFF])])
  .transform((v) => v === true || v === TOGGLE_ON);

const comment = optional(z.string().trim().max(COMMENT_MAX_LENGTH, `is over ${COMMENT_MAX_LENGTH} characters`));
const scenario = optional(wholeNumber(1, 99));
const scope = optional(z.enum(SCOPES));
const groupBy = z.preprocess(blank, z.enum(GROUP_BYS).default('url'));
const page = z.preprocess(blank, wholeNumber(1, 100_000).default(1));
const filter = optional(z.string().trim().max(300, 'is over 300 characters'));

/** A multi-select ChoiceSet sends "a,b,c"; an array is accepted too. */
const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(findingId).min(1, 'select at least one finding').max(500, 'select at most 500 findings at once'));

const finding = { findingId, version };
const exclusion = { exclusionId, version };

const schemas = {
  [VERBS.findingBenign]: z.object({ ...finding, scenario, exclude: toggle.default(false), scope, comment }),
  [VERBS.findingTp]: z.object({ ...finding, comment }),
  [VERBS.findingFp]: z.object({ ...finding, fpReason: optional(z.enum(FP_REASONS)), comment }),
  [VERBS.findingUndetermined]: z.object({ ...finding, comment }),
  [VERBS.findingSkip]: z.object({ findingId, version: version.optional() }),
  [VERBS.findingRefresh]: z.object({ findingId }),
  [VERBS.triageNext]: z.object({}),
  [VERBS.huntRun]: z.object({}),
  [VERBS.bulkOpen]: z.object({ groupBy, page, filter }),
  [VERBS.bulkSubmit]: z.object({
    groupBy,
    page,
    filter,
    selected: idList,
    classification: z.enum(CLASSIFICATIONS),
    scenario,
    exclude: toggle.default(false),
    scope,
    fpReason: optional(z.enum(FP_REASONS)),
    comment,
    versions: z.record(findingId, version).optional(),
  }),
  [VERBS.exclusionApprove]: z.object({ ...exclusion, tpOverrideReason: optional(z.string().trim().max(500, 'is over 500 characters')) }),
  [VERBS.exclusionReject]: z.object({ ...exclusion, comment }),
  [VERBS.exclusionRevoke]: z.object({ ...exclusion, comment }),
  [VERBS.exclusionExtend]: z.object({ ...exclusion, days: z.preprocess(blank, wholeNumber(EXTEND_DAYS_MIN, EXTEND_DAYS_MAX).default(30)) }),
  [VERBS.exclusionsOpen]: z.object({}),
  [VERBS.help]: z.object({}),
} satisfies Record<Verb, z.ZodType>;

type Schemas = typeof schemas;
/** A validated submission: the verb and its typed fields. */
export type Submission = { [V in Verb]: { readonly verb: V } & z.output<Schemas[V]> }[Verb];
export type SubmissionOf<V extends Verb> = Extract<Submission, { verb: V }>;

export type ParsedSubmission =
  | { readonly ok: true; readonly submission: Submission }
  | { readonly ok: false; readonly problem: 'unknown-verb' | 'invalid'; readonly verb: string | undefined; readonly message: string };

const isVerb = (v: unknown): v is Verb => typeof v === 'string' && (ALL_VERBS as readonly string[]).includes(v);

function shortValue(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  const cut = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return typeof v === 'string' ? JSON.stringify(cut) : cut;
}

/**
 * Validates one submission. `verb` is the Action.Execute verb when there is one (it wins over data.verb, which
 * is what an Action.Submit carries).
 */
export function parseSubmission(data: unknown, verb?: unknown): ParsedSubmission {
  const fields = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const named = verb ?? fields.verb;
  if (!isVerb(named)) {
    return { ok: false, problem: 'unknown-verb', verb: typeof named === 'string' ? named : undefined, message: `card action: unknown verb ${shortValue(named ?? null)}` };
  }
  const res = (schemas[named] as z.ZodType).safeParse(fields);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const path = issue.path.join('.') || '(data)';
    const given = issue.path.length ? fields[String(issue.path[0])] : undefined;
    const shown = given === undefined ? 'missing' : `${shortValue(given)}`;
    return { ok: false, problem: 'invalid', verb: named, message: `card action ${named}: ${path} ${shown}: ${issue.message}` };
  }
  return { ok: true, submission: { ...(res.data as object), verb: named } as Submission };
}
