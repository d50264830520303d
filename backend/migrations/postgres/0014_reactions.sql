-- A reaction is an entry of the room's sequence like a message: its own seq, client id and
-- author, no body, and `reacts`, what it does (JSON: the target's seq, the emoji, and whether it
-- is withdrawn). Storing it also changes the target's `reactions` (JSON: who put which emoji,
-- and the seq of the latest reaction counted), so a page of history shows every message's
-- reactions as they are now without replaying them. Deleting a message empties its reactions.

ALTER TABLE messages ADD COLUMN reacts text;
ALTER TABLE messages ADD COLUMN reactions text;
