-- Retention (`--retain-days`) removes a room's oldest entries. Sequence numbers stay as they
-- were (`last_seq` only grows), so a room's kept entries are `first_seq` to `last_seq`, with
-- no gap: everything below `first_seq` was removed, and `history` says so to clients that
-- would otherwise wait for it. 1 while nothing was removed.

ALTER TABLE rooms ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1;
