-- The banned guest name as written, as in the SQLite schema (migrations/sqlite).

ALTER TABLE guest_bans ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
