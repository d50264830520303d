-- A room's own moderation. Public rooms now keep their owner (a registered creator) and the
-- moderators the owner appoints as rows of `room_members` too; everyone else in a public room
-- has no row. Mutes are kept per room and per person, by the key of the person's name (so a
-- guest's mute holds for every spelling of the name, as the name itself does).

CREATE TABLE room_mutes (
    room         TEXT    NOT NULL REFERENCES rooms (name),
    nickname_key TEXT    NOT NULL,
    until        INTEGER NOT NULL,           -- milliseconds since the Unix epoch
    reason       TEXT    NOT NULL,
    muted_at     INTEGER NOT NULL,
    PRIMARY KEY (room, nickname_key)
);
CREATE INDEX room_mutes_by_end ON room_mutes (until);
