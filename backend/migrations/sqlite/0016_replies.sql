-- A reply names the message of its room it answers (`reply_to`, its seq). Its quote is not
-- stored: it is made from the original as it is whenever the reply is read, so deleting the
-- original leaves no copy of its text behind.

ALTER TABLE messages ADD COLUMN reply_to INTEGER;
