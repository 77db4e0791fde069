-- Why: files of polls (wahlrecht.de's tables) carry election results as rows. An election is
-- not a poll: drawn and averaged as one it pulls the trend. A poll marked `election` is a
-- result; trends leave it out of every average and of house effects, and charts draw it apart.
ALTER TABLE poll ADD COLUMN election INTEGER NOT NULL DEFAULT 0 CHECK (election IN (0, 1));
