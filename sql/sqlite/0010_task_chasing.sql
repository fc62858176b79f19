-- 0010: the sweep chases a task's approvals and records its escalations
-- (issue 12, items 2, 3, 5 — the gaps the last stop left). A closure
-- application (办结申请) remembers since when it waits at its step, an
-- extension request (延期申请) when its leader in charge endorsed it, so the
-- person whose turn it is can be reminded after N working days and the
-- reform office told after M. A task-deadline escalation is a record, one
-- per task and deadline in force: a new deadline (an approved extension, or
-- the reform office's) may be escalated again.

ALTER TABLE task_closures ADD COLUMN step_since TEXT;   -- when it reached its step (UTC); NULL: updated_at
ALTER TABLE task_extensions ADD COLUMN endorsed_at TEXT; -- when the leader in charge endorsed it (UTC)

CREATE TABLE task_escalations (
    id                   INTEGER PRIMARY KEY,
    task_id              INTEGER NOT NULL REFERENCES tasks (id),
    due                  TEXT    NOT NULL,   -- the deadline in force that was missed (ISO date)
    overdue_working_days INTEGER NOT NULL,   -- how late it was when escalated
    escalated_at         TEXT    NOT NULL,   -- UTC
    UNIQUE (task_id, due)
);
