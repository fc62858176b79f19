-- 0012: a notification's words apart from its delivery state (issue 11, item 6).
-- A message's title, markdown body and JSON payload are written once, when it
-- is queued, and never change; its status, lease and attempt count change at
-- every claim and outcome. Apart, a claim or an outcome rewrites a row of about
-- a hundred bytes (a new row version on PostgreSQL), and the words are only read.
--
-- PostgreSQL 15 twin of sql/sqlite/0012_notification_contents.sql (types: see 0001).

CREATE TABLE notification_contents (
    notification_id BIGINT PRIMARY KEY REFERENCES notifications (id),
    title           TEXT COLLATE "C" NOT NULL,
    body            TEXT COLLATE "C" NOT NULL,         -- markdown, for the robots
    payload         TEXT COLLATE "C" NOT NULL          -- JSON object, for the webhook channel
);
INSERT INTO notification_contents (notification_id, title, body, payload)
    SELECT id, title, body, payload FROM notifications;

ALTER TABLE notifications DROP COLUMN title, DROP COLUMN body, DROP COLUMN payload;
