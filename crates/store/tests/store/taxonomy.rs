//! Taxonomy: sections, tags and authors, and saving or deleting them as terms.

use crate::{
    T0, add_author, add_section, add_site, add_tag, import, minutes, new_article, newsroom,
};
use dateline_core::comments::CommentMode;
use dateline_core::terms::{Term, TermKind};
use dateline_core::{ArticleState, Lang, Slug};
use dateline_store::{NewMedia, StoreError, TermRefusal};

fn term(name: &str, slug: &str) -> Term {
    Term {
        name: name.to_owned(),
        slug: Slug::parse(slug).unwrap(),
        position: 0,
        bio: String::new(),
        photo: None,
        comment_mode: None,
    }
}

#[tokio::test]
async fn sections_are_listed_in_menu_order_with_their_own_comment_mode() {
    let desk = newsroom().await; // "politics" at position 0
    add_section(&desk, desk.site, "travel", "Travel", 5).await;
    let closed = Term {
        position: 2,
        comment_mode: Some(CommentMode::Closed),
        ..term("Health", "health")
    };
    desk.save_term(desk.site, TermKind::Section, None, &closed)
        .await
        .unwrap()
        .unwrap();

    let sections = desk.sections(desk.site).await.unwrap();
    let slugs: Vec<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(slugs, ["politics", "health", "travel"]);
    assert_eq!(sections[1].name, "Health");
    assert_eq!(sections[1].site_id, desk.site);
    assert_eq!(sections[1].comment_mode, Some(CommentMode::Closed));
    assert_eq!(sections[0].comment_mode, None);
}

#[tokio::test]
async fn a_tag_is_created_on_first_use_and_reused_for_the_same_slug() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let first = add_tag(&desk, desk.site, "Oil Prices").await;
    let again = add_tag(&desk, desk.site, "oil prices").await;
    let elsewhere = add_tag(&desk, other, "Oil Prices").await;

    assert_eq!(first, again);
    assert_ne!(first, elsewhere, "tags belong to one site");
    let tag = desk
        .tag_by_slug(desk.site, "oil-prices")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tag.id, first);
    assert_eq!(tag.name, "Oil Prices", "the first spelling is kept");
    assert!(desk.tag_by_slug(desk.site, "gas").await.unwrap().is_none());

    let mut tx = desk.begin().await.unwrap();
    let refused = tx.tag_named(desk.site, "?!").await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "a name without a letter or digit has no slug: {refused:?}"
    );
}

#[tokio::test]
async fn tags_in_use_count_only_articles_readers_can_see() {
    let desk = newsroom().await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let gas = add_tag(&desk, desk.site, "Gas").await;
    let unused = add_tag(&desk, desk.site, "Water").await;
    let (site, section) = (desk.site, desk.section);
    let with_tags = |headline, state, at, tags: Vec<_>| {
        let mut a = new_article(site, section, headline, state, at);
        a.tags = tags;
        a
    };
    import(
        &desk,
        &[
            with_tags("One", ArticleState::Published, Some(T0), vec![oil, gas]),
            with_tags("Two", ArticleState::Published, Some(T0), vec![oil]),
            with_tags("Draft", ArticleState::Draft, None, vec![gas, unused]),
            with_tags(
                "Tomorrow",
                ArticleState::Published,
                Some(T0 + minutes(60 * 24)),
                vec![unused],
            ),
        ],
    )
    .await;

    let used: Vec<(String, i64)> = desk
        .tags_in_use(desk.site, T0, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.tag.name, u.articles))
        .collect();
    assert_eq!(used, [("Gas".to_owned(), 1), ("Oil".to_owned(), 2)]);
    assert_eq!(desk.count_tags_in_use(desk.site, T0).await.unwrap(), 2);
    let second_page = desk.tags_in_use(desk.site, T0, 1, 1).await.unwrap();
    assert_eq!(second_page[0].tag.id, oil);
}

#[tokio::test]
async fn terms_count_the_articles_filed_under_each_in_any_state() {
    let desk = newsroom().await;
    let empty = add_section(&desk, desk.site, "travel", "Travel", 1).await;
    let writer = add_author(&desk, desk.site, "lina-khoury", "Lina Khoury").await;
    let mut draft = new_article(desk.site, desk.section, "Draft", ArticleState::Draft, None);
    draft.authors = vec![writer];
    let published = new_article(
        desk.site,
        desk.section,
        "Out",
        ArticleState::Published,
        Some(T0),
    );
    import(&desk, &[draft, published]).await;

    let sections: Vec<(i64, String, i64)> = desk
        .terms(desk.site, TermKind::Section)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t.slug, t.articles))
        .collect();
    assert_eq!(
        sections,
        [
            (desk.section.0, "politics".to_owned(), 2),
            (empty.0, "travel".to_owned(), 0)
        ]
    );
    let authors = desk.terms(desk.site, TermKind::Author).await.unwrap();
    assert_eq!(authors.len(), 1);
    assert_eq!(authors[0].name, "Lina Khoury");
    assert_eq!(authors[0].bio, "Lina Khoury covers the region.");
    assert_eq!(authors[0].articles, 1);
}

#[tokio::test]
async fn a_slug_taken_on_the_site_is_refused_but_another_site_may_use_it() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let health = desk
        .save_term(
            desk.site,
            TermKind::Section,
            None,
            &term("Health", "health"),
        )
        .await
        .unwrap()
        .unwrap();

    let taken = desk
        .save_term(
            desk.site,
            TermKind::Section,
            None,
            &term("Politics 2", "politics"),
        )
        .await
        .unwrap();
    assert_eq!(taken, Err(TermRefusal::SlugTaken));
    let renamed_onto = desk
        .save_term(
            desk.site,
            TermKind::Section,
            Some(health),
            &term("Health", "politics"),
        )
        .await
        .unwrap();
    assert_eq!(renamed_onto, Err(TermRefusal::SlugTaken));
    let elsewhere = desk
        .save_term(
            other,
            TermKind::Section,
            None,
            &term("Politics", "politics"),
        )
        .await
        .unwrap();
    assert!(elsewhere.is_ok(), "{elsewhere:?}");

    let slugs: Vec<String> = desk
        .sections(desk.site)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug.as_str().to_owned())
        .collect();
    assert_eq!(
        slugs,
        ["politics", "health"],
        "equal positions keep creation order"
    );
}

#[tokio::test]
async fn changing_a_term_that_is_not_on_the_site_is_an_error() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let changed = desk
        .save_term(
            other,
            TermKind::Section,
            Some(desk.section.0),
            &term("Stolen", "stolen"),
        )
        .await;
    assert!(
        matches!(changed, Err(StoreError::Invalid(_))),
        "{changed:?}"
    );
    assert_eq!(desk.sections(desk.site).await.unwrap()[0].name, "Politics");
}

#[tokio::test]
async fn renaming_a_tag_announces_its_articles_and_readers_see_the_new_name() {
    let desk = newsroom().await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let mut tagged = new_article(
        desk.site,
        desk.section,
        "Tagged",
        ArticleState::Published,
        Some(T0),
    );
    tagged.tags = vec![oil];
    let untagged = new_article(
        desk.site,
        desk.section,
        "Untagged",
        ArticleState::Published,
        Some(T0),
    );
    let ids = import(&desk, &[tagged, untagged]).await;
    let before = desk.published_article(desk.site, ids[0], T0).await.unwrap();
    assert_eq!(before.unwrap().tags[0].name, "Oil");
    let mut changes = desk.article_changes();

    let saved = desk
        .save_term(
            desk.site,
            TermKind::Tag,
            Some(oil.0),
            &term("Crude oil", "crude-oil"),
        )
        .await
        .unwrap();

    assert_eq!(saved, Ok(oil.0));
    assert_eq!(changes.try_recv().unwrap(), [ids[0]]);
    let after = desk.published_article(desk.site, ids[0], T0).await.unwrap();
    let tags = after.unwrap().tags.clone();
    assert_eq!(tags[0].name, "Crude oil");
    assert_eq!(tags[0].slug.as_str(), "crude-oil");
}

#[tokio::test]
async fn a_section_or_author_in_use_is_kept_but_a_tag_is_taken_off_its_articles() {
    let desk = newsroom().await;
    let writer = add_author(&desk, desk.site, "lina-khoury", "Lina Khoury").await;
    let idle = add_author(&desk, desk.site, "sami-nasr", "Sami Nasr").await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let mut article = new_article(
        desk.site,
        desk.section,
        "Tagged",
        ArticleState::Published,
        Some(T0),
    );
    article.authors = vec![writer];
    article.tags = vec![oil];
    let id = import(&desk, &[article]).await[0];

    let site = desk.site;
    assert_eq!(
        desk.delete_term(site, TermKind::Section, desk.section.0)
            .await
            .unwrap(),
        Err(TermRefusal::InUse)
    );
    assert_eq!(
        desk.delete_term(site, TermKind::Author, writer.0)
            .await
            .unwrap(),
        Err(TermRefusal::InUse)
    );
    assert_eq!(
        desk.delete_term(site, TermKind::Author, idle.0)
            .await
            .unwrap(),
        Ok(true)
    );
    let mut changes = desk.article_changes();
    assert_eq!(
        desk.delete_term(site, TermKind::Tag, oil.0).await.unwrap(),
        Ok(true)
    );
    assert_eq!(changes.try_recv().unwrap(), [id]);
    assert_eq!(
        desk.delete_term(site, TermKind::Tag, oil.0).await.unwrap(),
        Ok(false),
        "it is gone"
    );

    let article = desk.published_article(site, id, T0).await.unwrap().unwrap();
    assert!(article.tags.is_empty());
    assert_eq!(article.authors.len(), 1);
    assert!(desk.tag_by_slug(site, "oil").await.unwrap().is_none());
    let authors: Vec<String> = desk
        .authors(site)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(authors, ["Lina Khoury"]);
}

#[tokio::test]
async fn an_author_is_found_by_slug_with_the_path_of_their_photo() {
    let desk = newsroom().await;
    let photo = desk
        .insert_media(
            &NewMedia {
                site: desk.site,
                path: "uploads/lina.jpg",
                mime_type: "image/jpeg",
                width: 300,
                height: 300,
                original_name: "lina.jpg",
                variants: &[],
                crops: &[],
                uploaded_by: None,
            },
            T0,
        )
        .await
        .unwrap();
    let lina = Term {
        bio: "Lina covers energy.".to_owned(),
        photo: Some(photo),
        ..term("Lina Khoury", "lina-khoury")
    };
    desk.save_term(desk.site, TermKind::Author, None, &lina)
        .await
        .unwrap()
        .unwrap();

    let author = desk
        .author_by_slug(desk.site, "lina-khoury")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(author.name, "Lina Khoury");
    assert_eq!(author.bio, "Lina covers energy.");
    assert_eq!(author.photo_path.as_deref(), Some("uploads/lina.jpg"));
    let line = &desk.terms(desk.site, TermKind::Author).await.unwrap()[0];
    assert_eq!(line.photo, Some(photo.0));
    assert!(
        desk.author_by_slug(desk.site, "nobody")
            .await
            .unwrap()
            .is_none()
    );
}
