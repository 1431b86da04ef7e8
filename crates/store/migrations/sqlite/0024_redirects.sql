-- Old addresses that answer a permanent redirect (links from before a
-- move: a WordPress permalink, `?p=123`, an old slug), kept in the form
-- `core::redirect::old_address` gives. They lead to an article (at its
-- address when asked) or to a path of the site.
CREATE TABLE redirects (
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    old_address TEXT NOT NULL,
    article_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    target_path TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (site_id, old_address)
);
CREATE INDEX redirects_article_idx ON redirects (article_id);
