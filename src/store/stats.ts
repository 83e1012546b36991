// Read-only aggregates for the `stats` view: each finding's current verdict (its latest disposition), how many
// dispositions were ever recorded, and what each recorded hunt run found. Every query is scoped to one rule and
// bounded, so the view costs the same on a database that has kept years of runs.
import type Database from 'better-sqlite3';
import type { FindingsRepo } from './findings.js';
import type { Classification, FindingState, RunStatus } from './types.js';

/** How many findings' latest disposition is this classification (and, for BenignPositive, this scenario). */
export interface VerdictCount {
  classification: Classification;
  /** The scenario number of a BenignPositive verdict; null for the others and for benign without a scenario. */
  scenario: number | null;
  findings: number;
}

/** What one finished run found. */
export interface RunTally {
  runId: number;
  startedAt: string;
  status: Extract<RunStatus, 'ok' | 'partial'>;
  /** The summarized rows the query returned, as the run recorded it. */
  rowCount: number | null;
  /** Findings the run saw (merged), new or not. */
  findings: number;
  /** Findings this run created. */
  created: number;
  /** Closed findings this run reopened as recurring, because it saw newer events. */
  reopened: number;
}

export interface StatsSnapshot {
  findings: Record<FindingState, number>;
  /** Each finding counted once, under its latest disposition; findings never marked are absent. */
  verdicts: VerdictCount[];
  /** Every disposition row for the rule's findings, re-marks included. */
  dispositionRecords: number;
  /** The last few runs that finished with results (ok or partial), oldest first. */
  runs: RunTally[];
  /** How many runs finished with results, in all. */
  finishedRuns: number;
}

interface RunTallyRow {
  id: number;
  started_at: string;
  status: RunTally['status'];
  row_count: number | null;
  findings: number;
  created: number;
  reopened: number;
}

// Only runs that finished with results: a failed run looked at nothing, so charting it as "0 findings" would
// read as an all-clear; a running one is not done counting.
const FINISHED = "r.status IN ('ok', 'partial')";

export class StatsRepo {
  private readonly latest: Database.Statement<{ ruleId: string }, { classification: Classification; scenario: number | null; n: number }>;
  private readonly records: Database.Statement<{ ruleId: string }, { n: number }>;
  private readonly recent: Database.Statement<{ ruleId: string; limit: number }, RunTallyRow>;
  private readonly finished: Database.Statement<{ ruleId: string }, { n: number }>;
  private readonly read: <T>(fn: () => T) => T;

  constructor(
    db: Database.Database,
    private readonly findingsRepo: FindingsRepo,
  ) {
    // max(id) per finding is its latest disposition (ids are AUTOINCREMENT, so they follow insertion order);
    // the (finding_id, id) index answers it without sorting.
    this.latest = db.prepare(
      `SELECT d.classification, d.scenario, count(*) AS n
         FROM dispositions d
         JOIN (SELECT max(x.id) AS id FROM dispositions x JOIN findings f ON f.id = x.finding_id
                WHERE f.rule_id = @ruleId GROUP BY x.finding_id) m ON m.id = d.id
        GROUP BY d.classification, d.scenario`,
    );
    this.records = db.prepare(
      'SELECT count(*) AS n FROM dispositions x JOIN findings f ON f.id = x.finding_id WHERE f.rule_id = @ruleId',
    );
    // Per run: the findings it saw (finding_runs), those it created (findings.created_run_id), and those it
    // reopened. A reopen is kept nowhere but the audit log: the merge writes a 'finding.reopen' entry whose
    // `after` carries the reopening run's id as lastRunId (a manual reopen leaves lastRunId alone, so it is not
    // counted). Each sub-query starts from the run's own finding_runs rows and reaches findings and audit_log
    // through their indexes, so the cost follows the run's size, not the database's (CROSS JOIN pins that
    // order: left to itself, SQLite walks every finding entry of the audit log instead).
    this.recent = db.prepare(
      `SELECT r.id, r.started_at, r.status, r.row_count,
          (SELECT count(*) FROM finding_runs fr WHERE fr.run_id = r.id) AS findings,
          (SELECT count(*) FROM finding_runs fr JOIN findings f ON f.id = fr.finding_id
            WHERE fr.run_id = r.id AND f.created_run_id = r.id) AS created,
          (SELECT count(DISTINCT fr.finding_id) FROM finding_runs fr
             CROSS JOIN audit_log a ON a.entity = 'finding' AND a.entity_id = fr.finding_id
            WHERE fr.run_id = r.id AND a.action = 'finding.reopen'
              AND json_extract(a.after, '$.lastRunId') = r.id) AS reopened
         FROM runs r
        WHERE r.rule_id = @ruleId AND ${FINISHED}
        ORDER BY r.id DESC LIMIT @limit`,
    );
    this.finished = db.prepare(`SELECT count(*) AS n FROM runs r WHERE r.rule_id = @ruleId AND ${FINISHED}`);
    // A deferred (read) transaction: a consistent WAL snapshot without taking the write lock. Inside an open
    // transaction the reads simply join it (as atomic.ts does for writes).
    const begin = db.transaction((fn: () => unknown) => fn()).deferred;
    this.read = <T>(fn: () => T): T => (db.inTransaction ? fn() : (begin(fn) as T));
  }

  /**
   * Everything the view shows for one rule, read in one transaction so the numbers agree with each other even
   * while another process (the CLI, a scheduled hunt) writes. `runLimit` bounds the runs returned.
   */
  snapshot(ruleId: string, runLimit: number): StatsSnapshot {
    return this.read(() => ({
      findings: this.findingsRepo.countByState(ruleId),
      verdicts: this.latest.all({ ruleId }).map((r) => ({ classification: r.classification, scenario: r.scenario, findings: r.n })),
      dispositionRecords: this.records.get({ ruleId })?.n ?? 0,
      runs: this.recentRuns(ruleId, runLimit),
      finishedRuns: this.finished.get({ ruleId })?.n ?? 0,
    }));
  }

  /** Oldest first. */
  private recentRuns(ruleId: string, limit: number): RunTally[] {
    const rows = this.recent.all({ ruleId, limit: Math.max(0, Math.floor(limit)) });
    return rows.reverse().map((r) => ({
      runId: r.id,
      startedAt: r.started_at,
      status: r.status,
      rowCount: r.row_count,
      findings: r.findings,
      created: r.created,
      reopened: r.reopened,
    }));
  }
}
