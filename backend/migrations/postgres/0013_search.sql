-- Full-text search, as in the SQLite schema (migrations/sqlite): the server cuts the text into
-- words first (common::search_text), so the `simple` configuration only splits at spaces and
-- lowercases. A message's words are a `tsvector` beside its text, in a GIN index; `search_id`
-- numbers indexed messages in the order they are sent, for newest-first pages.

ALTER TABLE messages ADD COLUMN words tsvector;
ALTER TABLE messages ADD COLUMN search_id BIGINT;

CREATE SEQUENCE message_search_ids;

-- Only messages with words: imported and older rows wait for the backlog without entering it
-- (a million NULL entries slowed an import to 300 rows a second). fastupdate off: new entries
-- go into the index at once instead of a pending list that every search would read through
-- until the next vacuum (7 ms per search after the backlog's 300,000 updates, measured).
CREATE INDEX messages_words ON messages USING gin (words) WITH (fastupdate = off)
    WHERE words IS NOT NULL;
CREATE INDEX messages_by_search_id ON messages (search_id) WHERE search_id IS NOT NULL;
CREATE INDEX messages_to_index ON messages (sent_at)
    WHERE search_id IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL;

-- The public rooms, read by every search's reader check without touching the rooms' rows
-- (which every message updates, so their pages fill with dead versions between vacuums).
CREATE INDEX rooms_public ON rooms (name) WHERE NOT private;
