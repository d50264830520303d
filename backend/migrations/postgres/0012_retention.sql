-- Retention, as in the SQLite schema (migrations/sqlite).

ALTER TABLE rooms ADD COLUMN first_seq BIGINT NOT NULL DEFAULT 1;
