-- Why: a source that ids its questions (FiveThirtyEight's question_id) may correct one of a
-- poll's questions so that its slug changes (a candidate added: `...-biden-trump` becomes
-- `...-biden-kennedy-trump`). Matched by (slug, population) alone, the corrected question
-- would be stored beside the old one, and counted twice. Each result set keeps its source's
-- question id, under the id scheme of the poll's source (`538`), so that a later import
-- matching the poll matches the result set by that id first. Kept through edits and
-- replacements (rewritten with the result set), gone with it.
CREATE TABLE source_result_set (
    scheme        TEXT NOT NULL CHECK (length(scheme) > 0),
    key           TEXT NOT NULL CHECK (length(key) > 0),
    result_set_id INTEGER NOT NULL REFERENCES result_set (id) ON DELETE CASCADE,
    PRIMARY KEY (scheme, key)
) WITHOUT ROWID;
CREATE INDEX source_result_set_result ON source_result_set (result_set_id);
