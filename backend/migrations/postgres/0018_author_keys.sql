-- Each entry's author as the server tells names apart (`Nickname::key`: case and look-alike
-- letters folded), so search's "from" finds a person however their name is typed. Entries
-- stored before this are given theirs by the search backlog job; the partial index finds
-- them without reading every message.
ALTER TABLE messages ADD COLUMN author_key TEXT;
CREATE INDEX messages_without_author_key ON messages (author) WHERE author_key IS NULL;
