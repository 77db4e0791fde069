-- Why: the poll_answers view gave numbers as SQLite stores them, REAL, so a sample size of
-- 1207 read as 1207.0 (in sqlite3 -csv, Datasette, pandas.read_sql) where polltrack's export
-- writes 1207. The view now gives a whole number as an INTEGER (sample sizes, margins of error
-- and percentages alike) and any other as it is (1004.5, 45.5), as the export writes them.
-- Only the view changes: the tables keep REAL, which fractional sample sizes need.

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
    p.tracking
FROM answer a
JOIN result_set rs ON rs.id = a.result_set_id
JOIN poll p ON p.id = rs.poll_id
JOIN pollster pr ON pr.id = p.pollster_id
JOIN question q ON q.id = rs.question_id;
