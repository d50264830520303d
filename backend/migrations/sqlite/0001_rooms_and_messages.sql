-- Rooms and their messages. A room's messages are numbered 1, 2, 3, ... by `seq`, with no
-- gaps: `rooms.last_seq` is bumped in the same transaction that inserts the message.

CREATE TABLE rooms (
    name       TEXT    PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL,             -- milliseconds since the Unix epoch
    last_seq   INTEGER NOT NULL DEFAULT 0    -- seq of the room's latest message; 0 when empty
) WITHOUT ROWID;

CREATE TABLE messages (
    room      TEXT    NOT NULL REFERENCES rooms (name),
    seq       INTEGER NOT NULL,
    id        TEXT    NOT NULL,              -- the server's id (UUID v7)
    client_id TEXT    NOT NULL,              -- the sender's id for the message
    author    TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    sent_at   INTEGER NOT NULL,              -- milliseconds since the Unix epoch
    -- Reading a page of history walks this key backwards from a seq: the cost does not grow
    -- with the size of the room.
    PRIMARY KEY (room, seq),
    -- A repeated send (same room, same client id) finds the original instead of a new row.
    UNIQUE (room, client_id)
) WITHOUT ROWID;

INSERT INTO rooms (name, created_at) VALUES ('lobby', 0);
