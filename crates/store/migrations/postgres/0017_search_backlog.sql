-- The search backlog: articles whose search document may have changed
-- since the index last took them (a transactional outbox). Triggers add a
-- row in the very transaction that changes what the index is built from;
-- the same rules as the SQLite migration of the same name, which says why
-- each table is (or is not) watched. Identity ids are never reused.
--
-- Readers go by position ("every row up to this id"), which holds only if
-- ids appear in commit order. SQLite has one writer; here two
-- transactions could take ids 10 and 11 and commit 11 first, and a reader
-- at 11 would never see 10. So every transaction that adds rows first
-- takes a transaction-level advisory lock (`search_backlog_lock`), held
-- to its commit: transactions that change articles take turns from their
-- first such row on, and ids are handed out in commit order.
CREATE TABLE search_backlog (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL
);

CREATE FUNCTION search_backlog_lock() RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('dateline.search_backlog'));
$$;

-- Articles: created, deleted, or changed in a column of the document.
CREATE FUNCTION search_backlog_article() RETURNS trigger LANGUAGE plpgsql AS $$
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
       OR OLD.updated_at IS DISTINCT FROM NEW.updated_at
       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_backlog_article AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION search_backlog_article();

-- The links of articles to tags and authors (their order is the order of
-- names in the document): both tables have an `article_id`.
CREATE FUNCTION search_backlog_article_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id) VALUES (OLD.article_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.article_id IS DISTINCT FROM OLD.article_id) THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id) VALUES (NEW.article_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_backlog_article_tag AFTER INSERT OR UPDATE OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION search_backlog_article_link();
CREATE TRIGGER search_backlog_article_author AFTER INSERT OR UPDATE OR DELETE ON article_authors
    FOR EACH ROW EXECUTE FUNCTION search_backlog_article_link();

-- A renamed or deleted tag: every article carrying it.
CREATE FUNCTION search_backlog_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id)
            SELECT article_id FROM article_tags WHERE tag_id = OLD.id;
    ELSIF OLD.name IS DISTINCT FROM NEW.name THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id)
            SELECT article_id FROM article_tags WHERE tag_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_backlog_tag AFTER UPDATE OF name OR DELETE ON tags
    FOR EACH ROW EXECUTE FUNCTION search_backlog_tag();

-- A renamed or deleted author: every article carrying them.
CREATE FUNCTION search_backlog_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id)
            SELECT article_id FROM article_authors WHERE author_id = OLD.id;
    ELSIF OLD.name IS DISTINCT FROM NEW.name THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id)
            SELECT article_id FROM article_authors WHERE author_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_backlog_author AFTER UPDATE OF name OR DELETE ON authors
    FOR EACH ROW EXECUTE FUNCTION search_backlog_author();

-- A site's language decides the fields and analysis of all its articles.
CREATE FUNCTION search_backlog_site_lang() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.lang IS DISTINCT FROM NEW.lang THEN
        PERFORM search_backlog_lock();
        INSERT INTO search_backlog (article_id)
            SELECT id FROM articles WHERE site_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER search_backlog_site_lang AFTER UPDATE OF lang ON sites
    FOR EACH ROW EXECUTE FUNCTION search_backlog_site_lang();
