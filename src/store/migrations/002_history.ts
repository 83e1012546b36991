// Run history: which runs saw which finding (with that run's count), per-run exclusion hit counts, and the
// event time a closed finding was judged at, which is what reopening compares against. Also the indexes the
// finding filters use.
import type { Migration } from './types.js';

export const m002History: Migration = {
  version: 2,
  name: 'history',
  up(db) {
    db.exec(`
      CREATE TABLE finding_runs (
        finding_id TEXT NOT NULL REFERENCES findings (id),
        run_id     INTEGER NOT NULL REFERENCES runs (id),
        count      INTEGER NOT NULL CHECK (count >= 0),
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL,
        PRIMARY KEY (finding_id, run_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX finding_runs_run ON finding_runs (run_id);

      CREATE TABLE exclusion_hits (
        run_id       INTEGER NOT NULL REFERENCES runs (id),
        exclusion_id INTEGER NOT NULL REFERENCES exclusions (id),
        hits         INTEGER NOT NULL CHECK (hits >= 0),
        PRIMARY KEY (run_id, exclusion_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX exclusion_hits_exclusion ON exclusion_hits (exclusion_id, run_id);

      ALTER TABLE findings ADD COLUMN closed_last_seen TEXT;
      -- a closed finding was judged at its latest disposition's view of lastSeen, else at its lastSeen
      UPDATE findings SET closed_last_seen = coalesce(
        (SELECT d.finding_last_seen_at_time FROM dispositions d
          WHERE d.finding_id = findings.id AND findings.closed_reason = 'disposition'
          ORDER BY d.id DESC LIMIT 1),
        last_seen)
      WHERE state = 'closed';

      CREATE INDEX findings_device ON findings (device_id);
      CREATE INDEX findings_remote_url ON findings (remote_url COLLATE NOCASE);
      CREATE INDEX findings_state_last_seen ON findings (state, last_seen);
      CREATE INDEX dispositions_bulk ON dispositions (bulk_id) WHERE bulk_id IS NOT NULL;
    `);
  },
};
