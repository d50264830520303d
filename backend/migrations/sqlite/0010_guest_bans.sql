-- Bans of guests, who have no account to mark: by the key of the nickname (every spelling of
-- it), and by the network addresses the guest was connected from when banned (one row each,
-- with the same nickname key, so lifting the ban of the name lifts them all). A guest `hello`
-- is refused while a row matches its name or its address.

CREATE TABLE guest_bans (
    id           INTEGER PRIMARY KEY,
    nickname_key TEXT    NOT NULL,
    address      TEXT,                       -- NULL: the row of the name itself
    until        INTEGER NOT NULL,           -- milliseconds since the Unix epoch
    reason       TEXT    NOT NULL,
    banned_by    TEXT    NOT NULL,
    banned_at    INTEGER NOT NULL
);
CREATE INDEX guest_bans_by_name ON guest_bans (nickname_key);
CREATE INDEX guest_bans_by_address ON guest_bans (address);
