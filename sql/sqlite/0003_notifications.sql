-- 0003: reminders and supervision — the notification outbox (written in the
-- same transaction as the state that caused it), what each message covers
-- (one dedupe key per rule × obligation × recipient × channel × occurrence),
-- every delivery attempt, urges (催办), supervision notices (督办单) and
-- escalation / accountability records (约谈问责).

-- Open obligations, found by due date without scanning filed history.
ALTER TABLE obligations ADD COLUMN closed_at TEXT;
UPDATE obligations SET closed_at = COALESCE(waived_at, (
    SELECT r.updated_at FROM reports r WHERE r.obligation_id = obligations.id AND r.state = 'filed'))
WHERE waived_at IS NOT NULL
   OR EXISTS (SELECT 1 FROM reports r WHERE r.obligation_id = obligations.id AND r.state = 'filed');
CREATE INDEX obligations_open_by_due ON obligations (due_date) WHERE closed_at IS NULL;
CREATE INDEX obligations_by_assignment_month ON obligations (assignment_id, period_month);
CREATE INDEX reports_in_approval ON reports (state) WHERE state = 'in_approval';
CREATE INDEX reports_returned ON reports (state) WHERE state = 'returned';

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT    NOT NULL UNIQUE,  -- the same on every attempt; receivers dedupe on it
    channel         TEXT    NOT NULL,         -- endpoint name from the configuration
    recipient       TEXT    NOT NULL,         -- department:刑庭 / person:u-vp-trial
    kind            TEXT    NOT NULL,         -- reminder, urge, supervision_notice, …
    urgent          INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,         -- markdown, for the robots
    payload         TEXT    NOT NULL,         -- JSON object, for the webhook channel
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_ms      INTEGER NOT NULL,
    deliver_after   INTEGER NOT NULL,         -- epoch ms: quiet hours and non-working days wait
    next_attempt_at INTEGER NOT NULL,         -- epoch ms: backoff between attempts
    claimed_until   INTEGER,                  -- a delivery worker's lease, epoch ms
    claim_token     TEXT,                     -- whose lease: only its holder may settle
    last_error      TEXT    NOT NULL DEFAULT '',
    delivered_ms    INTEGER
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

CREATE TABLE notification_items (
    dedupe_key      TEXT    PRIMARY KEY,      -- rule|obligation|recipient|occurrence|channel
    notification_id INTEGER NOT NULL REFERENCES notifications (id),
    rule            TEXT    NOT NULL,
    obligation_id   INTEGER REFERENCES obligations (id)
);
CREATE INDEX notification_items_by_notification ON notification_items (notification_id);

CREATE TABLE delivery_attempts (
    id              INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications (id),
    attempt         INTEGER NOT NULL,
    at_ms           INTEGER NOT NULL,
    http_status     INTEGER NOT NULL,
    verdict         TEXT    NOT NULL,         -- delivered, retry, permanent, deferred
    error           TEXT    NOT NULL,         -- redacted
    duration_ms     INTEGER NOT NULL
);
CREATE INDEX delivery_attempts_by_notification ON delivery_attempts (notification_id);

CREATE TABLE urges (
    id            INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligations (id),
    urged_by      TEXT    NOT NULL,
    urged_ms      INTEGER NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    notification_id INTEGER REFERENCES notifications (id)
);
CREATE INDEX urges_by_obligation ON urges (obligation_id, urged_ms);

CREATE TABLE supervision_notices (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,       -- 督办〔2019〕1号
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    task_number TEXT    NOT NULL,
    department  TEXT    NOT NULL,
    issued_by   TEXT    NOT NULL,
    issued_at   TEXT    NOT NULL,
    due_date    TEXT    NOT NULL,              -- court date
    content     TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('open', 'answered')),
    answer      TEXT    NOT NULL DEFAULT '',
    answered_by TEXT    NOT NULL DEFAULT '',
    answered_at TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE escalations (
    id                   INTEGER PRIMARY KEY,
    obligation_id        INTEGER NOT NULL REFERENCES obligations (id),
    level                TEXT    NOT NULL CHECK (level IN ('escalation', 'accountability')),
    recorded_at          TEXT    NOT NULL,
    overdue_working_days INTEGER NOT NULL,
    missed_periods       INTEGER NOT NULL,
    UNIQUE (obligation_id, level)
);
