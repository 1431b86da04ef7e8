-- People invited to a site by its administrator. The link goes by mail to
-- the address alone, and the account is made by whoever follows it, with
-- a password nobody else has seen. Only the token's hash is kept.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    invited_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT
);
CREATE INDEX invitations_site_idx ON invitations (site_id, accepted_at);
