-- Browsers that have logged in to an account before (a device cookie,
-- stored by hash like sessions). Their login attempts back off on their
-- own, so guessing at the account from elsewhere cannot keep its owner
-- out.
CREATE TABLE login_devices (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    -- SQLite's implicit insertion order, made explicit so the statements
    -- that keep an account's newest browsers run unchanged on both.
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX login_devices_user_idx ON login_devices (user_id, created_at);

-- The known browser an attempt came from, if any.
ALTER TABLE login_failures ADD COLUMN device TEXT;
CREATE INDEX login_failures_device_idx ON login_failures (device, failed_at);
