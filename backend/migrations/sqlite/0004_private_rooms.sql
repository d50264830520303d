-- Private rooms: invite-only, listed to their members only. A private room's members (and a
-- room's owner and moderators) are rows of `room_members`; public rooms need none.

ALTER TABLE rooms ADD COLUMN private BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE room_members (
    room       TEXT    NOT NULL REFERENCES rooms (name),
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
    added_at   INTEGER NOT NULL,             -- milliseconds since the Unix epoch
    PRIMARY KEY (room, account_id)
);
CREATE INDEX room_members_by_account ON room_members (account_id);
