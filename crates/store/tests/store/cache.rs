//! The read cache: reader queries answered from memory are dropped by every
//! write through the store.

use crate::StoreOneComment;
use crate::{
    T0, add_site, add_tag, content, headlines, import, minutes, new_article, newsroom, status,
};
use dateline_core::terms::{Term, TermKind};
use dateline_core::{ArticleState, Lang, Slug};
use dateline_store::{
    ArticleFilter, ArticleQuery, ArticleSave, CommentStatus, NewComment, READ_CACHE_TTL,
};

#[tokio::test]
async fn a_write_by_another_process_is_seen_once_the_cache_lifetime_is_over() {
    // Proof that reader queries are cached at all, so that the tests
    // below, where a write shows at once, test the invalidation.
    let desk = newsroom().await;
    let id = desk.published("Before", T0).await;
    let read = || async {
        desk.published_article(desk.site, id, T0)
            .await
            .unwrap()
            .unwrap()
            .headline
            .clone()
    };
    assert_eq!(read().await, "Before");

    let elsewhere = desk.store.another_process().await;
    let current = elsewhere
        .editable_article(desk.site, id)
        .await
        .unwrap()
        .unwrap();
    elsewhere
        .save_article(
            &ArticleSave {
                id,
                site: desk.site,
                expected_version: current.version,
                content: &content(desk.section, "After"),
                status: status(ArticleState::Published, Some(T0)),
                user: desk.editor,
                audit_action: "save",
            },
            T0 + minutes(1),
        )
        .await
        .unwrap()
        .unwrap();

    assert_eq!(read().await, "Before", "served from this process's cache");
    tokio::time::sleep(READ_CACHE_TTL + std::time::Duration::from_millis(200)).await;
    assert_eq!(read().await, "After");
    elsewhere.close().await;
}

#[tokio::test]
async fn a_saved_article_is_read_afresh_at_once() {
    let desk = newsroom().await;
    let id = desk.published("Before", T0).await;
    let article = desk
        .published_article(desk.site, id, T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.headline, "Before");

    desk.save_article(
        &ArticleSave {
            id,
            site: desk.site,
            expected_version: 1,
            content: &content(desk.section, "After"),
            status: status(ArticleState::Published, Some(T0)),
            user: desk.editor,
            audit_action: "save",
        },
        T0 + minutes(1),
    )
    .await
    .unwrap()
    .unwrap();

    let article = desk
        .published_article(desk.site, id, T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.headline, "After");
}

#[tokio::test]
async fn lists_counts_and_queries_follow_a_new_article_at_once() {
    let desk = newsroom().await;
    import(
        &desk,
        &[new_article(
            desk.site,
            desk.section,
            "One",
            ArticleState::Published,
            Some(T0),
        )],
    )
    .await;
    let filter = ArticleFilter::Section(desk.section);
    let query = ArticleQuery {
        section: Some(desk.section),
        ..ArticleQuery::default()
    };
    let list = desk
        .published_articles(desk.site, filter, T0, 10, 0)
        .await
        .unwrap();
    assert_eq!(headlines(list.iter()), ["One"]);
    assert_eq!(
        desk.count_published(desk.site, filter, T0).await.unwrap(),
        1
    );
    assert_eq!(
        desk.count_published_matching(desk.site, query, T0)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        desk.published_matching(desk.site, query, T0, 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );

    import(
        &desk,
        &[new_article(
            desk.site,
            desk.section,
            "Two",
            ArticleState::Published,
            Some(T0 + minutes(1)),
        )],
    )
    .await;

    let now = T0 + minutes(1);
    let list = desk
        .published_articles(desk.site, filter, now, 10, 0)
        .await
        .unwrap();
    assert_eq!(headlines(list.iter()), ["Two", "One"]);
    assert_eq!(
        desk.count_published(desk.site, filter, now).await.unwrap(),
        2
    );
    assert_eq!(
        desk.count_published_matching(desk.site, query, now)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        desk.published_matching(desk.site, query, now, 10, 0)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn a_scheduled_article_shows_in_lists_as_soon_as_it_is_published() {
    let desk = newsroom().await;
    desk.published("Earlier", T0 - minutes(60)).await;
    let due = desk
        .create_article(
            desk.site,
            &content(desk.section, "Due"),
            status(ArticleState::Scheduled, Some(T0)),
            "schedule",
            desk.editor,
            T0 - minutes(30),
        )
        .await
        .unwrap();
    let before = desk
        .published_articles(desk.site, ArticleFilter::All, T0, 10, 0)
        .await
        .unwrap();
    assert_eq!(headlines(before.iter()), ["Earlier"]);
    assert!(
        desk.published_article(desk.site, due, T0)
            .await
            .unwrap()
            .is_none()
    );

    desk.publish_due(T0).await.unwrap();

    let after = desk
        .published_articles(desk.site, ArticleFilter::All, T0, 10, 0)
        .await
        .unwrap();
    assert_eq!(headlines(after.iter()), ["Due", "Earlier"]);
    assert!(
        desk.published_article(desk.site, due, T0)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn an_approved_comment_counts_on_the_article_at_once() {
    let desk = newsroom().await;
    let id = desk.published("Debate", T0).await;
    let count = || async {
        let list = desk
            .published_articles(desk.site, ArticleFilter::All, T0, 10, 0)
            .await
            .unwrap();
        let article = desk
            .published_article(desk.site, id, T0)
            .await
            .unwrap()
            .unwrap();
        (list[0].comment_count, article.comment_count)
    };
    assert_eq!(count().await, (0, 0));
    let comment = desk
        .insert_comment(
            &NewComment {
                site: desk.site,
                article: id,
                name: "Karim",
                email: "karim@example.com",
                title: "",
                body: "Agreed.",
                status: CommentStatus::Pending,
                hold_reasons: "",
                client_ip: "203.0.113.7",
                user_agent: "",
                terms_version: "1",
                score: None,
            },
            T0,
        )
        .await
        .unwrap();
    assert_eq!(count().await, (0, 0));

    desk.decide_comments(
        desk.site,
        &[comment],
        CommentStatus::Approved,
        "",
        desk.editor,
        T0,
    )
    .await
    .unwrap();

    assert_eq!(count().await, (1, 1));
}

#[tokio::test]
async fn translations_and_names_of_tags_follow_writes_at_once() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let siyasa = crate::add_section(&desk, arabic, "siyasa", "سياسة", 0).await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let mut english = new_article(
        desk.site,
        desk.section,
        "Summit",
        ArticleState::Published,
        Some(T0),
    );
    english.tags = vec![oil];
    let ids = import(
        &desk,
        &[
            english,
            new_article(arabic, siyasa, "القمة", ArticleState::Published, Some(T0)),
        ],
    )
    .await;
    let (en, ar) = (ids[0], ids[1]);
    assert!(desk.link_translation(en, desk.site, ar).await.unwrap());
    let group = desk
        .published_article(desk.site, en, T0)
        .await
        .unwrap()
        .unwrap()
        .translation_group
        .clone()
        .unwrap();
    assert_eq!(desk.translations(&group, en, T0).await.unwrap().len(), 1);

    let slug = Slug::parse("al-qimma").unwrap();
    desk.set_article_slug(ar, &slug, T0).await.unwrap();
    let links = desk.translations(&group, en, T0).await.unwrap();
    assert_eq!(links[0].slug.as_str(), "al-qimma");

    let renamed = Term {
        name: "Crude".to_owned(),
        slug: Slug::parse("crude").unwrap(),
        position: 0,
        bio: String::new(),
        photo: None,
        comment_mode: None,
    };
    desk.save_term(desk.site, TermKind::Tag, Some(oil.0), &renamed)
        .await
        .unwrap()
        .unwrap();
    let article = desk
        .published_article(desk.site, en, T0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.tags[0].name, "Crude");
}
