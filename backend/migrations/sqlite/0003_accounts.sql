-- Registered accounts and their sign-in sessions. Guests have no row: their messages keep
-- their nickname as the author, as before.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL,            -- as its owner spelt it (NFC)
    username_key  TEXT    NOT NULL UNIQUE,     -- common::Nickname::key: one account per name
    password_hash TEXT    NOT NULL,            -- Argon2id, PHC string format
    role          TEXT    NOT NULL CHECK (role IN ('member', 'moderator', 'admin')),
    created_at    INTEGER NOT NULL             -- milliseconds since the Unix epoch
);

-- One row per signed-in browser. Only the SHA-256 of the token is kept: a copy of the
-- database does not let anyone sign in.
CREATE TABLE account_sessions (
    token_hash   BLOB    PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);
