-- 0009: a big plan import writes in slices (issue 11, item 4), so that other
-- writers wait for at most one slice instead of for the whole import. A new
-- plan is written into a plan row that reads do not see until the import's
-- last slice clears importing_until; until then it is the import's lease, in
-- milliseconds since the epoch by the wall clock, renewed as the import goes.
-- A row whose lease has run out belongs to an import that failed or whose
-- process died: the next start or import removes it with everything under it.
-- Existing rows are complete plans (NULL).
--
-- PostgreSQL 15 twin of sql/sqlite/0009_import_slices.sql (types: see 0001).

ALTER TABLE plans ADD COLUMN importing_until BIGINT;  -- NULL: a complete plan, visible to reads
