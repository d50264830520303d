-- Full-text search, as in the SQLite schema (migrations/sqlite): the server cuts the text into
-- words first (common::search_text), so the `simple` configuration only splits at spaces and
-- lowercases. A message's words are a `tsvector` beside its text, in a GIN index; `search_id`
-- numbers indexed messages in the order they are sent, for newest-first pages.

ALTER TABLE messages ADD COLUMN words tsvector;
ALTER TABLE messages ADD COLUMN search_id BIGINT;

CREATE SEQUENCE message_search_ids;

CREATE INDEX messages_words ON messages USING gin (words);
CREATE INDEX messages_by_search_id ON messages (search_id) WHERE search_id IS NOT NULL;
CREATE INDEX messages_to_index ON messages (sent_at)
    WHERE search_id IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL;
