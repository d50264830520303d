-- Direct messages, as in the SQLite schema.

ALTER TABLE rooms ADD COLUMN dm BOOLEAN NOT NULL DEFAULT FALSE;
