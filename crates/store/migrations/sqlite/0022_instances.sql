-- Several instances on one database (docs/storage.md, "Several
-- instances").
--
-- The change feed: what readers see that changed, written by the instance
-- that changed it right after its commit, read by every other instance to
-- drop the same keys from its own caches (on PostgreSQL a NOTIFY on
-- `dateline_changes` wakes them; they also look every second), and by the
-- one instance that delivers purge webhooks and WebSub notifications.
-- kind: 'purge' (keys: surrogate keys, one per line), 'sites' (sites,
-- sections or settings changed: reload them).
CREATE TABLE change_feed (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    origin  TEXT NOT NULL,
    site_id INTEGER,
    kind    TEXT NOT NULL,
    keys    TEXT NOT NULL DEFAULT '',
    paths   TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL
);
CREATE INDEX change_feed_at_idx ON change_feed (at);

-- Work done by one instance at a time (the scheduler, mail, deliveries,
-- classifier training): whoever holds the lease until it expires; the
-- holder renews it, and another instance takes it once it lapses (the
-- holder died).
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- How far a reader of the change feed has gone (the delivery of purge
-- webhooks and WebSub notifications), so the next holder of its lease
-- goes on from there.
CREATE TABLE feed_cursors (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
);

-- The search backlog is no longer emptied by the one index that applied
-- it: each instance's index remembers how far it has applied it, and rows
-- are pruned once far behind the newest. An index behind what was pruned
-- is rebuilt.
CREATE TABLE search_backlog_pruned (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    through   INTEGER NOT NULL
);
INSERT INTO search_backlog_pruned (singleton, through) VALUES (1, 0);

-- Each site's comment classifier, trained by the one instance holding the
-- `classifier-training` lease and loaded by the others (JSON of
-- core::classifier::Model).
CREATE TABLE classifier_models (
    site_id    INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    trained_at TEXT NOT NULL
);

-- Media files (uploads, their resized copies and crops, the demo's
-- images) by their path under the media folder, so that every instance
-- can serve every file: each instance's media folder is a cache of this
-- table, filled on a miss. Used on PostgreSQL; on SQLite (one instance)
-- the files live only in the data directory and this stays empty.
CREATE TABLE media_files (
    path       TEXT PRIMARY KEY,
    bytes      BLOB NOT NULL,
    created_at TEXT NOT NULL
);
