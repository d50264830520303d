-- Message edits, as in the SQLite schema (migrations/sqlite).

ALTER TABLE messages ADD COLUMN edits BIGINT;
ALTER TABLE messages ADD COLUMN edited_seq BIGINT;
ALTER TABLE messages ADD COLUMN edited_at BIGINT;

CREATE INDEX messages_edits ON messages (room, edits) WHERE edits IS NOT NULL;
