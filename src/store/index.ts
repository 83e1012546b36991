// The store's public surface.
export { openStore, Store, BUSY_TIMEOUT_MS, type StoreOptions } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { AuditLog, GENESIS_HASH, auditDiff } from './audit.js';
export { transactor, type Tx } from './atomic.js';
export { RunsRepo } from './runs.js';
export { FindingsRepo, type FindingsRepoOptions } from './findings.js';
export { DispositionsRepo } from './dispositions.js';
export { ExclusionsRepo } from './exclusions.js';
export { StatsRepo, type VerdictCount, type RunTally, type StatsSnapshot } from './stats.js';
export { exclusionFingerprint, EXCLUSION_TRANSITIONS, LIVE_STATES } from './exclusionModel.js';
export { assignFindingId, normalizeFindingId, FINDING_ID_LENGTH } from './findingId.js';
export { eventTime, wallTime } from './time.js';
export { canonicalJson } from './canonical.js';
export { migrate, latestVersion } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export * from './types.js';
