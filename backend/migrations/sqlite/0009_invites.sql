-- Invite links: with `--registration invite`, registering needs one. The code is shown to
-- the admin who made it, once; the store keeps its SHA-256 only, like session tokens.

CREATE TABLE invites (
    id         INTEGER PRIMARY KEY,
    code_hash  BLOB    NOT NULL UNIQUE,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,             -- milliseconds since the Unix epoch
    expires_at INTEGER NOT NULL,
    max_uses   INTEGER,                      -- NULL: any number of registrations
    uses       INTEGER NOT NULL DEFAULT 0,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
