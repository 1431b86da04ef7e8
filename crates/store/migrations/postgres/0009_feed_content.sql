-- What a site's feeds carry of each article: 'full' text or the 'summary'.

ALTER TABLE sites ADD COLUMN feed_content TEXT NOT NULL DEFAULT 'full';
