-- Newsroom accounts, their roles per site, sessions and login attempts.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- A user's role on one site: admin, editor, reporter or moderator.
CREATE TABLE site_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, site_id)
);

-- Server-side sessions; only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed logins, for throttling by e-mail address and by client address.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT NOT NULL,
    client    TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
CREATE INDEX login_failures_client_idx ON login_failures (client, failed_at);
