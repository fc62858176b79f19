-- 0006: what the importer now reads from Word, Excel and the other shapes of
-- plan courts publish (issue 9): each task's number as written, the
-- subsection it stands in, its deadline and progress requirement, and where in
-- the file it came from; a section's part (numbering that starts again at 一、
-- in an annex or a second plan in one file); the plan's format and closing
-- lines. Existing rows keep the defaults: text plans, no deadlines known.
--
-- PostgreSQL 15 twin of sql/sqlite/0006_plan_shapes.sql (types: see 0001).

ALTER TABLE plans ADD COLUMN source_format TEXT COLLATE "C" NOT NULL DEFAULT 'text';  -- text, docx or xlsx
ALTER TABLE plans ADD COLUMN closing TEXT COLLATE "C" NOT NULL DEFAULT '';            -- issuing body, date … after the last task

ALTER TABLE sections ADD COLUMN part INTEGER NOT NULL DEFAULT 1;          -- 2 once numbering starts again at 一、

ALTER TABLE tasks ADD COLUMN label TEXT COLLATE "C" NOT NULL DEFAULT '';              -- the number as written: 14, （一）, 一是
ALTER TABLE tasks ADD COLUMN group_number TEXT COLLATE "C" NOT NULL DEFAULT '';       -- the subsection: 一 of （一）
ALTER TABLE tasks ADD COLUMN group_title TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN deadline_text TEXT COLLATE "C";                          -- as written; NULL: the plan gives none
ALTER TABLE tasks ADD COLUMN deadline_due TEXT COLLATE "C";                           -- ISO date; NULL for 长期坚持 and the like
ALTER TABLE tasks ADD COLUMN progress TEXT COLLATE "C" NOT NULL DEFAULT '';           -- 进度要求, as written
ALTER TABLE tasks ADD COLUMN source_where TEXT COLLATE "C" NOT NULL DEFAULT '';       -- line 12, paragraph 40, sheet '分工表' row 7

CREATE INDEX tasks_by_due ON tasks (plan_id, deadline_due) WHERE deadline_due IS NOT NULL;
