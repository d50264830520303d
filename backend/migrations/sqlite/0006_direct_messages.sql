-- Direct messages: a private room of exactly two accounts, both plain members (no owner, so
-- nobody invites a third), named `dm-<lower id>-<higher id>` so the pair has one room.

ALTER TABLE rooms ADD COLUMN dm BOOLEAN NOT NULL DEFAULT FALSE;
