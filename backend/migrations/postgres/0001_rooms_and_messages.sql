-- Rooms and their messages, as in the SQLite schema (migrations/sqlite). A room's messages are
-- numbered 1, 2, 3, ... by `seq`, with no gaps: `rooms.last_seq` is bumped in the same
-- transaction that inserts the message, and that UPDATE's row lock makes writers on every node
-- take their turn per room.

CREATE TABLE rooms (
    name       TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL,              -- milliseconds since the Unix epoch
    last_seq   BIGINT NOT NULL DEFAULT 0     -- seq of the room's latest message; 0 when empty
);

CREATE TABLE messages (
    room      TEXT   NOT NULL REFERENCES rooms (name),
    seq       BIGINT NOT NULL,
    id        TEXT   NOT NULL,               -- the server's id (UUID v7)
    client_id TEXT   NOT NULL,               -- the sender's id for the message
    author    TEXT   NOT NULL,
    body      TEXT   NOT NULL,
    sent_at   BIGINT NOT NULL,               -- milliseconds since the Unix epoch
    -- Reading a page of history walks this key backwards from a seq.
    PRIMARY KEY (room, seq),
    -- A repeated send (same room, same client id) finds the original instead of a new row.
    UNIQUE (room, client_id)
);

INSERT INTO rooms (name, created_at) VALUES ('lobby', 0);
