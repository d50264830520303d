-- Bans of accounts, and the audit log of moderation actions (who did what to whom, when, why).

ALTER TABLE accounts ADD COLUMN banned_until INTEGER;   -- ms since the epoch; NULL: not banned
ALTER TABLE accounts ADD COLUMN ban_reason TEXT;

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,                 -- milliseconds since the Unix epoch
    actor  TEXT    NOT NULL,                 -- usernames, kept as they were (accounts may go)
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    room   TEXT,
    reason TEXT    NOT NULL DEFAULT ''
);
