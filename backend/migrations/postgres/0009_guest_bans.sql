-- Bans of guests, as in the SQLite schema (migrations/sqlite).

CREATE TABLE guest_bans (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nickname_key TEXT   NOT NULL,
    address      TEXT,
    until        BIGINT NOT NULL,
    reason       TEXT   NOT NULL,
    banned_by    TEXT   NOT NULL,
    banned_at    BIGINT NOT NULL
);
CREATE INDEX guest_bans_by_name ON guest_bans (nickname_key);
CREATE INDEX guest_bans_by_address ON guest_bans (address);
