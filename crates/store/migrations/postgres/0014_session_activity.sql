-- When a session was last used, for the idle timeout (NULL: never since
-- it was created).
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
