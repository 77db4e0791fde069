-- Why: which population a trend counts first, when a poll asked several, depends on the kind of
-- question: approval, favourability and issue questions are read among all adults first (as
-- pollsters and published averages do), vote intention among likely voters first. A question's
-- kind is unset until someone says (or an import can tell), and then trends keep the order they
-- had before, so an existing database gives the same trends until its questions get a kind.
ALTER TABLE question ADD COLUMN kind TEXT
    CHECK (kind IS NULL OR kind IN ('approval', 'favourability', 'issue', 'vote'));
