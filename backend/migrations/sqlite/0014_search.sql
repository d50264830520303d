-- Full-text search. The words of every message that has text (not a change, not deleted) go
-- into an FTS5 index, cut into words by the server first (common::search_text: each Chinese
-- or Japanese character a word of its own), so `unicode61` only splits at spaces.
--
-- The index is contentless: the text lives once, in `messages`. A message's row in the index
-- is `messages.search_id`; ids are handed out in the order messages are sent, so walking the
-- index by descending rowid gives the newest matches first and a page stops early.
-- `contentless_delete` lets an edit or a deletion drop the old words by rowid alone.

CREATE VIRTUAL TABLE message_words USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61'
);

ALTER TABLE messages ADD COLUMN search_id INTEGER;

-- From a match in the index to its message.
CREATE INDEX messages_by_search_id ON messages (search_id) WHERE search_id IS NOT NULL;

-- Messages not yet indexed (those stored before this migration, or imported): the server
-- indexes them in the background at start-up, oldest first. Empty once that is done.
CREATE INDEX messages_to_index ON messages (sent_at)
    WHERE search_id IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL;

-- A message's words leave the index when its text changes (an edit, whose new words the
-- server then adds; a deletion, which empties it) and when its row goes (retention).
CREATE TRIGGER messages_forget_changed_words AFTER UPDATE OF body ON messages
WHEN OLD.search_id IS NOT NULL
BEGIN
    DELETE FROM message_words WHERE rowid = OLD.search_id;
END;

CREATE TRIGGER messages_forget_removed_words AFTER DELETE ON messages
WHEN OLD.search_id IS NOT NULL
BEGIN
    DELETE FROM message_words WHERE rowid = OLD.search_id;
END;
