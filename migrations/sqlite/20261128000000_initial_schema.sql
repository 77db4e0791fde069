-- Why: the first schema. A poll is one piece of fieldwork by one pollster; it asks questions of
-- populations (result sets), each with its own answers. Sources are the articles that reported
-- polls, linked many-to-many. Every edit or delete of a poll leaves a row in `change`.
-- Constraints live here as well as in the application so that no writer can store nonsense.

-- `key` is the name trimmed and lower-cased by polltrack (in every script, which SQLite's NOCASE
-- is not): names match on it.
CREATE TABLE pollster (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
    key  TEXT NOT NULL UNIQUE
);

-- Other spellings of a pollster's name ("Yougov" for "YouGov"); applied wherever a name comes in.
CREATE TABLE pollster_alias (
    key         TEXT PRIMARY KEY,
    alias       TEXT NOT NULL CHECK (length(trim(alias)) > 0 AND alias = trim(alias)),
    pollster_id INTEGER NOT NULL REFERENCES pollster (id) ON DELETE CASCADE
);
CREATE INDEX pollster_alias_pollster ON pollster_alias (pollster_id);

CREATE TABLE sponsor (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
    key  TEXT NOT NULL UNIQUE
);

CREATE TABLE poll (
    id           INTEGER PRIMARY KEY,
    pollster_id  INTEGER NOT NULL REFERENCES pollster (id),
    field_start  TEXT CHECK (field_start IS NULL OR date(field_start) IS field_start),
    field_end    TEXT CHECK (field_end IS NULL OR date(field_end) IS field_end),
    published_on TEXT CHECK (published_on IS NULL OR date(published_on) IS published_on),
    mode         TEXT,
    region       TEXT,
    partisan     INTEGER NOT NULL DEFAULT 0 CHECK (partisan IN (0, 1)),
    tracking     INTEGER NOT NULL DEFAULT 0 CHECK (tracking IN (0, 1)),
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- The day a poll stands at on a chart: the middle of its field period (rounded down), else
    -- whichever field date is known, else its publication date.
    poll_date    TEXT GENERATED ALWAYS AS (
        CASE
            WHEN field_start IS NOT NULL AND field_end IS NOT NULL
                THEN date(julianday(field_start) + CAST((julianday(field_end) - julianday(field_start)) / 2 AS INTEGER))
            ELSE coalesce(field_start, field_end, published_on)
        END
    ) STORED NOT NULL,
    CHECK (field_start IS NULL OR field_end IS NULL OR field_start <= field_end)
);
CREATE INDEX poll_date ON poll (poll_date);
CREATE INDEX poll_pollster ON poll (pollster_id, poll_date);

CREATE TABLE poll_sponsor (
    poll_id    INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
    sponsor_id INTEGER NOT NULL REFERENCES sponsor (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (poll_id, sponsor_id)
) WITHOUT ROWID;
CREATE INDEX poll_sponsor_sponsor ON poll_sponsor (sponsor_id);

CREATE TABLE question (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE CHECK (length(slug) > 0 AND slug = trim(slug)),
    wording TEXT NOT NULL CHECK (length(trim(wording)) > 0),
    topic   TEXT
);

-- One question asked of one population in one poll.
CREATE TABLE result_set (
    id              INTEGER PRIMARY KEY,
    poll_id         INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
    question_id     INTEGER NOT NULL REFERENCES question (id),
    population      TEXT NOT NULL CHECK (length(trim(population)) > 0),
    -- REAL: some sources publish weighted, fractional sample sizes.
    sample_size     REAL CHECK (sample_size IS NULL OR sample_size >= 1),
    margin_of_error REAL CHECK (margin_of_error IS NULL OR (margin_of_error > 0 AND margin_of_error <= 50)),
    -- A copy of poll.poll_date, so "this question over these dates" (what list, export, trend
    -- and chart ask) is one index range. polltrack writes it from poll.poll_date when it
    -- inserts a result set; the trigger below keeps it in step for anyone editing dates by hand.
    poll_date       TEXT NOT NULL,
    UNIQUE (poll_id, question_id, population)
);
CREATE INDEX result_set_question_date ON result_set (question_id, poll_date);
-- A poll's result sets in the order they were recorded: exports read them this way, in pages.
CREATE INDEX result_set_poll ON result_set (poll_id);

CREATE TRIGGER poll_date_follows AFTER UPDATE OF field_start, field_end, published_on ON poll
BEGIN
    UPDATE result_set SET poll_date = NEW.poll_date WHERE poll_id = NEW.id;
END;

CREATE TABLE answer (
    result_set_id INTEGER NOT NULL REFERENCES result_set (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    label         TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(label)) > 0),
    pct           REAL NOT NULL CHECK (pct >= 0 AND pct <= 100),
    PRIMARY KEY (result_set_id, label)
) WITHOUT ROWID;

-- An article or release that reported polls.
CREATE TABLE source (
    id           INTEGER PRIMARY KEY,
    url          TEXT UNIQUE CHECK (url IS NULL OR length(trim(url)) > 0),
    title        TEXT,
    outlet       TEXT,
    published_on TEXT CHECK (published_on IS NULL OR date(published_on) IS published_on),
    created_at   TEXT NOT NULL,
    CHECK (url IS NOT NULL OR title IS NOT NULL)
);

CREATE TABLE poll_source (
    poll_id   INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    PRIMARY KEY (poll_id, source_id)
) WITHOUT ROWID;
CREATE INDEX poll_source_source ON poll_source (source_id);

-- Every edit or delete of a poll. No foreign key: the history outlives a deleted poll.
CREATE TABLE change (
    id         INTEGER PRIMARY KEY,
    poll_id    INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('edit', 'delete')),
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX change_poll ON change (poll_id, id);

-- Everything in one flat table, one row per answer, in the columns of the long CSV format, for
-- anyone reading the file with only sqlite3 or Datasette. Written for SQLite 3.31 and later
-- (generated columns), so older sqlite3 shells can still open the file.
CREATE VIEW poll_answers AS
SELECT
    p.id AS poll_id,
    pr.name AS pollster,
    (SELECT group_concat(name, '; ') FROM
        (SELECT s.name FROM poll_sponsor ps JOIN sponsor s ON s.id = ps.sponsor_id
          WHERE ps.poll_id = p.id ORDER BY ps.position)) AS sponsors,
    p.field_start,
    p.field_end,
    p.published_on,
    p.mode,
    rs.population,
    rs.sample_size,
    rs.margin_of_error,
    p.region,
    q.slug AS question,
    q.wording AS question_wording,
    a.label AS answer,
    a.pct,
    (SELECT group_concat(url, ' ') FROM
        (SELECT src.url FROM poll_source pso JOIN source src ON src.id = pso.source_id
          WHERE pso.poll_id = p.id AND src.url IS NOT NULL ORDER BY src.id)) AS source_urls,
    p.notes,
    p.poll_date,
    p.partisan,
    p.tracking
FROM answer a
JOIN result_set rs ON rs.id = a.result_set_id
JOIN poll p ON p.id = rs.poll_id
JOIN pollster pr ON pr.id = p.pollster_id
JOIN question q ON q.id = rs.question_id;
