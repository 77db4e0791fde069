-- Why: the history held only edits and deletes of polls, so a question renamed, a pollster's
-- alias or a source edited left no trace, no change could say why, and an edit could not be
-- undone. The table is rebuilt (SQLite cannot drop a CHECK) with:
--   subject      what changed: 'poll' (poll_id set, as before), 'question', 'pollster' or
--                'source' (poll_id NULL, subject_id the question's, pollster's or source's id);
--   reason       why, as the user gave it (`--reason`);
--   change_set   the id of the first row of the change it belongs to: one edit is several rows;
--   snapshot     for a poll's change, the whole poll before it as JSON, so it can be undone;
--   actions      'add', 'restore' and 'undo' beside 'edit' and 'delete'.
-- Rows of polls keep their columns and values: readers of poll_id, action and field see the
-- same rows. Rows already stored are grouped into changes by poll, second and action.
CREATE TABLE change_new (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL DEFAULT 'poll'
                CHECK (subject IN ('poll', 'question', 'pollster', 'source')),
    poll_id     INTEGER,
    subject_id  INTEGER,
    changed_at  TEXT NOT NULL,
    action      TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    change_set  INTEGER NOT NULL,
    snapshot    TEXT,
    CHECK ((subject = 'poll') = (poll_id IS NOT NULL)),
    CHECK ((subject = 'poll') = (subject_id IS NULL))
);

INSERT INTO change_new (id, subject, poll_id, changed_at, action, field, old_value, new_value,
                        change_set)
SELECT c.id, 'poll', c.poll_id, c.changed_at, c.action, c.field, c.old_value, c.new_value,
       (SELECT min(o.id) FROM change o
         WHERE o.poll_id = c.poll_id AND o.changed_at = c.changed_at AND o.action = c.action)
  FROM change c;

DROP TABLE change;
ALTER TABLE change_new RENAME TO change;
CREATE INDEX change_poll ON change (poll_id, id);
CREATE INDEX change_subject ON change (subject, subject_id, id);
