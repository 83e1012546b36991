// The cards' public surface: pure functions from views to Adaptive Card JSON, and the verbs and input ids the
// bot's router reads back.
export * from './verbs.js';
export type * from './types.js';
export { CARD_SCHEMA, CARD_VERSION, CHART_COLORS } from './types.js';
export { MAX_CARD_BYTES, cardBytes } from './elements.js';
export { escapeInline, escapeBlock, clip, codeBlock } from './markdown.js';
export { scenarioView, scenarioViews, type ScenarioView } from './scenarios.js';
export { findingCard, type FindingCardOptions } from './finding.js';
export { proposalCard, impactView, type ProposalView, type ImpactView, type ImpactedView } from './proposal.js';
export { bulkCard, type BulkCardInput } from './bulk.js';
export { BULK_PAGE_SIZE, bulkPage, groupFindings, groupKey, pageCountFor, clampPage, type BulkFinding, type BulkGroup, type BulkPage } from './bulkPaging.js';
export { bulkSummaryCard, type BulkSummaryView } from './bulkSummary.js';
export { exclusionsCard, type ExclusionView, type ExclusionsCardInput } from './exclusions.js';
export { huntSummaryCard, type HuntSummaryView } from './hunt.js';
export { statsCard, scenarioLabel, runLabel, STATS_CARD_MAX_RUNS, STATS_CARD_MAX_SCENARIOS } from './stats.js';
export { welcomeCard, helpCard, type CommandHelp } from './welcome.js';
export { noticeCard, type NoticeCardKind } from './notice.js';
export { cardProblems } from './check.js';
