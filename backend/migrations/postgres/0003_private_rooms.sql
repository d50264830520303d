-- Private rooms, as in the SQLite schema (migrations/sqlite).

ALTER TABLE rooms ADD COLUMN private BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE room_members (
    room       TEXT   NOT NULL REFERENCES rooms (name),
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT   NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (room, account_id)
);
CREATE INDEX room_members_by_account ON room_members (account_id);
