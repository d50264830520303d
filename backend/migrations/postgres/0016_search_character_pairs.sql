-- PostgreSQL also indexes pairs of consecutive characters of languages written without spaces
-- ("北京大学": "北京", "京大", "大学", each at the position of its first character; see
-- store/postgres/search.rs), and a query asks for a Chinese word by its pairs: "北京" is one
-- lexeme the planner can estimate, instead of a phrase of two common characters checked in
-- every message holding both (149 ms at p99 on a million messages before). Messages indexed before lose their words here and are indexed
-- again by the backlog, keeping their `search_id` (their place in the newest-first order):
-- the backlog now takes every message with text and no words.

UPDATE messages SET words = NULL
    WHERE words IS NOT NULL
      AND body ~ '[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]';

DROP INDEX messages_to_index;
CREATE INDEX messages_to_index ON messages (sent_at)
    WHERE words IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL;
