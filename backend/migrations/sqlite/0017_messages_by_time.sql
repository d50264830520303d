-- Jumping to a date (`find_date`): a room's first message sent at or after a time, found
-- through an index of when each room's entries were sent.

CREATE INDEX messages_by_time ON messages (room, sent_at);
