-- 0005: a tamper-evident audit trail. Triggers alone stop only the careless:
-- whoever holds the database can drop them and rewrite history. So each
-- audit entry now carries a SHA-256 over all its columns and the previous
-- entry's hash (a chain: changing, removing or inserting an entry breaks a
-- link that audit.verify finds), and each report action the SHA-256 of the
-- report version it produced, so versions and reports are checked against the
-- chain too. The encoding is in docs/abi.md (audit.verify).
--
-- PostgreSQL 15 twin of sql/sqlite/0005_audit_chain.sql. The triggers are
-- trigger functions; their conditions are in the function (a trigger's WHEN
-- may not hold a subquery here), and SQLite's IS / IS NOT on values are
-- IS NOT DISTINCT FROM / IS DISTINCT FROM. Entries written before this
-- migration are chained by the plugin at the first open after it, as on SQLite.

ALTER TABLE audit_log ADD COLUMN version_sha256 TEXT COLLATE "C" NOT NULL DEFAULT '';  -- of the version a report action wrote
ALTER TABLE audit_log ADD COLUMN detail TEXT COLLATE "C" NOT NULL DEFAULT '';          -- JSON object, e.g. what a plan import changed
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT COLLATE "C" NOT NULL DEFAULT '';       -- the previous entry's hash (genesis: 64 zeros)
ALTER TABLE audit_log ADD COLUMN hash TEXT COLLATE "C" NOT NULL DEFAULT '';            -- hex SHA-256 of this entry, prev_hash included

-- Which entries predate the chain, and when they were chained (once).
CREATE TABLE audit_chain (
    id               BIGINT  PRIMARY KEY CHECK (id = 1),
    legacy_up_to     BIGINT  NOT NULL,   -- the last audit_log id written before this migration
    legacy_sealed_at TEXT COLLATE "C"    -- when the plugin chained them; NULL until then
);
INSERT INTO audit_chain (id, legacy_up_to) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;

CREATE FUNCTION audit_chain_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit chain''s record is fixed';
END;
$$;
CREATE TRIGGER audit_chain_is_fixed_update BEFORE UPDATE ON audit_chain
    FOR EACH ROW
    WHEN (NOT (OLD.legacy_sealed_at IS NULL AND NEW.legacy_sealed_at IS NOT NULL
               AND NEW.id IS NOT DISTINCT FROM OLD.id
               AND NEW.legacy_up_to IS NOT DISTINCT FROM OLD.legacy_up_to))
    EXECUTE FUNCTION audit_chain_is_fixed();
CREATE TRIGGER audit_chain_is_fixed_delete BEFORE DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_is_fixed();
CREATE TRIGGER audit_chain_is_fixed_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_is_fixed();

-- Still append-only; the one update allowed is chaining an entry written
-- before this migration, once, without changing anything it says.
DROP TRIGGER audit_log_is_append_only_update ON audit_log;
CREATE FUNCTION audit_log_chains_legacy_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hash = '' AND NEW.hash <> ''
       AND OLD.id <= (SELECT legacy_up_to FROM audit_chain)
       AND (SELECT legacy_sealed_at FROM audit_chain) IS NULL
       AND NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.actor IS NOT DISTINCT FROM OLD.actor
       AND NEW.acting_for IS NOT DISTINCT FROM OLD.acting_for
       AND NEW.role IS NOT DISTINCT FROM OLD.role
       AND NEW.action IS NOT DISTINCT FROM OLD.action
       AND NEW.plan_id IS NOT DISTINCT FROM OLD.plan_id
       AND NEW.task_number IS NOT DISTINCT FROM OLD.task_number
       AND NEW.item_number IS NOT DISTINCT FROM OLD.item_number
       AND NEW.department IS NOT DISTINCT FROM OLD.department
       AND NEW.period IS NOT DISTINCT FROM OLD.period
       AND NEW.obligation_id IS NOT DISTINCT FROM OLD.obligation_id
       AND NEW.report_id IS NOT DISTINCT FROM OLD.report_id
       AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
       AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
       AND NEW.from_step IS NOT DISTINCT FROM OLD.from_step
       AND NEW.to_step IS NOT DISTINCT FROM OLD.to_step
       AND NEW.reason IS NOT DISTINCT FROM OLD.reason
       AND NEW.report_version IS NOT DISTINCT FROM OLD.report_version
       AND NEW.detail IS NOT DISTINCT FROM OLD.detail
       AND (NEW.version_sha256 IS NOT DISTINCT FROM OLD.version_sha256
            OR OLD.version_sha256 = '') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chains_legacy_only();

-- Reports and their versions are protected the same way: a version, once
-- written, stays; a report is never deleted and changes only by its next
-- version (the version row and the audit entry come in the same transaction).
CREATE FUNCTION report_versions_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'report versions are append-only';
END;
$$;
CREATE TRIGGER report_versions_are_append_only_update BEFORE UPDATE ON report_versions
    FOR EACH ROW EXECUTE FUNCTION report_versions_are_append_only();
CREATE TRIGGER report_versions_are_append_only_delete BEFORE DELETE ON report_versions
    FOR EACH ROW EXECUTE FUNCTION report_versions_are_append_only();
CREATE TRIGGER report_versions_are_append_only_truncate BEFORE TRUNCATE ON report_versions
    FOR EACH STATEMENT EXECUTE FUNCTION report_versions_are_append_only();

CREATE FUNCTION reports_are_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reports are never deleted';
END;
$$;
CREATE TRIGGER reports_are_never_deleted BEFORE DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_are_never_deleted();
CREATE TRIGGER reports_are_never_truncated BEFORE TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION reports_are_never_deleted();

CREATE FUNCTION reports_change_by_one_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a report changes only by its next version (version + 1)';
END;
$$;
CREATE TRIGGER reports_change_by_one_version BEFORE UPDATE ON reports
    FOR EACH ROW
    WHEN (NEW.version IS DISTINCT FROM OLD.version + 1 OR NEW.id IS DISTINCT FROM OLD.id
          OR NEW.obligation_id IS DISTINCT FROM OLD.obligation_id
          OR NEW.created_at IS DISTINCT FROM OLD.created_at)
    EXECUTE FUNCTION reports_change_by_one_version();
