-- 0005: a tamper-evident audit trail. Triggers alone stop only the careless:
-- whoever holds the database file can drop them and rewrite history. So each
-- audit entry now carries a SHA-256 over all its columns and the previous
-- entry's hash (a chain: changing, removing or inserting an entry breaks a
-- link that audit.verify finds), and each report action the SHA-256 of the
-- report version it produced, so versions and reports are checked against the
-- chain too. The encoding is in docs/abi.md (audit.verify).
--
-- SQLite has no SHA-256, so entries written before this migration are chained
-- by the plugin at the first open after it (storage/audit.cpp), once; until
-- then they have an empty hash.

ALTER TABLE audit_log ADD COLUMN version_sha256 TEXT NOT NULL DEFAULT '';  -- of the version a report action wrote
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';          -- JSON object, e.g. what a plan import changed
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';       -- the previous entry's hash (genesis: 64 zeros)
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';            -- hex SHA-256 of this entry, prev_hash included

-- Which entries predate the chain, and when they were chained (once).
CREATE TABLE audit_chain (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_up_to     INTEGER NOT NULL,   -- the last audit_log id written before this migration
    legacy_sealed_at TEXT                -- when the plugin chained them; NULL until then
);
INSERT INTO audit_chain (id, legacy_up_to) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;

CREATE TRIGGER audit_chain_is_fixed_update BEFORE UPDATE ON audit_chain
WHEN NOT (OLD.legacy_sealed_at IS NULL AND NEW.legacy_sealed_at IS NOT NULL
          AND NEW.id IS OLD.id AND NEW.legacy_up_to IS OLD.legacy_up_to)
BEGIN
    SELECT RAISE(ABORT, 'the audit chain''s record is fixed');
END;
CREATE TRIGGER audit_chain_is_fixed_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit chain''s record is fixed');
END;

-- Still append-only; the one update allowed is chaining an entry written
-- before this migration, once, without changing anything it says.
DROP TRIGGER audit_log_is_append_only_update;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.hash = '' AND NEW.hash <> ''
          AND OLD.id <= (SELECT legacy_up_to FROM audit_chain)
          AND (SELECT legacy_sealed_at FROM audit_chain) IS NULL
          AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor
          AND NEW.acting_for IS OLD.acting_for AND NEW.role IS OLD.role
          AND NEW.action IS OLD.action AND NEW.plan_id IS OLD.plan_id
          AND NEW.task_number IS OLD.task_number AND NEW.item_number IS OLD.item_number
          AND NEW.department IS OLD.department AND NEW.period IS OLD.period
          AND NEW.obligation_id IS OLD.obligation_id AND NEW.report_id IS OLD.report_id
          AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state
          AND NEW.from_step IS OLD.from_step AND NEW.to_step IS OLD.to_step
          AND NEW.reason IS OLD.reason AND NEW.report_version IS OLD.report_version
          AND NEW.detail IS OLD.detail
          AND (NEW.version_sha256 IS OLD.version_sha256 OR OLD.version_sha256 = ''))
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- Reports and their versions are protected the same way: a version, once
-- written, stays; a report is never deleted and changes only by its next
-- version (the version row and the audit entry come in the same transaction).
CREATE TRIGGER report_versions_are_append_only_update BEFORE UPDATE ON report_versions
BEGIN
    SELECT RAISE(ABORT, 'report versions are append-only');
END;
CREATE TRIGGER report_versions_are_append_only_delete BEFORE DELETE ON report_versions
BEGIN
    SELECT RAISE(ABORT, 'report versions are append-only');
END;
CREATE TRIGGER reports_are_never_deleted BEFORE DELETE ON reports
BEGIN
    SELECT RAISE(ABORT, 'reports are never deleted');
END;
CREATE TRIGGER reports_change_by_one_version BEFORE UPDATE ON reports
WHEN NEW.version IS NOT OLD.version + 1 OR NEW.id IS NOT OLD.id
     OR NEW.obligation_id IS NOT OLD.obligation_id OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'a report changes only by its next version (version + 1)');
END;
