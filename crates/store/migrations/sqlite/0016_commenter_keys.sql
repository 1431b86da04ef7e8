-- A browser's proof that its reader followed a confirmation link: trust
-- goes with it, never with a typed address alone. Only the token's hash
-- is kept.
CREATE TABLE commenter_keys (
    token_hash TEXT PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX commenter_keys_email_idx ON commenter_keys (site_id, email, created_at);

-- The work a code's proof asks for grows with the rate codes are asked
-- for; each code keeps its own bound.
ALTER TABLE security_codes ADD COLUMN pow_max INTEGER NOT NULL DEFAULT 60000;
ALTER TABLE security_codes ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
CREATE INDEX security_codes_created_idx ON security_codes (created_at);

-- Mail is bounded per recipient and per recipient's domain.
ALTER TABLE outbox ADD COLUMN recipient_domain TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_recipient_idx ON outbox (recipient, created_at);
CREATE INDEX outbox_domain_idx ON outbox (recipient_domain, created_at);
CREATE INDEX outbox_unsent_idx ON outbox (sent_at);
