-- The editorial workflow: who wrote an article and its version (for
-- conflicting saves), revisions, corrections, autosaves and the audit log.

ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
-- Bumped by every save; a save names the version it started from.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- Last save in the newsroom (updated_at is what readers see).
ALTER TABLE articles ADD COLUMN edited_at TEXT;
CREATE INDEX articles_state_published_idx ON articles (state, published_at);

-- Every save keeps the content as it was: JSON of core::editing::ArticleContent.
CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    state      TEXT NOT NULL,
    content    TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    CONSTRAINT article_revisions_number_key UNIQUE (article_id, number)
);

-- Public correction notes, shown on the article in the order written.
CREATE TABLE article_corrections (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    note       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX article_corrections_article_idx ON article_corrections (article_id, created_at);

-- The editor's form as typed, kept while typing; article_id 0 is a new
-- article not saved yet.
CREATE TABLE autosaves (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id      INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    article_id   INTEGER NOT NULL,
    base_version INTEGER NOT NULL,
    content      TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, site_id, article_id)
);

-- Who created, published, unpublished, deleted or changed settings, when.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER REFERENCES sites (id) ON DELETE CASCADE,
    user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL
);
CREATE INDEX audit_log_site_idx ON audit_log (site_id, at);
