-- A deletion is an entry of the room's sequence like a message: its own seq, client id and
-- author (who deleted), an empty body, and `deletes`, the seq of the message it deleted.
-- Storing it also empties the target's body: the text is gone from the store, not only from
-- view. An empty body is never a message's (bodies cannot be blank), so it means "no text".

ALTER TABLE messages ADD COLUMN deletes INTEGER;
