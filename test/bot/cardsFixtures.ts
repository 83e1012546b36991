// Shared by the card tests: the real rule's scenarios, finding and exclusion views, and walkers over card JSON.
import { fileURLToPath } from 'node:url';
import { loadRules } from '../../src/rules/index.js';
import { scenarioViews, type ScenarioView } from '../../src/bot/cards/index.js';
import type { FindingView } from '../../src/triage/findingView.js';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const RULES = loadRules(root('data/rules'), root('data/lists'));
export const SCENARIOS: ScenarioView[] = scenarioViews(RULES[0]!.scenarios);

export function openView(over: Partial<FindingView> = {}): FindingView {
  return {
    id: '7K3M9Q2XHA',
    DeviceId: 'd0c0ffee0123456789abcdef0123456789abcdef',
    DeviceName: 'wks-042.corp.contoso.com',
    RemoteUrl: 'kessel-ws.parsec.app',
    FirstSeen: '2026-11-28T09:15:02.123Z',
    LastSeen: '2026-11-30T17:44:10Z',
    Report: [88885, 89201, 89202, 89300, 89301, 89400, 89401],
    Count: 14,
    Processes: ['parsecd.exe', 'pservice.exe'],
    ParentProcesses: ['services.exe'],
    Accounts: ['svc_parsec', 'alice'],
    RemoteIPs: ['203.0.113.5', '2001:db8::1'],
    Companies: ['Parsec Cloud, Inc.'],
    DeviceNames: ['wks-042.corp.contoso.com'],
    ruleId: RULES[0]!.id,
    state: 'open',
    closedBy: null,
    version: 3,
    disposition: null,
    ...over,
  };
}

export type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object in the card, depth first (elements, actions, fallbacks, sub-cards, choices, facts). */
export function nodes(value: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(value)) for (const v of value) nodes(v, out);
  else if (isObject(value)) {
    out.push(value);
    for (const v of Object.values(value)) nodes(v, out);
  }
  return out;
}

/** Actions a user can press (fallbacks and refresh excluded). */
export function actions(card: unknown): Json[] {
  const all = nodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Action.'));
  const fallbacks = new Set(all.map((a) => a.fallback).filter(isObject));
  const refresh = isObject(card) && isObject(card.refresh) ? card.refresh.action : undefined;
  return all.filter((a) => !fallbacks.has(a) && a !== refresh);
}

export const executes = (card: unknown): Json[] => actions(card).filter((a) => a.type === 'Action.Execute');
export const verbs = (card: unknown): string[] => executes(card).map((a) => (a.data as Json).verb as string);
export const inputs = (card: unknown): Json[] => nodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.'));
export const inputIds = (card: unknown): string[] => inputs(card).map((i) => i.id as string);
export const input = (card: unknown, id: string): Json => {
  const found = inputs(card).find((i) => i.id === id);
  if (!found) throw new Error(`no input ${id}`);
  return found;
};

/** Every string a host renders as markdown: TextBlock texts and fact titles and values. */
export function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  for (const n of nodes(card)) {
    if (n.type === 'TextBlock') out.push(n.text as string);
    if (n.type === 'FactSet') for (const f of n.facts as Json[]) out.push(f.title as string, f.value as string);
  }
  return out;
}

export const allText = (card: unknown): string => markdownTexts(card).join('\n');

/** Strips CommonMark backslash escapes: what a renderer shows for escaped text. */
export const unescape = (s: string): string => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
