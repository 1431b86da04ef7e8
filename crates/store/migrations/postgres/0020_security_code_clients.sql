-- The client address a code was handed to: one client may ask for only
-- so many a minute, so nobody alone can reach the network's cap.
ALTER TABLE security_codes ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX security_codes_client_idx ON security_codes (client, created_at);
