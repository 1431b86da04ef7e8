-- Sites, their taxonomy and articles. Times are UTC, written by the
-- application (never the database clock) so SQLite and PostgreSQL agree.

CREATE TABLE sites (
    id                    INTEGER PRIMARY KEY,
    key                   TEXT NOT NULL,
    name                  TEXT NOT NULL,
    lang                  TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    hostnames             TEXT NOT NULL DEFAULT '',
    path_prefix           TEXT NOT NULL DEFAULT '',
    base_url              TEXT NOT NULL DEFAULT '',
    edition_group         TEXT NOT NULL,
    time_zone             TEXT NOT NULL DEFAULT 'GMT',
    date_format_list      TEXT NOT NULL,
    date_format_published TEXT NOT NULL,
    date_format_updated   TEXT NOT NULL,
    social_facebook       TEXT NOT NULL DEFAULT '',
    social_twitter        TEXT NOT NULL DEFAULT '',
    social_youtube        TEXT NOT NULL DEFAULT '',
    footer_publisher      TEXT NOT NULL DEFAULT '',
    footer_copyright      TEXT NOT NULL DEFAULT '',
    footer_address        TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    CONSTRAINT sites_key_key UNIQUE (key)
);

CREATE TABLE sections (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites (id),
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT sections_site_slug_key UNIQUE (site_id, slug)
);

CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    slug    TEXT NOT NULL,
    name    TEXT NOT NULL,
    CONSTRAINT tags_site_slug_key UNIQUE (site_id, slug)
);

CREATE TABLE authors (
    id      INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    slug    TEXT NOT NULL,
    name    TEXT NOT NULL,
    bio     TEXT NOT NULL DEFAULT '',
    CONSTRAINT authors_site_slug_key UNIQUE (site_id, slug)
);

-- Uploaded or generated files under the data directory's media folder.
CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id),
    path       TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT media_path_key UNIQUE (path)
);

CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    site_id           INTEGER NOT NULL REFERENCES sites (id),
    section_id        INTEGER NOT NULL REFERENCES sections (id),
    state             TEXT NOT NULL,
    headline          TEXT NOT NULL,
    seo_title         TEXT NOT NULL DEFAULT '',
    slug              TEXT NOT NULL,
    standfirst        TEXT NOT NULL DEFAULT '',
    body_html         TEXT NOT NULL DEFAULT '',
    dateline_place    TEXT NOT NULL DEFAULT '',
    source_credit     TEXT NOT NULL DEFAULT '',
    lead_media_id     INTEGER REFERENCES media (id),
    lead_caption      TEXT NOT NULL DEFAULT '',
    lead_credit       TEXT NOT NULL DEFAULT '',
    lead_alt          TEXT NOT NULL DEFAULT '',
    published_at      TEXT,
    updated_at        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    translation_group TEXT,
    -- Where the copy came from: NULL for manual, else a wire provider's item.
    origin_provider   TEXT,
    origin_guid       TEXT,
    origin_version    INTEGER,
    CONSTRAINT articles_origin_key UNIQUE (origin_provider, origin_guid)
);

CREATE INDEX articles_site_published_idx ON articles (site_id, state, published_at DESC, id DESC);
CREATE INDEX articles_section_published_idx ON articles (section_id, state, published_at DESC, id DESC);
CREATE INDEX articles_translation_group_idx ON articles (translation_group);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author_idx ON article_authors (author_id, article_id);
