-- Message deletions, as in the SQLite schema (migrations/sqlite).

ALTER TABLE messages ADD COLUMN deletes BIGINT;
