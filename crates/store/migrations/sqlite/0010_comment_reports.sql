-- Readers' reports on comments, commenters' verified e-mail addresses and
-- reputation settings, a durable outbox for mail, and classifier scores.

CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    client_ip   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT comment_reports_once UNIQUE (comment_id, client_ip)
);
CREATE INDEX comment_reports_open_idx ON comment_reports (comment_id, resolved_at);

-- A commenter known by an e-mail address they confirmed, per site.
CREATE TABLE commenters (
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    verified_at TEXT,
    PRIMARY KEY (site_id, email)
);

-- Links mailed to confirm an address; only the token's hash is kept.
CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX email_verifications_email_idx ON email_verifications (site_id, email, created_at);

-- Mail waiting to go out; a crash loses none of it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TEXT
);
CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);

-- Verified commenters skip pre-moderation after this many approved
-- comments, until their recent rejections pass the rate (percent).
ALTER TABLE sites ADD COLUMN trust_after_approved INTEGER NOT NULL DEFAULT 3;
ALTER TABLE sites ADD COLUMN distrust_rejection_percent INTEGER NOT NULL DEFAULT 30;
-- Comments the classifier rates at or above this (percent) wait for review.
ALTER TABLE sites ADD COLUMN classifier_hold_percent INTEGER NOT NULL DEFAULT 90;

-- The classifier's estimate that moderators would reject the comment (0..1).
ALTER TABLE comments ADD COLUMN score REAL;
