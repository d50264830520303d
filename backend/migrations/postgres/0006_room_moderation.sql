-- A room's own moderation, as in the SQLite schema (migrations/sqlite).

CREATE TABLE room_mutes (
    room         TEXT   NOT NULL REFERENCES rooms (name),
    nickname_key TEXT   NOT NULL,
    until        BIGINT NOT NULL,
    reason       TEXT   NOT NULL,
    muted_at     BIGINT NOT NULL,
    PRIMARY KEY (room, nickname_key)
);
CREATE INDEX room_mutes_by_end ON room_mutes (until);
