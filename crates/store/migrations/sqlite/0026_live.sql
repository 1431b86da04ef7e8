-- Live coverage (issue 16): a story that carries a stream of entries.
-- `live` is NULL for an ordinary story, 'live' while entries are posted,
-- 'ended' once an editor ended the coverage.
ALTER TABLE articles ADD COLUMN live TEXT;
ALTER TABLE articles ADD COLUMN live_started_at TEXT;
-- The last entry number given: numbers are never given twice, so an open
-- page can tell a removed entry from one not yet seen.
ALTER TABLE articles ADD COLUMN live_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN live_ended_at TEXT;

-- The entries, numbered per story in the order they were posted (`seq`):
-- readers' pages ask for the entries after the number they have.
CREATE TABLE live_entries (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    headline    TEXT NOT NULL DEFAULT '',
    body_html   TEXT NOT NULL,
    -- 1: a key event, summarised at the top of the page.
    key_event   INTEGER NOT NULL DEFAULT 0,
    -- A picture of the media library shown with it.
    media_id    INTEGER REFERENCES media (id) ON DELETE SET NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- Why it was changed after it was posted, shown with it.
    correction  TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, seq)
);
