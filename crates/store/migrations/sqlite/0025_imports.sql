-- Importers (issue 15): what a WordPress or Disqus import took in, keyed
-- by its identity at the source, so a second run changes nothing and a run
-- cut short goes on where it stopped. Articles are linked to their post
-- through `article_sources` (source `wordpress:<host>`, guid the post id);
-- this table keeps the rest: attachments (media rows, one per edition
-- that uses them) and comments.
CREATE TABLE imported (
    -- `wordpress:<host>` or `disqus:<forum>`.
    source     TEXT NOT NULL,
    -- `attachment` or `comment`.
    kind       TEXT NOT NULL,
    -- The id at the source (a post id, a comment id, a Disqus post id).
    item_key   TEXT NOT NULL,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    -- The media or comment row it became.
    local_id   INTEGER NOT NULL,
    -- A reply whose comment was not in yet: the id at the source of the
    -- comment it answers, linked once that is in (a Disqus export may list
    -- a reply first).
    waiting_parent TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (source, kind, item_key, site_id)
);

-- How far an import of one file got: the byte offset of the first entry
-- not yet known to be done, so a run started again resumes there.
CREATE TABLE import_runs (
    source        TEXT NOT NULL,
    -- The file's name and size: another export of the same site starts
    -- from the beginning.
    file          TEXT NOT NULL,
    resume_offset INTEGER NOT NULL DEFAULT 0,
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT,
    PRIMARY KEY (source, file)
);

-- Replies: WordPress and Disqus threads keep their shape.
ALTER TABLE comments ADD COLUMN parent_id INTEGER REFERENCES comments (id) ON DELETE SET NULL;

-- A Disqus thread names its WordPress post by id alone: found without
-- knowing the edition or the exported site's name.
CREATE INDEX article_sources_guid_idx ON article_sources (guid);
