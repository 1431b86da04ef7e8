-- Wire ingest (issue 14): the sources agency copy comes from, every
-- version of every item they sent (the wire desk's inbox, and the record
-- that makes a second delivery of the same file change nothing), and which
-- section a subject code goes to.

-- Accounts that are not people: the wire desk, which creates and updates
-- the articles that sources publish at once. They have no password that
-- any login can match and no role on any site.
ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';

-- An agency or partner feed. Files arrive in <data-dir>/ingest/<name>/ or
-- are fetched from `url` every `poll_seconds`. `mode` is `publish` (at
-- once) or `queue` (for the wire desk); `updates` says what a newer version
-- does to a story the desk has edited since: `wire` applies it, `desk`
-- holds it for an editor to choose.
CREATE TABLE wire_sources (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    label              TEXT NOT NULL,
    site_id            INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    mode               TEXT NOT NULL DEFAULT 'queue',
    updates            TEXT NOT NULL DEFAULT 'desk',
    url                TEXT NOT NULL DEFAULT '',
    poll_seconds       INTEGER NOT NULL DEFAULT 300,
    http_etag          TEXT NOT NULL DEFAULT '',
    http_last_modified TEXT NOT NULL DEFAULT '',
    last_fetch_at      TEXT,
    last_success_at    TEXT,
    last_error         TEXT NOT NULL DEFAULT '',
    items_taken        INTEGER NOT NULL DEFAULT 0,
    items_refused      INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL
);

-- One version of one item of a source, as received. `site_id` is the
-- edition its language chose. Public fields and `editor_notes` (a JSON
-- array) are kept apart: notes are for editors only. `outcome` is what
-- became of it: pending (being taken in; a crash leaves it to be redone),
-- queued, published, scheduled, updated, held, killed or skipped.
CREATE TABLE wire_items (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES wire_sources (id) ON DELETE CASCADE,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    guid            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    file            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    first_created   TEXT,
    version_created TEXT,
    embargoed_until TEXT,
    language        TEXT NOT NULL DEFAULT '',
    headline        TEXT NOT NULL,
    standfirst      TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    byline          TEXT NOT NULL DEFAULT '',
    keywords        TEXT NOT NULL DEFAULT '[]',
    subjects        TEXT NOT NULL DEFAULT '[]',
    credit          TEXT NOT NULL DEFAULT '',
    dateline_place  TEXT NOT NULL DEFAULT '',
    slugline        TEXT NOT NULL DEFAULT '',
    editor_notes    TEXT NOT NULL DEFAULT '[]',
    -- The item's picture, stored in the media library of `site_id` when
    -- it came in, with its caption, credit and alternative text.
    picture_media_id INTEGER REFERENCES media (id) ON DELETE SET NULL,
    picture_caption TEXT NOT NULL DEFAULT '',
    picture_credit  TEXT NOT NULL DEFAULT '',
    picture_alt     TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    article_id      INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    UNIQUE (source_id, guid, version)
);
CREATE INDEX wire_items_desk_idx ON wire_items (site_id, received_at);
CREATE INDEX wire_items_article_idx ON wire_items (article_id);

-- Which section of an edition an item with a subject code goes to; an
-- item with no mapped subject goes to the edition's first section.
CREATE TABLE wire_subject_sections (
    source_id  INTEGER NOT NULL REFERENCES wire_sources (id) ON DELETE CASCADE,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, site_id, subject)
);
