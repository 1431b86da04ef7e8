-- Screening a new comment counts the sender's approved comments and the
-- mail still unsent (`Db::screening_facts`). Without these, the first read
-- every approved comment of the site (2.6 ms a comment with 26,000 of
-- them, growing with the site) and the second every unsent mail; now each
-- is a range of an index.
CREATE INDEX comments_email_status_idx ON comments (author_email, site_id, status);
DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_unsent_idx ON outbox (sent_at, created_at);
