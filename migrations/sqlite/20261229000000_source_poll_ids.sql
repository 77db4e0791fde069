-- Why: files that carry their own stable poll ids (FiveThirtyEight's poll_id, a poll_id column
-- a user maps) are matched by those ids on every later import, whatever else a correction
-- changed (dates, population, numbers). Each id is kept with the poll it became, under the id
-- scheme of its source (`538`, or `column NAME` for a mapped column). No foreign key: the id of
-- a deleted poll still names it, so that an import can tell a deleted poll from a new one.
CREATE TABLE source_poll_id (
    scheme  TEXT NOT NULL CHECK (length(scheme) > 0),
    key     TEXT NOT NULL CHECK (length(key) > 0),
    poll_id INTEGER NOT NULL,
    PRIMARY KEY (scheme, key)
) WITHOUT ROWID;
CREATE INDEX source_poll_id_poll ON source_poll_id (poll_id);
