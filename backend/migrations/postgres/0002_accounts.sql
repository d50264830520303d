-- Registered accounts and their sign-in sessions, as in the SQLite schema (migrations/sqlite).

CREATE TABLE accounts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT   NOT NULL,
    username_key  TEXT   NOT NULL UNIQUE,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('member', 'moderator', 'admin')),
    created_at    BIGINT NOT NULL
);

CREATE TABLE account_sessions (
    token_hash   BYTEA  PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);
