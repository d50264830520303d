-- Invite links, as in the SQLite schema (migrations/sqlite).

CREATE TABLE invites (
    id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_hash  BYTEA   NOT NULL UNIQUE,
    created_by TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    max_uses   BIGINT,
    uses       BIGINT  NOT NULL DEFAULT 0,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
