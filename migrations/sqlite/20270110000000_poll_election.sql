-- Why: files of polls (wahlrecht.de's tables) carry election results as rows. An election is
-- not a poll: drawn and averaged as one it pulls the trend. A poll marked `election` is a
-- result; trends leave it out of every average and of house effects, and charts draw it apart.
-- The poll_answers view gives the flag as its last column, after tracking, so readers of its
-- other columns are unchanged.
ALTER TABLE poll ADD COLUMN election INTEGER NOT NULL DEFAULT 0 CHECK (election IN (0, 1));

DROP VIEW poll_answers;

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
    CASE WHEN rs.sample_size = CAST(rs.sample_size AS INTEGER) THEN CAST(rs.sample_size AS INTEGER) ELSE rs.sample_size END AS sample_size,
    CASE WHEN rs.margin_of_error = CAST(rs.margin_of_error AS INTEGER) THEN CAST(rs.margin_of_error AS INTEGER) ELSE rs.margin_of_error END AS margin_of_error,
    p.region,
    q.slug AS question,
    q.wording AS question_wording,
    a.label AS answer,
    CASE WHEN a.pct = CAST(a.pct AS INTEGER) THEN CAST(a.pct AS INTEGER) ELSE a.pct END AS pct,
    (SELECT group_concat(url, ' ') FROM
        (SELECT src.url FROM poll_source pso JOIN source src ON src.id = pso.source_id
          WHERE pso.poll_id = p.id AND src.url IS NOT NULL ORDER BY src.id)) AS source_urls,
    p.notes,
    p.poll_date,
    p.partisan,
    p.tracking,
    p.election
FROM answer a
JOIN result_set rs ON rs.id = a.result_set_id
JOIN poll p ON p.id = rs.poll_id
JOIN pollster pr ON pr.id = p.pollster_id
JOIN question q ON q.id = rs.question_id;
