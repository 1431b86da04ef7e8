-- Reader comments, their security codes, moderation settings and bans.

ALTER TABLE sites ADD COLUMN comment_mode TEXT NOT NULL DEFAULT 'pre';
ALTER TABLE sites ADD COLUMN comment_max_chars INTEGER NOT NULL DEFAULT 1000;
ALTER TABLE sites ADD COLUMN comment_close_days INTEGER NOT NULL DEFAULT 0;
-- 'image': the image code with the proof-of-work alternative on request;
-- 'pow': the browser proves work by itself (the image without JavaScript).
ALTER TABLE sites ADD COLUMN captcha_mode TEXT NOT NULL DEFAULT 'image';
-- One banned term per line, in any script.
ALTER TABLE sites ADD COLUMN banned_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE sections ADD COLUMN comment_mode TEXT;
ALTER TABLE articles ADD COLUMN comment_mode TEXT;

CREATE TABLE comments (
    id                INTEGER PRIMARY KEY,
    site_id           INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    article_id        INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_name       TEXT NOT NULL,
    -- Never shown to readers.
    author_email      TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    -- pending, approved, rejected, deleted
    status            TEXT NOT NULL,
    -- Why screening held it, one reason per line.
    hold_reasons      TEXT NOT NULL DEFAULT '',
    client_ip         TEXT NOT NULL,
    user_agent        TEXT NOT NULL DEFAULT '',
    -- Consent: which version of the terms of use, and when.
    terms_version     TEXT NOT NULL,
    terms_accepted_at TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    decided_at        TEXT,
    decided_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decision_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_article_idx ON comments (article_id, status, created_at);
CREATE INDEX comments_site_status_idx ON comments (site_id, status, created_at);
CREATE INDEX comments_email_idx ON comments (author_email, created_at);
CREATE INDEX comments_ip_idx ON comments (client_ip, created_at);

-- One-time security codes: an image code and a proof-of-work challenge.
CREATE TABLE security_codes (
    id            TEXT PRIMARY KEY,
    code_hash     TEXT NOT NULL,
    pow_salt      TEXT NOT NULL,
    pow_challenge TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);
CREATE INDEX security_codes_expires_idx ON security_codes (expires_at);

-- Readers kept from commenting: by e-mail address or client address range.
CREATE TABLE comment_bans (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT comment_bans_key UNIQUE (site_id, kind, value)
);
