-- 0007: a task's life (issue 12, items 1–4). A task has a stage the reform
-- office and the closure workflow move it through (open, closure_requested,
-- closed, struck, cancelled: 未启动 and 推进中 are told apart by its reports,
-- see core/task_lifecycle.h), a deadline the reform office may set over the
-- plan's, the month after which it owes no more reports (closed or
-- cancelled), and an origin: tasks added during the year (调整) are not
-- retired when the plan file is imported again. Assignments made during the
-- year owe reports from a month on; assignments ended owe none after a month.
-- Closure applications (办结申请) run through the approval engine like
-- progress reports; extension requests (延期申请) keep every request.

ALTER TABLE tasks ADD COLUMN stage TEXT NOT NULL DEFAULT 'open'
    CHECK (stage IN ('open', 'closure_requested', 'closed', 'struck', 'cancelled'));
ALTER TABLE tasks ADD COLUMN deadline_set TEXT;                        -- ISO date over the plan's; NULL: the plan's
ALTER TABLE tasks ADD COLUMN reports_until TEXT;                       -- last month that owes reports; NULL: no end
ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT 'import'
    CHECK (origin IN ('import', 'adjustment'));

ALTER TABLE assignments ADD COLUMN reports_from TEXT;                  -- first month that owes reports; NULL: from the start
ALTER TABLE assignments ADD COLUMN reports_until TEXT;                 -- last month that owes reports; NULL: no end

-- One row per closure application; a task reopened may apply again (round 2 …).
CREATE TABLE task_closures (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES tasks (id),
    round         INTEGER NOT NULL,
    department    TEXT    NOT NULL,            -- the lead department applying
    state         TEXT    NOT NULL CHECK (state IN ('draft', 'in_approval', 'returned', 'filed')),
    step          TEXT    NOT NULL,
    resume_step   TEXT    NOT NULL DEFAULT '',
    previous_step TEXT    NOT NULL DEFAULT '',
    entered_by    TEXT    NOT NULL DEFAULT '',
    assignee      TEXT    NOT NULL DEFAULT '',
    step_actors   TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    content       TEXT    NOT NULL,            -- {"final_report": …, "evidence": […]}
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (task_id, round)
);

-- Every request for a new deadline, decided or not.
CREATE TABLE task_extensions (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES tasks (id),
    department    TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    requested_at  TEXT    NOT NULL,
    from_due      TEXT,                        -- the effective deadline when asked; NULL: none
    to_due        TEXT    NOT NULL,            -- the deadline asked for
    reason        TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('requested', 'endorsed', 'approved', 'refused')),
    leader        TEXT    NOT NULL DEFAULT '', -- the leader in charge who endorsed or refused
    leader_opinion TEXT   NOT NULL DEFAULT '',
    decided_by    TEXT    NOT NULL DEFAULT '', -- the reform office's person, or the refusing leader
    decided_at    TEXT,
    decision_reason TEXT  NOT NULL DEFAULT ''
);
CREATE INDEX task_extensions_by_task ON task_extensions (task_id, id);
