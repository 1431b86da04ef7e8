-- The search backlog: articles whose search document may have changed
-- since the index last took them (a transactional outbox). Triggers add a
-- row in the very transaction that changes what the index is built from
-- (crates/store/src/search.rs: the article's own columns, its site's
-- language, its tags' and authors' names and links), so a change cannot
-- commit without its row, whichever code path or process wrote it. The
-- indexing task applies rows to the index, commits the index, and only
-- then deletes what it applied (`id <=` the last id it read); a crash in
-- between applies them again at the next start. AUTOINCREMENT: ids are
-- never reused, so "up to this id" never covers a row added later.
--
-- Not watched, because no part of a document comes from them: sections
-- (an article carries its section's id, which only a save of the article
-- changes; a section in use cannot be deleted), article_sources (the
-- credit is the article's own `source_credit`; a kill changes the
-- article's state), slugs, images, comments.
CREATE TABLE search_backlog (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);

-- Articles: created, deleted, or changed in a column of the document
-- (`deleted_at` too: the trash is not indexed today, but a document that
-- learns of it must not miss the change).
CREATE TRIGGER search_backlog_article_insert AFTER INSERT ON articles
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_backlog_article_update AFTER UPDATE ON articles
WHEN OLD.site_id IS NOT NEW.site_id
  OR OLD.section_id IS NOT NEW.section_id
  OR OLD.state IS NOT NEW.state
  OR OLD.headline IS NOT NEW.headline
  OR OLD.standfirst IS NOT NEW.standfirst
  OR OLD.body_html IS NOT NEW.body_html
  OR OLD.source_credit IS NOT NEW.source_credit
  OR OLD.published_at IS NOT NEW.published_at
  OR OLD.updated_at IS NOT NEW.updated_at
  OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_backlog_article_delete AFTER DELETE ON articles
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (OLD.id);
END;

-- The links of articles to tags and authors (their order is the order of
-- names in the document).
CREATE TRIGGER search_backlog_article_tag_insert AFTER INSERT ON article_tags
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER search_backlog_article_tag_update AFTER UPDATE ON article_tags
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT NEW.article_id UNION SELECT OLD.article_id;
END;

CREATE TRIGGER search_backlog_article_tag_delete AFTER DELETE ON article_tags
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (OLD.article_id);
END;

CREATE TRIGGER search_backlog_article_author_insert AFTER INSERT ON article_authors
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (NEW.article_id);
END;

CREATE TRIGGER search_backlog_article_author_update AFTER UPDATE ON article_authors
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT NEW.article_id UNION SELECT OLD.article_id;
END;

CREATE TRIGGER search_backlog_article_author_delete AFTER DELETE ON article_authors
BEGIN
    INSERT INTO search_backlog (article_id) VALUES (OLD.article_id);
END;

-- A renamed tag or author: every article carrying it. A deleted one
-- must have lost its links first (the foreign keys), which the triggers
-- above record; the delete triggers map it to its articles all the same.
CREATE TRIGGER search_backlog_tag_rename AFTER UPDATE OF name ON tags
WHEN OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT article_id FROM article_tags WHERE tag_id = NEW.id;
END;

CREATE TRIGGER search_backlog_tag_delete AFTER DELETE ON tags
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT article_id FROM article_tags WHERE tag_id = OLD.id;
END;

CREATE TRIGGER search_backlog_author_rename AFTER UPDATE OF name ON authors
WHEN OLD.name IS NOT NEW.name
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT article_id FROM article_authors WHERE author_id = NEW.id;
END;

CREATE TRIGGER search_backlog_author_delete AFTER DELETE ON authors
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT article_id FROM article_authors WHERE author_id = OLD.id;
END;

-- A site's language decides the fields and analysis of all its articles
-- (no screen changes it today).
CREATE TRIGGER search_backlog_site_lang AFTER UPDATE OF lang ON sites
WHEN OLD.lang IS NOT NEW.lang
BEGIN
    INSERT INTO search_backlog (article_id)
        SELECT id FROM articles WHERE site_id = NEW.id;
END;
