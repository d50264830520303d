-- A message's insert takes its seq from `rooms.last_seq` (store/sqlite.rs); this trigger moves
-- `last_seq` on to it in the same statement. Storing a message is then one statement instead
-- of three: each is a round trip to SQLite's thread, and the store's writer makes hundreds a
-- second in a busy room. Still gap-free: the one writer connection inserts in turn, in a
-- transaction.
CREATE TRIGGER messages_move_last_seq AFTER INSERT ON messages
BEGIN
    UPDATE rooms SET last_seq = NEW.seq WHERE name = NEW.room;
END;
