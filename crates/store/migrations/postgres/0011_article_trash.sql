-- Deleted articles go to a trash: kept, out of every list, restorable.
ALTER TABLE articles ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN deleted_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
