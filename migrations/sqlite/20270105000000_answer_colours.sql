-- Why: readers know parties by their colours (CDU black, SPD red, Greens green), and a chart of
-- a question must colour each answer the same in every chart of it. Colours a user gives for a
-- question's answers are kept here, by the answer's label (matched ignoring case, as answers
-- are), as `#RRGGBB`; answers without one take the palette's colour for their place in the
-- question's order.
CREATE TABLE question_answer_color (
    question_id INTEGER NOT NULL REFERENCES question (id) ON DELETE CASCADE,
    label       TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(label)) > 0),
    color       TEXT NOT NULL CHECK (length(color) = 7 AND color GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'),
    PRIMARY KEY (question_id, label)
) WITHOUT ROWID;
