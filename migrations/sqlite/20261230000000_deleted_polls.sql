-- Why: a deleted poll must not come back silently when the next version of the file it came
-- from is imported (the election results a wahlrecht.de table carries as if they were polls,
-- deleted by the user). The history keeps a full copy of each deleted poll as JSON; this table
-- keeps what an import matches on (pollster, dates, and each question and population), one row
-- per result set, so that a large import looks them up without reading the history. Filled
-- from the history for polls deleted before this table existed; a poll an import brings back
-- (`--restore-deleted`) leaves it.
CREATE TABLE deleted_result (
    poll_id      INTEGER NOT NULL,
    pollster     TEXT NOT NULL,
    field_start  TEXT,
    field_end    TEXT,
    published_on TEXT,
    question     TEXT NOT NULL,
    population   TEXT NOT NULL
);
CREATE INDEX deleted_result_poll ON deleted_result (poll_id);

INSERT INTO deleted_result
    (poll_id, pollster, field_start, field_end, published_on, question, population)
SELECT c.poll_id,
       json_extract(c.old_value, '$.pollster'),
       json_extract(c.old_value, '$.field_start'),
       json_extract(c.old_value, '$.field_end'),
       json_extract(c.old_value, '$.published_on'),
       json_extract(r.value, '$.question'),
       json_extract(r.value, '$.population')
  FROM change c, json_each(c.old_value, '$.results') r
 WHERE c.action = 'delete' AND c.field = 'poll' AND json_valid(c.old_value)
   AND c.poll_id NOT IN (SELECT id FROM poll);
