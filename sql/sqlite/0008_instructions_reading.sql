-- 0008: leaders' instructions (批示) and sending for reading (抄送/待阅), issue 12
-- items 5 and 6.
--
-- An instruction is written by the president or a leader in charge on a task
-- or on one report (its obligation), addressed to one or more departments,
-- each of which answers (反馈) once or several times; an answer marked final
-- closes that department's part. The sweep reminds the open parts (found by
-- the open-part index) and records an escalation once per part.
--
-- A reading item is one thing (a filed report, an instruction, a final
-- answer, a closure) sent to one person to read; read_at records 已阅.

CREATE TABLE instructions (
    id            INTEGER PRIMARY KEY,
    number        TEXT    NOT NULL UNIQUE,           -- 批示〔2019〕1号
    plan_id       INTEGER NOT NULL REFERENCES plans (id),
    task_number   TEXT    NOT NULL,
    obligation_id INTEGER REFERENCES obligations (id),  -- the report it is written on; NULL: on the task
    item_number   TEXT    NOT NULL DEFAULT '',       -- of that report
    department    TEXT    NOT NULL DEFAULT '',       -- of that report
    period        TEXT    NOT NULL DEFAULT '',       -- of that report
    written_by    TEXT    NOT NULL,
    written_role  TEXT    NOT NULL CHECK (written_role IN ('president', 'leader_in_charge')),
    written_at    TEXT    NOT NULL,                  -- ISO 8601 UTC
    due_date      TEXT    NOT NULL,                  -- court date the answers are due
    content       TEXT    NOT NULL
);
CREATE INDEX instructions_by_task ON instructions (plan_id, task_number);

CREATE TABLE instruction_parts (
    id             INTEGER PRIMARY KEY,
    instruction_id INTEGER NOT NULL REFERENCES instructions (id),
    department     TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('open', 'answered')),
    closed_at      TEXT    NOT NULL DEFAULT '',      -- the final answer's time
    escalated_at   TEXT    NOT NULL DEFAULT '',      -- the sweep's escalation, once
    UNIQUE (instruction_id, department)
);
CREATE INDEX instruction_parts_open ON instruction_parts (instruction_id) WHERE status = 'open';

CREATE TABLE instruction_answers (
    id          INTEGER PRIMARY KEY,
    part_id     INTEGER NOT NULL REFERENCES instruction_parts (id),
    answered_by TEXT    NOT NULL,
    answered_at TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    final       INTEGER NOT NULL CHECK (final IN (0, 1))
);
CREATE INDEX instruction_answers_by_part ON instruction_answers (part_id);

CREATE TABLE reading_items (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    reader      TEXT    NOT NULL,                    -- person id
    kind        TEXT    NOT NULL,                    -- report, instruction, instruction_answer, closure
    subject     TEXT    NOT NULL,                    -- what it is: report:<id>, 批示〔2019〕1号, …
    task_number TEXT    NOT NULL,
    item_number TEXT    NOT NULL DEFAULT '',
    department  TEXT    NOT NULL DEFAULT '',
    period      TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL,
    sent_by     TEXT    NOT NULL,                    -- whose action sent it
    sent_at     TEXT    NOT NULL,
    read_at     TEXT,                                -- NULL: unread
    UNIQUE (reader, kind, subject)
);
CREATE INDEX reading_items_unread ON reading_items (reader) WHERE read_at IS NULL;
