-- Copies made by `dateline migrate-store`, on the database copied into:
-- which database a copy came from, so that a copy cut short is resumed
-- (and only from the same source), and when it began and finished.
CREATE TABLE store_copies (
    source      TEXT PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
