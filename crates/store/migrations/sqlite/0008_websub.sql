-- Subscriptions of the built-in WebSub hub (W3C WebSub §5): one row per
-- topic and callback, written once the subscriber has confirmed intent.

CREATE TABLE websub_subscriptions (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    -- The feed URL as subscribed (the feed's rel="self").
    topic TEXT NOT NULL,
    -- The feed's path inside its site (`/politics/atom.xml`).
    feed_path TEXT NOT NULL,
    callback TEXT NOT NULL,
    -- For X-Hub-Signature; NULL when the subscriber gave none.
    secret TEXT,
    lease_seconds INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_delivery_at TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (topic, callback)
);

CREATE INDEX websub_subscriptions_site ON websub_subscriptions (site_id, expires_at);
