-- The banned guest name as written (the key alone is a folded form, not for showing).

ALTER TABLE guest_bans ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
