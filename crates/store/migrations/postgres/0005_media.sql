-- Uploaded images: who uploaded them, their original file name, and their
-- resized variants as lines of "<width> <path>" (narrowest first).

ALTER TABLE media ADD COLUMN variants TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX media_site_idx ON media (site_id, id);
