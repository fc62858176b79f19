-- 0012: a notification's words apart from its delivery state (issue 11, item 6).
-- A message's title, markdown body and JSON payload are written once, when it
-- is queued, and never change; its status, lease and attempt count change at
-- every claim and outcome. Kept in one row, a reminder's 6 KB of words spilled
-- onto overflow pages that SQLite rewrote — and freed and allocated again —
-- at each of those small updates, three times a message: most of the pages a
-- delivery commit wrote. Apart, a claim or an outcome rewrites a row of about
-- a hundred bytes, and the words are only read.

CREATE TABLE notification_contents (
    notification_id INTEGER PRIMARY KEY REFERENCES notifications (id),
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,         -- markdown, for the robots
    payload         TEXT    NOT NULL          -- JSON object, for the webhook channel
);
INSERT INTO notification_contents (notification_id, title, body, payload)
    SELECT id, title, body, payload FROM notifications;

ALTER TABLE notifications DROP COLUMN title;
ALTER TABLE notifications DROP COLUMN body;
ALTER TABLE notifications DROP COLUMN payload;
