// Widening: when benign dispositions under one scenario, on at least `threshold` distinct devices, learned the
// same value of the same template attribute (the same parent process, account or VPN range), one rule-wide
// exclusion over the shared value(s) can replace the narrow per-device ones. Only the finding's current verdict
// counts (its latest disposition), and only narrow exclusions the wide one fully covers are replaced, so
// nothing a narrow exclusion hid comes back unless its replacement stops covering it (see lifecycle.handOver).
import { resolveTemplate, RulesError, type NamedLists, type Rule, type Scenario } from '../rules/index.js';
import { LIVE_STATES, type Store } from '../store/index.js';
import type { Disposition, Finding } from '../store/types.js';
import { effectiveConditions, type ScopedConditions } from './compile.js';
import { ExclusionError } from './errors.js';
import {
  CASE_INSENSITIVE_OPS, ConditionError, describeCondition, describeConditions, ipv4RangeContains, parseConditions, parseIPv4Range,
  SINGLE_VALUE_OPS, type Condition,
} from './model.js';
import { DEVICE_COLUMNS, findingAttributes, type Candidate } from './propose.js';

export interface SharedValue {
  readonly value: string;
  /** Distinct devices (DeviceId) whose benign dispositions learned this value. */
  readonly devices: readonly string[];
  readonly findingIds: readonly string[];
  readonly dispositionIds: readonly number[];
}

export interface WideningDraft {
  readonly ruleId: string;
  readonly scenario: number;
  /** The template column whose value the devices share. */
  readonly column: string;
  readonly candidate: Candidate;
  readonly shared: readonly SharedValue[];
  readonly sourceDispositionIds: readonly number[];
  /** Live narrow exclusions learned from those findings that the wide one fully covers. */
  readonly replaces: readonly number[];
  readonly explanation: string;
}

interface Evidence {
  finding: Finding;
  disposition: Disposition;
  conditions: Condition[];
}

const fold = (op: string, v: string): string => (CASE_INSENSITIVE_OPS.has(op as Condition['op']) ? v.toLowerCase() : v);

// The benign verdicts of one rule, by scenario, each with the conditions its finding fills the template with.
function evidenceByScenario(store: Store, rule: Rule, lists: NamedLists): Map<number, Evidence[]> {
  const findings = store.findings.list({ ruleId: rule.id });
  const latest = store.dispositions.latestForMany(findings.map((f) => f.id));
  const out = new Map<number, Evidence[]>();
  for (const finding of findings) {
    const d = latest.get(finding.id);
    const scenario = d?.scenario ? rule.scenarios[d.scenario - 1] : undefined;
    if (!d || d.classification !== 'BenignPositive' || !scenario) continue;
    let conditions: Condition[];
    try {
      conditions = resolveTemplate(scenario, findingAttributes(finding), lists);
    } catch (e) {
      if (e instanceof RulesError) continue; // the finding no longer fits its scenario: no evidence for widening
      throw e;
    }
    out.set(scenario.number, [...(out.get(scenario.number) ?? []), { finding, disposition: d, conditions }]);
  }
  return out;
}

function impliesCondition(n: Condition, w: Condition): boolean {
  if (n.column !== w.column) return false;
  if (w.op === 'ipv4_is_in_any_range') {
    if (n.op !== 'ipv4_is_in_any_range') return false;
    // A range lies inside another when it is no wider and its address falls in the other.
    return n.values.every((r) => {
      const inner = parseIPv4Range(r);
      if (!inner) return false;
      const address = [inner.base >>> 24, (inner.base >>> 16) & 255, (inner.base >>> 8) & 255, inner.base & 255].join('.');
      return w.values.some((o) => {
        const outer = parseIPv4Range(o);
        return !!outer && outer.prefix <= inner.prefix && ipv4RangeContains(o, address);
      });
    });
  }
  const sets = ['==', 'in', '=~', 'in~'];
  if (sets.includes(n.op) && sets.includes(w.op)) {
    const wideFolds = CASE_INSENSITIVE_OPS.has(w.op);
    if (!wideFolds && CASE_INSENSITIVE_OPS.has(n.op)) return false;
    const wide = new Set(w.values.map((v) => (wideFolds ? v.toLowerCase() : v)));
    return n.values.every((v) => wide.has(wideFolds ? v.toLowerCase() : v));
  }
  return n.op === w.op && n.values.length === w.values.length && n.values.every((v, i) => v === w.values[i]);
}

/** True when everything `narrow` suppresses, `wide` suppresses too: each wide condition follows from a narrow one. */
export function subsumes(wide: ScopedConditions, narrow: ScopedConditions): boolean {
  const ns = effectiveConditions(narrow);
  return effectiveConditions(wide).every((w) => ns.some((n) => impliesCondition(n, w)));
}

function safeSubsumes(wide: ScopedConditions, narrow: ScopedConditions): boolean {
  try {
    return subsumes(wide, narrow);
  } catch (e) {
    if (e instanceof ExclusionError) return false; // an unreadable stored row is never replaced silently
    throw e;
  }
}

function sharedValues(evidence: readonly Evidence[], at: number, op: string, threshold: number): SharedValue[] {
  const groups = new Map<string, { value: string; devices: Set<string>; findings: string[]; dispositions: number[] }>();
  for (const ev of evidence) {
    for (const v of new Set(ev.conditions[at]!.values.map((x) => fold(op, x)))) {
      const g = groups.get(v) ?? { value: ev.conditions[at]!.values.find((x) => fold(op, x) === v)!, devices: new Set(), findings: [], dispositions: [] };
      g.devices.add(ev.finding.deviceId);
      g.findings.push(ev.finding.id);
      g.dispositions.push(ev.disposition.id);
      groups.set(v, g);
    }
  }
  return [...groups.values()]
    .filter((g) => g.devices.size >= threshold)
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .map((g) => ({ value: g.value, devices: [...g.devices].sort(), findingIds: g.findings, dispositionIds: g.dispositions }));
}

// The wide conditions: the shared values at the grouping position; elsewhere what the contributing findings
// learned (literal template values as they are, learned values united). Null when that cannot be written
// (a one-value operator with several values) or would be refused (empty, RemoteUrl alone).
function wideConditions(scenario: Scenario, contributing: readonly Evidence[], at: number, shared: readonly SharedValue[]): Condition[] | null {
  const out: Condition[] = [];
  for (const [j, t] of scenario.template.entries()) {
    if (DEVICE_COLUMNS.includes(t.column)) continue;
    let values: string[];
    if (j === at) values = shared.map((s) => s.value);
    else {
      const seen = new Map<string, string>();
      for (const ev of contributing) for (const v of ev.conditions[j]!.values) if (!seen.has(fold(t.op, v))) seen.set(fold(t.op, v), v);
      values = [...seen.values()];
    }
    if (SINGLE_VALUE_OPS.has(t.op) && values.length !== 1) return null;
    out.push({ column: t.column, op: t.op, values });
  }
  try {
    return parseConditions(out);
  } catch (e) {
    if (e instanceof ConditionError) return null;
    throw e;
  }
}

function explain(scenario: number, column: string, op: Condition['op'], shared: readonly SharedValue[], candidate: Candidate, replaces: readonly number[], names: ReadonlyMap<string, string>): string {
  const parts = shared.map((s) => {
    const devices = s.devices.map((d) => `${names.get(d) ?? d} (${d})`).join(', ');
    const what = describeCondition({ column, op, values: [s.value] });
    return `${s.dispositionIds.length} benign disposition${s.dispositionIds.length > 1 ? 's' : ''} under scenario ${scenario} on ${s.devices.length} devices (${devices}) ` +
      `learned "${what}" (findings ${s.findingIds.join(', ')}; dispositions ${s.dispositionIds.join(', ')})`;
  });
  const tail = replaces.length ? `; it replaces exclusion${replaces.length > 1 ? 's' : ''} ${replaces.join(', ')}` : '';
  return `${parts.join('; ')}. Proposed for every device: ${describeConditions(candidate.conditions)}${tail}.`;
}

/** The widenings the stored dispositions of a rule support now (before any impact preview). */
export function findWidenings(input: { store: Store; rule: Rule; lists: NamedLists; threshold: number }): WideningDraft[] {
  const { store, rule, threshold } = input;
  const live = store.exclusions.list({ ruleId: rule.id, state: LIVE_STATES });
  const findingOfDisposition = (id: number): string | undefined => store.dispositions.get(id)?.findingId;
  const out: WideningDraft[] = [];
  for (const [number, evidence] of evidenceByScenario(store, rule, input.lists)) {
    const scenario = rule.scenarios[number - 1]!;
    for (const [at, t] of scenario.template.entries()) {
      // A shared domain across devices is the abuse pattern itself, and literal values are shared trivially.
      if (DEVICE_COLUMNS.includes(t.column) || t.column === 'RemoteUrl' || Array.isArray(t.values)) continue;
      const shared = sharedValues(evidence, at, t.op, threshold);
      if (!shared.length) continue;
      const contributing = evidence.filter((ev) => shared.some((s) => s.dispositionIds.includes(ev.disposition.id)));
      const conditions = wideConditions(scenario, contributing, at, shared);
      if (!conditions) continue;
      const candidate: Candidate = { ruleId: rule.id, scope: 'rule', deviceId: null, conditions, scenario: number };
      if (live.some((x) => safeSubsumes(x, candidate))) continue; // already covered
      const findingIds = new Set(contributing.map((ev) => ev.finding.id));
      const replaces = live
        .filter((x) => x.scenario === number && safeSubsumes(candidate, x))
        .filter((x) => store.exclusions.sources(x.id).some((d) => findingIds.has(findingOfDisposition(d) ?? '')))
        .map((x) => x.id);
      const names = new Map(contributing.map((ev) => [ev.finding.deviceId, ev.finding.deviceName]));
      out.push({
        ruleId: rule.id,
        scenario: number,
        column: t.column,
        candidate,
        shared,
        sourceDispositionIds: contributing.map((ev) => ev.disposition.id),
        replaces,
        explanation: explain(number, t.column, t.op, shared, candidate, replaces, names),
      });
    }
  }
  return out;
}
