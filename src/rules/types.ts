// The shapes of the rule catalogue, as the rest of the product sees them.
import type { z } from 'zod';
import type { RuleFileSchema, ScenarioSchema, TemplateConditionSchema, MappingEntrySchema, LintNoteSchema, ImpliedClauseSchema, TemplateValuesSchema } from './schema.js';

export type { TemplateValueRef } from './schema.js';

/** Finding attributes a template can draw on: the summarized row's keys and the hunt's enrichment sets. */
export const SCALAR_ATTRIBUTES = ['DeviceId', 'DeviceName', 'RemoteUrl'] as const;
export const SET_ATTRIBUTES = ['Processes', 'ParentProcesses', 'Accounts', 'RemoteIPs', 'Companies'] as const;
export const FINDING_ATTRIBUTES = [...SCALAR_ATTRIBUTES, ...SET_ATTRIBUTES] as const;
export type ScalarAttribute = (typeof SCALAR_ATTRIBUTES)[number];
export type SetAttribute = (typeof SET_ATTRIBUTES)[number];
export type FindingAttributeName = (typeof FINDING_ATTRIBUTES)[number];

/** The enrichment column each set attribute is make_set of, for notes and for the hunt builder. */
export const SET_ATTRIBUTE_COLUMNS: Readonly<Record<SetAttribute, string>> = {
  Processes: 'InitiatingProcessFileName',
  ParentProcesses: 'InitiatingProcessParentFileName',
  Accounts: 'InitiatingProcessAccountName',
  RemoteIPs: 'RemoteIP',
  Companies: 'InitiatingProcessVersionInfoCompanyName',
};

export type FindingAttributes = { readonly [K in ScalarAttribute]: string } & { readonly [K in SetAttribute]: readonly string[] };

export type TemplateValues = z.infer<typeof TemplateValuesSchema>;
export type TemplateCondition = z.infer<typeof TemplateConditionSchema>;
export type MappingEntry = z.infer<typeof MappingEntrySchema>;
export type LintNote = z.infer<typeof LintNoteSchema>;
export type ImpliedClause = z.infer<typeof ImpliedClauseSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioScope = Scenario['scope'];
export type RuleFile = z.infer<typeof RuleFileSchema>;

/** A loaded rule: the hunting-query fields, its scenario catalogue, and where it came from. */
export interface Rule {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly requiredDataConnectors: readonly { readonly connectorId: string; readonly dataTypes: readonly string[] }[];
  readonly tactics: readonly string[];
  readonly relevantTechniques: readonly string[];
  readonly query: string;
  readonly impliedClauses: readonly ImpliedClause[];
  readonly scenarios: readonly Scenario[];
  /** The file's basename without extension, e.g. `parsec-network-connection`; accepted by findRule. */
  readonly slug: string;
  readonly file: string;
  /** Other top-level hunting-query fields (version, tags, entityMappings, …), kept for export. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface NamedList {
  readonly name: string;
  readonly description: string;
  readonly kind: 'ipv4' | 'text';
  readonly values: readonly string[];
  readonly file: string;
}

export type NamedLists = ReadonlyMap<string, NamedList>;
