-- A browser's proof that its reader followed a confirmation link: trust
-- goes with it, never with a typed address alone. Only the token's hash
-- is kept.
CREATE TABLE commenter_keys (
    token_hash TEXT PRIMARY KEY,
    site_id    BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    -- SQLite's implicit insertion order, made explicit so the statements
    -- that keep a reader's newest keys run unchanged on both databases.
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX commenter_keys_email_idx ON commenter_keys (site_id, email, created_at);

-- The work a code's proof asks for grows with the rate codes are asked
-- for; each code keeps its own bound.
ALTER TABLE security_codes ADD COLUMN pow_max BIGINT NOT NULL DEFAULT 60000;
-- (Codes made before this migration count as made long ago.)
ALTER TABLE security_codes ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT '1970-01-01 00:00:00+00';
CREATE INDEX security_codes_created_idx ON security_codes (created_at);

-- Mail is bounded per recipient and per recipient's domain.
ALTER TABLE outbox ADD COLUMN recipient_domain TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_recipient_idx ON outbox (recipient, created_at);
CREATE INDEX outbox_domain_idx ON outbox (recipient_domain, created_at);
CREATE INDEX outbox_unsent_idx ON outbox (sent_at);
