-- Articles that came from outside (wire agencies, partner feeds,
-- importers): one article per item of a source, the item's version last
-- applied (versions compare as numbers), and whether the source killed it.
CREATE TABLE article_sources (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    guid TEXT NOT NULL,
    version BIGINT NOT NULL,
    killed_at TIMESTAMPTZ,
    kill_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (site_id, source, guid)
);
