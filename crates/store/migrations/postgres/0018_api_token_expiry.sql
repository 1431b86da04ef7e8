-- A token may be given an end; past it, requests with it are refused.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
