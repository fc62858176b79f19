-- 0013: a department's open obligations found without reading its filed
-- history (issue 11, item 6). The warnings of ledger.tasks, ledger.status and
-- a report's page read every obligation not yet filed or waived up to the
-- month, per assignment; through obligations_by_assignment_month that meant
-- every month of the year, each joined to its report only to be dropped as
-- filed. closed_at is set when a report is filed or the obligation waived
-- (0003), in the same transaction, so the obligations it leaves NULL are the
-- open ones, and this index holds only them: a read of December's warnings
-- costs what one of January's does.

CREATE INDEX obligations_open_by_assignment ON obligations (assignment_id, period_month)
    WHERE closed_at IS NULL;
