-- Bans of accounts, and the audit log of moderation actions, as in the SQLite schema.

ALTER TABLE accounts ADD COLUMN banned_until BIGINT;
ALTER TABLE accounts ADD COLUMN ban_reason TEXT;

CREATE TABLE audit_log (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT   NOT NULL,
    action TEXT   NOT NULL,
    target TEXT   NOT NULL,
    room   TEXT,
    reason TEXT   NOT NULL DEFAULT ''
);
