-- Personal API tokens of newsroom users (the content API). A token acts as
-- its user, with the user's role on the site a request is for. Only the
-- SHA-256 of a token is stored; revoked tokens are kept for the record.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
-- A user's live tokens have distinct names, so they can be revoked by name.
CREATE UNIQUE INDEX api_tokens_user_name_live_idx ON api_tokens (user_id, name)
    WHERE revoked_at IS NULL;
