// The first schema: runs, findings, dispositions, exclusions (with the dispositions they came from) and the
// audit log. Dispositions and the audit log are append-only at the database level.
//
// Foreign keys are: still enforced (a violation fails the COMMIT and rolls the
// whole transaction back), but a statement no longer needs its own statement journal for them. With an
// immediate key, every UPDATE inside a savepoint (each nested repository call opens one) in a WAL file cost
// ~100 µs instead of ~2 µs, which made a 10,000-finding bulk mark take seconds. Repositories check references
// themselves first, so callers get a clear error rather than the bare "FOREIGN KEY constraint failed".
import type { Migration } from './types.js';

export const m001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id       TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        window_start  TEXT NOT NULL,
        window_end    TEXT NOT NULL,
        source        TEXT NOT NULL CHECK (source IN ('local', 'log-analytics')),
        source_detail TEXT NOT NULL DEFAULT '',
        kql           TEXT NOT NULL,
        row_count     INTEGER CHECK (row_count IS NULL OR row_count >= 0),
        status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'partial', 'failed')),
        error         TEXT,
        warnings      TEXT NOT NULL DEFAULT '[]' CHECK (json_type(warnings) = 'array'),
        CHECK ((status = 'running') = (finished_at IS NULL))
      ) STRICT;
      CREATE INDEX runs_rule_started ON runs (rule_id, started_at);

      CREATE TABLE exclusions (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id            TEXT NOT NULL,
        scope              TEXT NOT NULL CHECK (scope IN ('device', 'rule')),
        device_id          TEXT,
        conditions         TEXT NOT NULL CHECK (json_type(conditions) = 'array'),
        scenario           INTEGER CHECK (scenario IS NULL OR scenario >= 1),
        state              TEXT NOT NULL CHECK (state IN ('proposed', 'active', 'expired', 'revoked', 'rejected')),
        author             TEXT NOT NULL CHECK (author <> ''),
        approver           TEXT,
        created_at         TEXT NOT NULL,
        activated_at       TEXT,
        expires_at         TEXT,
        revoked_at         TEXT,
        rejected_at        TEXT,
        expired_at         TEXT,
        ended_by           TEXT,
        end_comment        TEXT,
        comment            TEXT,
        tp_override_reason TEXT,
        replaces           TEXT NOT NULL DEFAULT '[]' CHECK (json_type(replaces) = 'array'),
        fingerprint        TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        version            INTEGER NOT NULL DEFAULT 1,
        CHECK ((scope = 'device') = (device_id IS NOT NULL)),
        -- a rule-wide exclusion with no condition would hide every finding of the rule
        CHECK (scope = 'device' OR json_array_length(conditions) > 0),
        CHECK (state NOT IN ('active', 'expired', 'revoked') OR (approver IS NOT NULL AND activated_at IS NOT NULL)),
        CHECK (state <> 'revoked' OR revoked_at IS NOT NULL),
        CHECK (state <> 'rejected' OR rejected_at IS NOT NULL),
        CHECK (state <> 'expired' OR expired_at IS NOT NULL)
      ) STRICT;
      -- one live (proposed or active) exclusion per identity; ended ones stay as history
      CREATE UNIQUE INDEX exclusions_live_fingerprint ON exclusions (fingerprint) WHERE state IN ('proposed', 'active');
      CREATE INDEX exclusions_rule_state ON exclusions (rule_id, state);
      CREATE INDEX exclusions_fingerprint ON exclusions (fingerprint);

      CREATE TABLE findings (
        id                     TEXT PRIMARY KEY,
        rule_id                TEXT NOT NULL,
        device_id              TEXT NOT NULL,
        remote_url             TEXT NOT NULL,
        device_name            TEXT NOT NULL,
        device_names           TEXT NOT NULL CHECK (json_type(device_names) = 'array'),
        first_seen             TEXT NOT NULL,
        last_seen              TEXT NOT NULL,
        report_ids             TEXT NOT NULL CHECK (json_type(report_ids) = 'array'),
        count                  INTEGER NOT NULL CHECK (count >= 0),
        enrichment             TEXT NOT NULL CHECK (json_type(enrichment) = 'object'),
        state                  TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'recurring', 'closed')),
        closed_reason          TEXT CHECK (closed_reason IN ('disposition', 'exclusion')),
        closed_by_exclusion_id INTEGER REFERENCES exclusions (id),
        closed_at              TEXT,
        created_run_id         INTEGER REFERENCES runs (id),
        last_run_id            INTEGER REFERENCES runs (id),
        created_at             TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        version                INTEGER NOT NULL DEFAULT 1,
        -- exact, case-sensitive values: Kusto's summarize groups that way
        UNIQUE (rule_id, device_id, remote_url),
        CHECK (first_seen <= last_seen),
        CHECK ((state = 'closed') = (closed_reason IS NOT NULL)),
        CHECK (closed_reason IS NOT 'exclusion' OR closed_by_exclusion_id IS NOT NULL),
        CHECK (closed_by_exclusion_id IS NULL OR closed_reason = 'exclusion')
      ) STRICT;
      CREATE INDEX findings_rule_state ON findings (rule_id, state);

      CREATE TABLE dispositions (
        id                        INTEGER PRIMARY KEY AUTOINCREMENT,
        finding_id                TEXT NOT NULL REFERENCES findings (id),
        classification            TEXT NOT NULL,
        reason                    TEXT,
        scenario                  INTEGER
          CHECK (scenario IS NULL OR (scenario >= 1 AND classification = 'BenignPositive')),
        comment                   TEXT,
        analyst_id                TEXT NOT NULL CHECK (analyst_id <> ''),
        analyst_name              TEXT,
        created_at                TEXT NOT NULL,
        finding_last_seen_at_time TEXT NOT NULL,
        bulk_id                   TEXT,
        -- Sentinel's classification / classificationReason pairs
        CHECK (CASE classification
          WHEN 'TruePositive'   THEN reason IS 'SuspiciousActivity'
          WHEN 'BenignPositive' THEN reason IS 'SuspiciousButExpected'
          WHEN 'FalsePositive'  THEN coalesce(reason IN ('IncorrectAlertLogic', 'InaccurateData'), 0)
          WHEN 'Undetermined'   THEN reason IS NULL
          ELSE 0 END)
      ) STRICT;
      CREATE INDEX dispositions_finding ON dispositions (finding_id, id);
      CREATE TRIGGER dispositions_no_update BEFORE UPDATE ON dispositions
        BEGIN SELECT RAISE(ABORT, 'dispositions are append-only'); END;
      CREATE TRIGGER dispositions_no_delete BEFORE DELETE ON dispositions
        BEGIN SELECT RAISE(ABORT, 'dispositions are append-only'); END;

      CREATE TABLE exclusion_sources (
        exclusion_id   INTEGER NOT NULL REFERENCES exclusions (id),
        disposition_id INTEGER NOT NULL REFERENCES dispositions (id),
        PRIMARY KEY (exclusion_id, disposition_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX exclusion_sources_disposition ON exclusion_sources (disposition_id);

      CREATE TABLE audit_log (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL CHECK (actor <> ''),
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        entity_id TEXT,
        before    TEXT,
        after     TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
