-- 0002: reporting — obligations (an assignment owes a report for a period),
-- progress reports moving through the approval workflow, every version of
-- each report, and the append-only audit trail (全程留痕).

CREATE TABLE obligations (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments (id),
    period        TEXT    NOT NULL,   -- "2019-10" (monthly) or "2019-Q4" (quarterly)
    period_month  TEXT    NOT NULL,   -- the last month of the period, "2019-12"
    due_date      TEXT    NOT NULL,   -- court date (UTC+8), a working day
    waived_at     TEXT,
    waived_by     TEXT,
    waive_reason  TEXT,
    UNIQUE (assignment_id, period)
);
CREATE INDEX obligations_by_month ON obligations (period_month);
CREATE INDEX obligations_by_due ON obligations (due_date);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL UNIQUE REFERENCES obligations (id),
    state         TEXT    NOT NULL CHECK (state IN ('draft', 'in_approval', 'returned', 'filed')),
    step          TEXT    NOT NULL,   -- the workflow step it waits at
    resume_step   TEXT    NOT NULL DEFAULT '',
    previous_step TEXT    NOT NULL DEFAULT '',
    entered_by    TEXT    NOT NULL DEFAULT '',
    assignee      TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    content       TEXT    NOT NULL,   -- the progress-report form, JSON
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    step_since    TEXT    NOT NULL    -- when it arrived at its step
);
CREATE INDEX reports_by_step ON reports (state, step);

-- Every version a report passes through, returned ones included.
CREATE TABLE report_versions (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    version     INTEGER NOT NULL,
    state       TEXT    NOT NULL,
    step        TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (report_id, version)
);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT    NOT NULL,
    actor          TEXT    NOT NULL,              -- person who acted
    acting_for     TEXT    NOT NULL DEFAULT '',   -- 代办: on whose behalf
    role           TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    plan_id        INTEGER NOT NULL REFERENCES plans (id),
    task_number    TEXT    NOT NULL,
    item_number    TEXT    NOT NULL DEFAULT '',
    department     TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    obligation_id  INTEGER REFERENCES obligations (id),
    report_id      INTEGER REFERENCES reports (id),
    from_state     TEXT    NOT NULL DEFAULT '',
    to_state       TEXT    NOT NULL DEFAULT '',
    from_step      TEXT    NOT NULL DEFAULT '',
    to_step        TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL DEFAULT '',   -- return reason, approval opinion, waiver reason
    report_version INTEGER
);
CREATE INDEX audit_by_task ON audit_log (plan_id, task_number, id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
