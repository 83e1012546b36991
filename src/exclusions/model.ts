// The exclusion condition model: AND-ed conditions over real DeviceNetworkEvents columns, each with an operator
// whose KQL meaning is exact. The KQL text, the card wording and every export come from this one shape.
import { z } from 'zod';
import { kqlIdentifier, kqlLong, kqlString, kqlStringList } from '../kql/escape.js';
import { deviceNetworkEventsColumns } from '../schema/deviceNetworkEvents.js';

// Positive operators only: an exclusion says what to hide, and a negated one would hide everything else.
export const CONDITION_OPS = [
  '==', '=~', 'in', 'in~', 'has', 'has_any', 'startswith', 'endswith', 'contains', 'ipv4_is_in_any_range',
] as const;
export const ConditionOp = z.enum(CONDITION_OPS);
export type ConditionOp = z.infer<typeof ConditionOp>;

export const SINGLE_VALUE_OPS: ReadonlySet<ConditionOp> = new Set(['==', '=~', 'has', 'startswith', 'endswith', 'contains']);
export const CASE_INSENSITIVE_OPS: ReadonlySet<ConditionOp> = new Set(
  ['=~', 'in~', 'has', 'has_any', 'startswith', 'endswith', 'contains'],
);
export const IP_COLUMNS: readonly string[] = ['RemoteIP', 'LocalIP', 'InitiatingProcessRemoteSessionIP'];
export const HAS_ANY_MAX_VALUES = 10_000;

// An empty needle matches every row for these, which would make the exclusion hide everything it can see.
const NEEDLE_OPS: ReadonlySet<ConditionOp> = new Set(['has', 'has_any', 'startswith', 'endswith', 'contains']);
const INT_RANGE = { int: [-(2n ** 31n), 2n ** 31n - 1n], long: [-(2n ** 63n), 2n ** 63n - 1n] } as const;
const columnTypes = new Map(deviceNetworkEventsColumns.map((c) => [c.name, c.type]));

export interface ConditionProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Everything wrong with a (column, op, values) triple. `values` undefined checks only that the column and the
 * operator fit together, for templates whose values are filled in later.
 */
export function conditionProblems(column: string, op: ConditionOp, values?: readonly string[]): ConditionProblem[] {
  const type = columnTypes.get(column);
  if (type === undefined) return [{ path: ['column'], message: `unknown DeviceNetworkEvents column '${column}'` }];
  const numeric = type === 'int' || type === 'long';
  if (!numeric && type !== 'string') {
    return [{ path: ['column'], message: `column '${column}' is ${type}; conditions compare string, int and long columns only` }];
  }
  if (numeric && op !== '==' && op !== 'in') {
    return [{ path: ['op'], message: `column '${column}' is ${type}: use == or in with whole numbers, not '${op}'` }];
  }
  if (op === 'ipv4_is_in_any_range' && !IP_COLUMNS.includes(column)) {
    return [{ path: ['op'], message: `ipv4_is_in_any_range applies to IP columns only (${IP_COLUMNS.join(', ')}), not '${column}'` }];
  }
  if (values === undefined) return [];
  const out: ConditionProblem[] = [];
  if (SINGLE_VALUE_OPS.has(op) && values.length !== 1) {
    out.push({ path: ['values'], message: `'${op}' takes exactly one value, got ${values.length}` });
  } else if (values.length === 0) {
    out.push({ path: ['values'], message: `'${op}' takes at least one value` });
  } else if (op === 'has_any' && values.length > HAS_ANY_MAX_VALUES) {
    out.push({ path: ['values'], message: `has_any takes at most ${HAS_ANY_MAX_VALUES} values, got ${values.length}` });
  }
  values.forEach((v, i) => {
    const problem = valueProblem(v, op, numeric ? (type as 'int' | 'long') : undefined);
    if (problem) out.push({ path: ['values', i], message: problem });
  });
  return out;
}

/** What makes `v` unusable as any value (control characters, broken UTF-16), or undefined. */
export function textValueProblem(v: string): string | undefined {
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(v);
  if (control) return `control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed (only tab and newline)`;
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v)) return 'unpaired UTF-16 surrogate is not allowed';
  return undefined;
}

function valueProblem(v: string, op: ConditionOp, numeric: 'int' | 'long' | undefined): string | undefined {
  const text = textValueProblem(v);
  if (text) return text;
  if (numeric) {
    if (!/^-?(0|[1-9][0-9]*)$/.test(v)) return `${JSON.stringify(v)} is not a whole number`;
    const n = BigInt(v);
    const [lo, hi] = INT_RANGE[numeric];
    if (n < lo || n > hi) return `${v} is out of range for ${numeric}`;
    return undefined;
  }
  if (op === 'ipv4_is_in_any_range' && !parseIPv4Range(v)) return `${JSON.stringify(v)} is not an IPv4 address or CIDR range`;
  if (NEEDLE_OPS.has(op) && v === '') return `an empty value would match every row with '${op}'`;
  return undefined;
}

/** Formats a zod-style path as `scenarios[2].template[0].column`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

export const Condition = z
  .strictObject({ column: z.string(), op: ConditionOp, values: z.array(z.string()) })
  .superRefine((c, ctx) => {
    for (const p of conditionProblems(c.column, c.op, c.values)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type Condition = z.infer<typeof Condition>;

/** True when every condition is on RemoteUrl: such an exclusion would hide real abuse of the same domain. */
export function onlyRemoteUrl(conditions: readonly { column: string }[]): boolean {
  return conditions.every((c) => c.column === 'RemoteUrl');
}

export const REMOTE_URL_ONLY_MESSAGE =
  'needs a condition on a column other than RemoteUrl (an exclusion on RemoteUrl alone would hide real abuse of the same domain)';

/** A whole exclusion: at least one condition, and never RemoteUrl alone. */
export const ExclusionConditions = z
  .array(Condition)
  .min(1, 'an exclusion needs at least one condition')
  .superRefine((cs, ctx) => {
    if (cs.length > 0 && onlyRemoteUrl(cs)) ctx.addIssue({ code: 'custom', message: REMOTE_URL_ONLY_MESSAGE });
  });

export class ConditionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems[0]} (and ${problems.length - 1} more)`);
    this.name = 'ConditionError';
  }
}

function zodProblems(op: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = formatPath(i.path);
    return `${op}: ${where ? `${where}: ` : ''}${i.message}`;
  });
}

/** Validates one condition from an untrusted source; throws ConditionError naming the path and reason. */
export function parseCondition(input: unknown): Condition {
  const r = Condition.safeParse(input);
  if (!r.success) throw new ConditionError(zodProblems('condition', r.error));
  return r.data;
}

/** Validates a whole exclusion's conditions (see ExclusionConditions). */
export function parseConditions(input: unknown): Condition[] {
  const r = ExclusionConditions.safeParse(input);
  if (!r.success) throw new ConditionError(zodProblems('conditions', r.error));
  return r.data;
}

export function isNumericColumn(column: string): boolean {
  const t = columnTypes.get(column);
  return t === 'int' || t === 'long';
}

/** KQL for one condition, built only from the escaping helpers. */
export function compileCondition(c: Condition): string {
  const { column, op, values } = parseCondition(c);
  const col = kqlIdentifier(column);
  if (isNumericColumn(column)) {
    const nums = values.map((v) => kqlLong(BigInt(v)));
    return op === '==' ? `${col} == ${nums[0]}` : `${col} in (${nums.join(', ')})`;
  }
  // ipv4_is_in_any_range is null for an empty or non-IPv4 address, and `not(null)` drops the row: without the
  // coalesce an exclusion would silently hide every event whose RemoteIP is empty or IPv6.
  if (op === 'ipv4_is_in_any_range') return `coalesce(ipv4_is_in_any_range(${col}, ${values.map(kqlString).join(', ')}), false)`;
  if (SINGLE_VALUE_OPS.has(op)) return `${col} ${op} ${kqlString(values[0])}`;
  return `${col} ${op} ${kqlStringList(values)}`;
}

/** The AND of the conditions, each parenthesized, ready to sit inside `where not(...)`. */
export function compileConditions(conditions: readonly Condition[]): string {
  if (conditions.length === 0) throw new ConditionError(['conditions: an exclusion needs at least one condition']);
  return conditions.map((c) => `(${compileCondition(c)})`).join(' and ');
}

const COLUMN_LABELS: Readonly<Record<string, string>> = {
  DeviceId: 'device id',
  DeviceName: 'device name',
  ActionType: 'action type',
  RemoteIP: 'remote IP',
  RemotePort: 'remote port',
  RemoteUrl: 'remote URL',
  LocalIP: 'local IP',
  LocalPort: 'local port',
  Protocol: 'protocol',
  InitiatingProcessFileName: 'process',
  InitiatingProcessFolderPath: 'process folder',
  InitiatingProcessCommandLine: 'process command line',
  InitiatingProcessVersionInfoCompanyName: 'process company',
  InitiatingProcessParentFileName: 'parent process',
  InitiatingProcessAccountName: 'account',
  InitiatingProcessAccountDomain: 'account domain',
  InitiatingProcessAccountUpn: 'account UPN',
  InitiatingProcessRemoteSessionIP: 'remote session IP',
  InitiatingProcessRemoteSessionDeviceName: 'remote session device',
  ReportId: 'report id',
};

const SHOWN_VALUES = 10;

// Plain where that reads unambiguously; quoted where a comma, quote, space or control character would blur it.
function shown(v: string): string {
  return v === '' || /[\s,"'\\]|[^\u0020-\u007e\u00a0-\uffff]/.test(v) ? JSON.stringify(v) : v;
}

function shownList(values: readonly string[]): string {
  const head = values.slice(0, SHOWN_VALUES).map(shown).join(', ');
  return values.length > SHOWN_VALUES ? `${head} … and ${values.length - SHOWN_VALUES} more` : head;
}

/** Card wording, e.g. "parent process is one of msiexec.exe, setup.exe (case-insensitive)". */
export function describeCondition(c: Condition): string {
  const { column, op, values } = parseCondition(c);
  const label = COLUMN_LABELS[column] ?? column;
  const one = values.length === 1;
  const list = shownList(values);
  const caseNote = isNumericColumn(column) ? '' : CASE_INSENSITIVE_OPS.has(op) ? ' (case-insensitive)' : ' (case-sensitive)';
  switch (op) {
    case '==':
    case '=~':
      return `${label} is ${list}${caseNote}`;
    case 'in':
    case 'in~':
      return `${label} is ${one ? '' : 'one of '}${list}${caseNote}`;
    case 'has':
      return `${label} has the whole term ${list}${caseNote}`;
    case 'has_any':
      return `${label} has ${one ? 'the whole term' : 'any of the whole terms'} ${list}${caseNote}`;
    case 'startswith':
      return `${label} starts with ${list}${caseNote}`;
    case 'endswith':
      return `${label} ends with ${list}${caseNote}`;
    case 'contains':
      return `${label} contains ${list}${caseNote}`;
    case 'ipv4_is_in_any_range':
      return `${label} is in ${one ? '' : 'any of '}${list}`;
  }
}

export function describeConditions(conditions: readonly Condition[]): string {
  return conditions.map(describeCondition).join(' and ');
}

// --- IPv4, for validating ranges and for matching a finding's addresses against configured subnets ---

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The address as an unsigned 32-bit number, or undefined when `s` is not a dotted-quad IPv4 address. */
export function parseIPv4(s: string): number | undefined {
  const m = IPV4_RE.exec(s);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** `a.b.c.d` or `a.b.c.d/p` (p 0..32); a bare address is a /32, as Kusto reads it. */
export function parseIPv4Range(s: string): { base: number; prefix: number } | undefined {
  const slash = s.indexOf('/');
  const addr = parseIPv4(slash < 0 ? s : s.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { base: addr, prefix: 32 };
  const p = s.slice(slash + 1);
  if (!/^(3[0-2]|[12]?[0-9])$/.test(p)) return undefined;
  return { base: addr, prefix: Number(p) };
}

export function ipv4RangeContains(range: string, ip: string): boolean {
  const r = parseIPv4Range(range);
  const a = parseIPv4(ip);
  if (!r || a === undefined) return false;
  const mask = r.prefix === 0 ? 0 : (0xffffffff << (32 - r.prefix)) >>> 0;
  return ((a & mask) >>> 0) === ((r.base & mask) >>> 0);
}
