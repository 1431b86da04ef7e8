-- Deleted articles go to a trash: kept, out of every list, restorable.
ALTER TABLE articles ADD COLUMN deleted_at TEXT;
ALTER TABLE articles ADD COLUMN deleted_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
