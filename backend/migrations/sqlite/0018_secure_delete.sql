-- Deleted means gone, on disk too.
--
-- The index of 0014 was `contentless_delete`: deleting a row by its rowid only wrote a
-- tombstone, and the row's words stayed in the index's pages until a merge dropped them (seen:
-- 9 to 16 messages later, and never on a quiet server), so a copy of the file still held
-- them; and such a table refuses FTS5's `delete` command, the one way to remove words at once.
-- So the index is made again as a plain contentless table with `secure-delete` on (SQLite 3.42
-- or later; sqlx bundles 3.46): the server takes a message's words out itself before its text
-- goes, giving `delete` the words as indexed (`store::sqlite::search::forget_words`), and they
-- leave the pages then. The connections zero what they free (`PRAGMA secure_delete`), so the
-- old index's pages go as it is dropped, and the log is emptied after a deletion.
DROP TRIGGER messages_forget_changed_words;
DROP TRIGGER messages_forget_removed_words;
DROP TABLE message_words;

CREATE VIRTUAL TABLE message_words USING fts5(
    words,
    content = '',
    tokenize = 'unicode61'
);
INSERT INTO message_words (message_words, rank) VALUES ('secure-delete', 1);

-- Every message is indexed again by the server's backlog task at start-up, oldest first, with
-- the words the server makes (`common::search_text`); search finds them as it goes (once, at
-- this upgrade; a large store takes a while).
UPDATE messages SET search_id = NULL WHERE search_id IS NOT NULL;
