//! Cache keys and the rules for which of them a change invalidates.
//!
//! Every public response names what it shows as surrogate keys
//! (`Surrogate-Key` / `Cache-Tag` headers): `site-N`, `latest-N`,
//! `article-N`, `section-N`, `tag-N`, `author-N`, `feed-<site>`. When
//! something changes, the functions here say exactly which keys must be
//! dropped, so the page cache and CDNs throw away those pages and no more.

use crate::{ArticleId, AuthorId, SectionId, SiteId, TagId};
use std::fmt;

/// One cache key, as sent in `Surrogate-Key` and in purge requests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SurrogateKey {
    /// Every response of a site: its chrome (menu, footer) is on all of them.
    Site(SiteId),
    /// Responses that list the site's newest articles (home, `/latest`,
    /// the archive, "more articles" on article pages, the site feed).
    Latest(SiteId),
    Article(ArticleId),
    Section(SectionId),
    Tag(TagId),
    Author(AuthorId),
    /// Every feed of a site, by site key (`feed-courier-en`).
    Feed(String),
}

impl fmt::Display for SurrogateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurrogateKey::Site(id) => write!(f, "site-{id}"),
            SurrogateKey::Latest(id) => write!(f, "latest-{id}"),
            SurrogateKey::Article(id) => write!(f, "article-{id}"),
            SurrogateKey::Section(id) => write!(f, "section-{id}"),
            SurrogateKey::Tag(id) => write!(f, "tag-{id}"),
            SurrogateKey::Author(id) => write!(f, "author-{id}"),
            SurrogateKey::Feed(site) => write!(f, "feed-{site}"),
        }
    }
}

impl SurrogateKey {
    /// A key from its text (as [`fmt::Display`] writes it), for keys that
    /// travelled as text (the change feed between instances).
    pub fn parse(text: &str) -> Option<SurrogateKey> {
        let (kind, rest) = text.split_once('-')?;
        let id = || rest.parse::<i64>().ok();
        Some(match kind {
            "site" => SurrogateKey::Site(SiteId(id()?)),
            "latest" => SurrogateKey::Latest(SiteId(id()?)),
            "article" => SurrogateKey::Article(ArticleId(id()?)),
            "section" => SurrogateKey::Section(SectionId(id()?)),
            "tag" => SurrogateKey::Tag(TagId(id()?)),
            "author" => SurrogateKey::Author(AuthorId(id()?)),
            "feed" if !rest.is_empty() => SurrogateKey::Feed(rest.to_owned()),
            _ => return None,
        })
    }
}

/// What readers can see of an article, as far as cache keys go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFacts {
    pub id: ArticleId,
    pub site: SiteId,
    /// The site's key, for its feeds' key.
    pub site_key: String,
    /// Published and its time has come: readers see it.
    pub public: bool,
    pub section: SectionId,
    pub tags: Vec<TagId>,
    pub authors: Vec<AuthorId>,
    /// Its translations in sister editions, whose pages link to it
    /// (`hreflang`, the language switch).
    pub translations: Vec<ArticleId>,
    /// Its path (`/politics/7-slug`): the link its translations carry.
    pub path: String,
}

impl ArticleFacts {
    /// Every key of a page that shows this article: its own page, the
    /// lists it appears in (latest, section, tags, authors) and the
    /// feeds of those lists.
    fn keys(&self, into: &mut Vec<SurrogateKey>) {
        into.push(SurrogateKey::Article(self.id));
        into.push(SurrogateKey::Latest(self.site));
        into.push(SurrogateKey::Section(self.section));
        into.extend(self.tags.iter().copied().map(SurrogateKey::Tag));
        into.extend(self.authors.iter().copied().map(SurrogateKey::Author));
    }
}

/// The keys an article's change invalidates, given what readers could see
/// of it before and after (`None`: it did not exist). Empty when readers
/// saw it neither before nor after (a draft saved, a schedule moved).
///
/// A section, tag or author it left is purged as well as the ones it
/// joined; its translations' pages are purged because they link to it;
/// the site's feeds are purged because feeds carry the full text.
pub fn article_change(
    before: Option<&ArticleFacts>,
    after: Option<&ArticleFacts>,
) -> Vec<SurrogateKey> {
    let mut keys = Vec::new();
    for facts in [before, after].into_iter().flatten() {
        if facts.public {
            facts.keys(&mut keys);
            keys.push(SurrogateKey::Feed(facts.site_key.clone()));
        }
    }
    // Translations link to a public article: their pages change when it
    // appears, disappears, moves, or joins or leaves their group.
    let visibility_changed = before.is_some_and(|b| b.public) != after.is_some_and(|a| a.public);
    let link_changed = match (before, after) {
        (Some(b), Some(a)) => {
            (b.public || a.public) && (b.path != a.path || b.translations != a.translations)
        }
        _ => false,
    };
    if visibility_changed || link_changed {
        for facts in [before, after].into_iter().flatten() {
            keys.extend(
                facts
                    .translations
                    .iter()
                    .copied()
                    .map(SurrogateKey::Article),
            );
        }
    }
    dedup(keys)
}

/// The keys that change when an article's approved comments change:
/// its page (the comments) and the lists whose cards show its comment
/// count. Nothing when readers cannot see the article.
pub fn comments_change(article: &ArticleFacts) -> Vec<SurrogateKey> {
    if !article.public {
        return Vec::new();
    }
    let mut keys = Vec::new();
    article.keys(&mut keys);
    dedup(keys)
}

/// Keys in a stable order without repeats.
pub fn dedup(mut keys: Vec<SurrogateKey>) -> Vec<SurrogateKey> {
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_read_back_from_their_text() {
        use super::*;
        for key in [
            SurrogateKey::Site(SiteId(1)),
            SurrogateKey::Latest(SiteId(2)),
            SurrogateKey::Article(ArticleId(30)),
            SurrogateKey::Section(SectionId(4)),
            SurrogateKey::Tag(TagId(5)),
            SurrogateKey::Author(AuthorId(6)),
            SurrogateKey::Feed("courier-ar".into()),
        ] {
            assert_eq!(SurrogateKey::parse(&key.to_string()), Some(key));
        }
        for bad in ["", "site", "site-x", "feed-", "page-1", "article--1x"] {
            assert_eq!(SurrogateKey::parse(bad), None, "{bad}");
        }
    }

    use super::*;

    fn facts(public: bool, section: i64, tags: &[i64]) -> ArticleFacts {
        ArticleFacts {
            id: ArticleId(7),
            site: SiteId(1),
            site_key: "courier-en".into(),
            public,
            section: SectionId(section),
            tags: tags.iter().copied().map(TagId).collect(),
            authors: vec![AuthorId(4)],
            translations: vec![ArticleId(70)],
            path: format!("/s{section}/7-slug"),
        }
    }

    fn names(keys: &[SurrogateKey]) -> Vec<String> {
        keys.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn publishing_purges_the_article_its_lists_its_feeds_and_its_translations() {
        let keys = article_change(Some(&facts(false, 2, &[3])), Some(&facts(true, 2, &[3, 5])));
        assert_eq!(
            names(&keys),
            [
                "latest-1",
                "article-7",
                "article-70",
                "section-2",
                "tag-3",
                "tag-5",
                "author-4",
                "feed-courier-en"
            ]
        );
    }

    #[test]
    fn an_edit_purges_the_lists_an_article_left_too() {
        let keys = article_change(Some(&facts(true, 2, &[3])), Some(&facts(true, 9, &[5])));
        let names = names(&keys);
        for key in ["section-2", "section-9", "tag-3", "tag-5"] {
            assert!(names.contains(&key.to_owned()), "{key} in {names:?}");
        }
        // Moved to another section: translations link to a new URL.
        assert!(names.contains(&"article-70".to_owned()));
        let same_place = article_change(Some(&facts(true, 2, &[3])), Some(&facts(true, 2, &[5])));
        assert!(!same_place.contains(&SurrogateKey::Article(ArticleId(70))));
    }

    #[test]
    fn drafts_purge_nothing() {
        assert!(
            article_change(Some(&facts(false, 2, &[])), Some(&facts(false, 3, &[]))).is_empty()
        );
        assert!(article_change(None, Some(&facts(false, 2, &[]))).is_empty());
        assert!(comments_change(&facts(false, 2, &[3])).is_empty());
    }

    #[test]
    fn unpublishing_purges_what_showed_it() {
        let keys = names(&article_change(
            Some(&facts(true, 2, &[3])),
            Some(&facts(false, 2, &[3])),
        ));
        assert!(keys.contains(&"article-7".to_owned()));
        assert!(keys.contains(&"article-70".to_owned()));
        assert!(keys.contains(&"latest-1".to_owned()));
    }

    #[test]
    fn comments_purge_the_page_and_the_cards_but_not_feeds() {
        let keys = names(&comments_change(&facts(true, 2, &[3])));
        assert_eq!(
            keys,
            ["latest-1", "article-7", "section-2", "tag-3", "author-4"]
        );
    }
}
