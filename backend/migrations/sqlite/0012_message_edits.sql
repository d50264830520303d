-- An edit is an entry of the room's sequence like a message: its own seq, client id and author,
-- its body the new text, and `edits`, the seq of the message whose text it replaces. Storing it
-- also replaces the target's body and records its latest edit on it (`edited_seq`,
-- `edited_at`), so a page of history shows every message as it is now without replaying
-- edits. Deleting a message empties the bodies of its edits too.

ALTER TABLE messages ADD COLUMN edits INTEGER;
ALTER TABLE messages ADD COLUMN edited_seq INTEGER;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;

-- A deletion finds the edits of its target.
CREATE INDEX messages_edits ON messages (room, edits) WHERE edits IS NOT NULL;
