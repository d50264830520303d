-- Deleted means gone, on disk too. By default FTS5 only marks a deleted row's words as
-- deleted and drops them when its segments are merged later (seen: 9 to 16 messages later,
-- and never on a quiet server), so a copy of the file still held them. `secure-delete` takes
-- them out of the index's pages as the row is deleted (SQLite 3.42 or later; sqlx bundles
-- 3.46). The connections also zero what they free (`PRAGMA secure_delete`, set by the
-- server), and the log is emptied after a deletion (`store::sqlite`).
INSERT INTO message_words (message_words, rank) VALUES ('secure-delete', 1);
