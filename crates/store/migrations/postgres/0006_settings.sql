-- Settings edited in the newsroom: the terms of use readers accept when
-- they comment, the site's logo, and authors' photos.

ALTER TABLE sites ADD COLUMN terms_of_use TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN logo_media_id BIGINT REFERENCES media (id) ON DELETE SET NULL;
ALTER TABLE authors ADD COLUMN photo_media_id BIGINT REFERENCES media (id) ON DELETE SET NULL;
