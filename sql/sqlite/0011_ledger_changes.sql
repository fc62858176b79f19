-- 0011: the ledger's change counter (issue 11, item 6). Every write
-- transaction of the plugin's that changes a row adds one to it, in that
-- transaction; a read sees the count of the snapshot it reads. An instance keeps the answers of
-- its heaviest reads (ledger.tasks, ledger.summary, ledger.status) with the
-- count they were computed at, and gives a kept answer again only while the
-- count, the request and the court's day are the same — also when another
-- instance (an OA cluster's other node, an oa-stub beside the host) wrote.
-- One row, always.

CREATE TABLE ledger_changes (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO ledger_changes (id, version) VALUES (1, 0);
