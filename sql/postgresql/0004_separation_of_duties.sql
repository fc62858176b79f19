-- 0004: the separation of duties (四眼原则) — who has acted at which step of
-- each report, one "step<TAB>person" line each, in the order they first acted.
-- Nobody may act at two steps of one report; the approval engine decides on it.
--
-- PostgreSQL 15 twin of sql/sqlite/0004_separation_of_duties.sql
-- (string_agg for group_concat, chr for char).

ALTER TABLE reports ADD COLUMN step_actors TEXT COLLATE "C" NOT NULL DEFAULT '';

-- Reports under way when this migration runs: taken from their audit trail.
-- A withdraw is an act of the step it came back to; a report's first draft
-- has no step before it and belongs to the drafting step ('draft' in the
-- registered workflow).
UPDATE reports SET step_actors = COALESCE((
    SELECT string_agg(entry, chr(10) ORDER BY first_id) FROM (
        SELECT CASE
                   WHEN a.action = 'withdraw' THEN a.to_step
                   WHEN a.from_step = '' THEN 'draft'
                   ELSE a.from_step
               END || chr(9) || a.actor AS entry,
               MIN(a.id) AS first_id
        FROM audit_log a
        WHERE a.report_id = reports.id
          AND a.action IN ('save_draft', 'submit', 'approve', 'return', 'withdraw', 'hand_over',
                           'file')
        GROUP BY entry) AS acts), '')
WHERE state <> 'filed';
