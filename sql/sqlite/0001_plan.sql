-- 0001: the plan as a ledger — plans, sections, tasks, items, departments and
-- the assignments that tie a task or item to a department as lead or co.
-- Rows are never deleted by a re-import: what a newer version of the plan no
-- longer lists is marked retired, so later reports keep their history.

CREATE TABLE plans (
    id             INTEGER PRIMARY KEY,
    plan_key       TEXT    NOT NULL UNIQUE,   -- stable identity: the plan's title unless given
    title          TEXT    NOT NULL,
    source_name    TEXT    NOT NULL,          -- file name or "request content"
    source_encoding TEXT   NOT NULL,          -- UTF-8, GBK, UTF-16LE …
    content_sha256 TEXT    NOT NULL,          -- of the decoded text last imported
    preamble       TEXT    NOT NULL DEFAULT '',
    notes          TEXT    NOT NULL DEFAULT '',
    imported_at    TEXT    NOT NULL,          -- ISO 8601, UTC
    updated_at     TEXT    NOT NULL
);

CREATE TABLE departments (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,      -- canonical name from the org chart
    in_org_chart INTEGER NOT NULL CHECK (in_org_chart IN (0, 1))
);

CREATE TABLE sections (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans (id),
    number     TEXT    NOT NULL,               -- 一, 二 …
    ordinal    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    retired_at TEXT,
    UNIQUE (plan_id, number)
);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans (id),
    section_id INTEGER NOT NULL REFERENCES sections (id),
    number     TEXT    NOT NULL,               -- "14"
    ordinal    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    retired_at TEXT,
    UNIQUE (plan_id, number)
);

CREATE TABLE task_items (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    number     TEXT    NOT NULL,               -- "1" for （1）
    ordinal    INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    retired_at TEXT,
    UNIQUE (task_id, number)
);

CREATE TABLE assignments (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES tasks (id),
    item_id       INTEGER REFERENCES task_items (id),   -- NULL: the task itself
    department_id INTEGER NOT NULL REFERENCES departments (id),
    role          TEXT    NOT NULL CHECK (role IN ('lead', 'co')),
    ordinal       INTEGER NOT NULL,
    written_as    TEXT    NOT NULL,            -- the name in the document
    via_group     TEXT    NOT NULL DEFAULT '', -- 各审判执行部门 … when expanded from a group
    retired_at    TEXT
);

CREATE UNIQUE INDEX assignments_unique
    ON assignments (task_id, COALESCE(item_id, 0), department_id);
CREATE INDEX assignments_by_department ON assignments (department_id);
CREATE INDEX tasks_by_section ON tasks (section_id);
