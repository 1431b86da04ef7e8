-- A published article's `updated_at` is in no search document (its date
-- there is `published_at`; only a draft's falls back to `updated_at`), yet
-- every change of it put the article in the search backlog. A live story
-- moves it with every entry, so each entry (one a second while a story
-- breaks) rebuilt the story's document and committed the index. Now
-- `updated_at` counts only while the article has no `published_at`.
CREATE OR REPLACE FUNCTION search_backlog_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id) VALUES (OLD.id);
    ELSIF TG_OP = 'INSERT'
       OR OLD.site_id IS DISTINCT FROM NEW.site_id
       OR OLD.section_id IS DISTINCT FROM NEW.section_id
       OR OLD.state IS DISTINCT FROM NEW.state
       OR OLD.headline IS DISTINCT FROM NEW.headline
       OR OLD.standfirst IS DISTINCT FROM NEW.standfirst
       OR OLD.body_html IS DISTINCT FROM NEW.body_html
       OR OLD.source_credit IS DISTINCT FROM NEW.source_credit
       OR OLD.published_at IS DISTINCT FROM NEW.published_at
       OR (NEW.published_at IS NULL AND OLD.updated_at IS DISTINCT FROM NEW.updated_at)
       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
