-- A published article's `updated_at` is in no search document (its date
-- there is `published_at`; only a draft's falls back to `updated_at`), yet
-- every change of it put the article in the search backlog. A live story
-- moves it with every entry, so each entry (one a second while a story
-- breaks) rebuilt the story's document and committed the index. Now
-- `updated_at` counts only while the article has no `published_at`.
DROP TRIGGER search_backlog_article_update;
CREATE TRIGGER search_backlog_article_update AFTER UPDATE ON articles
WHEN OLD.site_id IS NOT NEW.site_id
  OR OLD.section_id IS NOT NEW.section_id
  OR OLD.state IS NOT NEW.state
  OR OLD.headline IS NOT NEW.headline
  OR OLD.standfirst IS NOT NEW.standfirst
  OR OLD.body_html IS NOT NEW.body_html
  OR OLD.source_credit IS NOT NEW.source_credit
  OR OLD.published_at IS NOT NEW.published_at
  OR (NEW.published_at IS NULL AND OLD.updated_at IS NOT NEW.updated_at)
  OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (NEW.id);
END;
