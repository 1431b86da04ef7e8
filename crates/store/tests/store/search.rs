//! What the search index is built from: documents of published articles,
//! and the backlog of articles whose document changed since the index
//! took them.

use crate::{
    Newsroom, T0, add_author, add_section, add_site, add_tag, content, import, minutes,
    new_article, newsroom, status,
};
use dateline_core::editing::ArticleContent;
use dateline_core::live::{CheckedEntry, Coverage};
use dateline_core::terms::{Term, TermKind};
use dateline_core::{ArticleId, ArticleState, Lang, Slug};
use dateline_store::{ArticleSave, BacklogMark, Db};

#[tokio::test]
async fn a_document_carries_the_edition_language_tags_authors_and_plain_text_body() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let section = add_section(&desk, arabic, "politics", "سياسة", 0).await;
    let writer = add_author(&desk, arabic, "lina", "لينا خوري").await;
    let minister = add_tag(&desk, arabic, "الوزيرة").await;
    let beirut = add_tag(&desk, arabic, "بيروت").await;
    let mut article = new_article(
        arabic,
        section,
        "الوزيرة تزور بيروت",
        ArticleState::Published,
        Some(T0),
    );
    article.body_html = "<p>زارت <b>الوزيرة</b> بيروت.</p><p>ثم عادت.</p>".to_owned();
    article.source_credit = "AFP".to_owned();
    article.tags = vec![beirut, minister];
    article.authors = vec![writer];
    let id = import(&desk, &[article]).await[0];

    let docs = desk.search_documents(&[id]).await.unwrap();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc.id, id);
    assert_eq!(doc.site, arabic);
    assert_eq!(doc.lang, Lang::Ar);
    assert_eq!(doc.section, section);
    assert_eq!(doc.headline, "الوزيرة تزور بيروت");
    assert_eq!(doc.source_credit, "AFP");
    assert!(!doc.body_text.contains('<'), "{}", doc.body_text);
    assert!(
        doc.body_text.contains("زارت الوزيرة بيروت."),
        "{}",
        doc.body_text
    );
    assert!(doc.body_text.contains("ثم عادت."), "{}", doc.body_text);
    assert_eq!(
        doc.tags,
        [
            (beirut, "بيروت".to_owned()),
            (minister, "الوزيرة".to_owned())
        ],
        "tags in the article's order"
    );
    assert_eq!(doc.authors, [(writer, "لينا خوري".to_owned())]);
    assert_eq!(doc.published_at, T0);
}

#[tokio::test]
async fn only_published_articles_are_indexable_and_a_rebuild_pages_through_them_by_id() {
    let desk = newsroom().await;
    let (site, section) = (desk.site, desk.section);
    let ids = import(
        &desk,
        &[
            new_article(site, section, "One", ArticleState::Published, Some(T0)),
            new_article(site, section, "Draft", ArticleState::Draft, None),
            new_article(site, section, "Two", ArticleState::Published, Some(T0)),
            // Published with a future time: indexed now, shown when due.
            new_article(
                site,
                section,
                "Three",
                ArticleState::Published,
                Some(T0 + minutes(60)),
            ),
            new_article(site, section, "Gone", ArticleState::Unpublished, Some(T0)),
        ],
    )
    .await;

    assert_eq!(desk.count_indexable().await.unwrap(), 3);
    let first = desk.search_documents_after(ArticleId(0), 2).await.unwrap();
    let first: Vec<_> = first.iter().map(|d| d.id).collect();
    assert_eq!(first, [ids[0], ids[2]]);
    let rest = desk.search_documents_after(ids[2], 2).await.unwrap();
    let rest: Vec<_> = rest.iter().map(|d| d.id).collect();
    assert_eq!(rest, [ids[3]]);
    assert!(
        desk.search_documents_after(ids[3], 2)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_article_no_longer_published_is_missing_from_the_answer() {
    let desk = newsroom().await;
    let kept = desk.published("Kept", T0).await;
    let pulled = desk.published("Pulled", T0).await;
    let unpublished = content(desk.section, "Pulled");
    save_as(&desk, pulled, &unpublished, ArticleState::Unpublished).await;

    let docs = desk.search_documents(&[pulled, kept]).await.unwrap();
    let found: Vec<_> = docs.iter().map(|d| d.id).collect();
    assert_eq!(found, [kept]);
    assert!(desk.search_documents(&[]).await.unwrap().is_empty());
}

/// The articles the search backlog names after `mark` (what was taken
/// before), in id order; `mark` moves past them, as an index's position
/// does once it holds them.
async fn take_backlog(db: &Db, mark: &mut BacklogMark) -> Vec<ArticleId> {
    let page = db.search_backlog(*mark, 1_000).await.unwrap();
    assert!(page.rows < 1_000, "one page holds it all");
    *mark = page.through;
    let mut ids = page.articles;
    ids.sort();
    ids
}

/// Saves an article with this content and state, as the newsroom does.
async fn save_as(desk: &Newsroom, id: ArticleId, content: &ArticleContent, state: ArticleState) {
    let article = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    desk.save_article(
        &ArticleSave {
            id,
            site: desk.site,
            expected_version: article.version,
            content,
            status: status(state, Some(T0)),
            user: desk.editor,
            audit_action: "save",
        },
        T0 + minutes(1),
    )
    .await
    .unwrap()
    .unwrap();
}

/// Saves an article as published with this content.
async fn save(desk: &Newsroom, id: ArticleId, content: &ArticleContent) {
    save_as(desk, id, content, ArticleState::Published).await;
}

fn term(name: &str, slug: &str, bio: &str) -> Term {
    Term {
        name: name.to_owned(),
        slug: Slug::parse(slug).unwrap(),
        position: 0,
        bio: bio.to_owned(),
        photo: None,
        comment_mode: None,
    }
}

#[tokio::test]
async fn every_change_to_what_a_document_is_built_from_names_its_articles_in_the_backlog() {
    let desk = newsroom().await;
    let mut mark = BacklogMark::default();
    let writer = add_author(&desk, desk.site, "lina-khoury", "Lina Khoury").await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let mut tagged = content(desk.section, "Oil prices climb");
    tagged.tags = vec!["Oil".to_owned()];
    let first = desk.published("Oil prices climb", T0).await;
    save(&desk, first, &tagged).await;
    let second = desk.published("Refinery reopens", T0).await;
    let mut also_tagged = content(desk.section, "Refinery reopens");
    also_tagged.tags = vec!["Oil".to_owned()];
    save(&desk, second, &also_tagged).await;
    let untouched = desk.published("Rain in the valley", T0).await;
    assert_eq!(
        take_backlog(&desk, &mut mark).await,
        [first, second, untouched],
        "creating and saving are recorded"
    );

    // An edit of one article's text.
    let mut edited = tagged.clone();
    edited.headline = "Oil prices climb again".to_owned();
    save(&desk, first, &edited).await;
    assert_eq!(take_backlog(&desk, &mut mark).await, [first]);

    // A tag's new name reaches every article carrying it.
    desk.save_term(
        desk.site,
        TermKind::Tag,
        Some(oil.0),
        &term("Crude oil", "crude-oil", ""),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(take_backlog(&desk, &mut mark).await, [first, second]);

    // An author put on an article, then renamed by another process (no
    // notice reaches this one; the backlog is in the database).
    let mut signed = also_tagged.clone();
    signed.tags = vec!["Crude oil".to_owned()];
    signed.authors = vec![writer];
    save(&desk, second, &signed).await;
    assert_eq!(take_backlog(&desk, &mut mark).await, [second]);
    let elsewhere = desk.store.another_process().await;
    let renamed = term("Lina Khoury-Nasr", "lina-khoury", "");
    elsewhere
        .save_term(desk.site, TermKind::Author, Some(writer.0), &renamed)
        .await
        .unwrap()
        .unwrap();
    elsewhere.close().await;
    assert_eq!(take_backlog(&desk, &mut mark).await, [second]);

    // Deletions: a tag taken off its articles, an article sent to the trash.
    desk.delete_term(desk.site, TermKind::Tag, oil.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(take_backlog(&desk, &mut mark).await, [first, second]);
    let draft = desk.draft("Notes for later").await;
    take_backlog(&desk, &mut mark).await;
    assert!(
        desk.set_article_trashed(desk.site, draft, true, desk.editor, T0)
            .await
            .unwrap()
    );
    assert_eq!(take_backlog(&desk, &mut mark).await, [draft]);

    // What no document holds records nothing: an author's biography, a
    // tag asked for by the name it has.
    let described = term("Lina Khoury-Nasr", "lina-khoury", "Covers energy.");
    desk.save_term(desk.site, TermKind::Author, Some(writer.0), &described)
        .await
        .unwrap()
        .unwrap();
    add_tag(&desk, desk.site, "Rain").await;
    add_tag(&desk, desk.site, "Rain").await;
    assert_eq!(take_backlog(&desk, &mut mark).await, []);

    // Live coverage: each entry moves the published story's "Last
    // Updated" time, which no document holds (migration 0028).
    assert!(
        desk.set_coverage(desk.site, first, Coverage::Live, desk.editor, T0)
            .await
            .unwrap()
    );
    let entry = CheckedEntry {
        headline: String::new(),
        body_html: "<p>Tankers wait off the coast.</p>".to_owned(),
        key_event: false,
        correction: String::new(),
        media: None,
    };
    for n in 1..=3 {
        let posted = desk
            .add_live_entry(desk.site, first, &entry, desk.editor, T0 + minutes(n))
            .await
            .unwrap();
        assert_eq!(posted, Some(n));
    }
    assert_eq!(take_backlog(&desk, &mut mark).await, []);
}

#[tokio::test]
async fn a_write_rolled_back_leaves_nothing_in_the_backlog() {
    let desk = newsroom().await;
    let mut tx = desk.begin().await.unwrap();
    tx.insert_article(
        &new_article(
            desk.site,
            desk.section,
            "Never",
            ArticleState::Published,
            Some(T0),
        ),
        T0,
    )
    .await
    .unwrap();
    drop(tx);
    assert!(
        desk.search_backlog(BacklogMark::default(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn each_reader_goes_by_its_own_position_and_pruning_keeps_those_behind_in_step() {
    let desk = newsroom().await;
    let start = BacklogMark::default();
    let one = desk.published("One", T0).await;
    let two = desk.published("Two", T0).await;
    let page = desk.search_backlog(start, 1_000).await.unwrap();
    assert_eq!(page.articles, [one, two]);
    assert!(page.rows >= 2);

    // Changed while an index was taking the page: after its mark.
    let mut again = content(desk.section, "One, updated");
    again.slug = Slug::parse("one").unwrap();
    save(&desk, one, &again).await;
    let next = desk.search_backlog(page.through, 1_000).await.unwrap();
    assert_eq!(next.articles, [one]);
    // Another instance's index, from the start, still sees everything.
    let other = desk.search_backlog(start, 1_000).await.unwrap();
    assert_eq!(other.articles, [one, two]);
    assert_eq!(other.rows, page.rows + next.rows);

    // A short page ends early; its mark covers only what it read.
    let three = desk.published("Three", T0).await;
    let first_row = desk.search_backlog(next.through, 1).await.unwrap();
    assert_eq!(first_row.articles, [three]);
    assert!(desk.search_backlog_mark().await.unwrap() >= first_row.through);

    // Pruning keeps `keep` rows behind the mark it is given, and says
    // how far it went: an index behind that must be rebuilt.
    assert_eq!(desk.search_backlog_pruned().await.unwrap(), start);
    let head = desk.search_backlog_mark().await.unwrap();
    assert_eq!(desk.prune_search_backlog(head, 1_000_000).await.unwrap(), 0);
    let pruned = desk.prune_search_backlog(head, 1).await.unwrap();
    assert!(pruned > 0);
    let through = desk.search_backlog_pruned().await.unwrap();
    assert_eq!(through, BacklogMark(head.0 - 1));
    let left = desk.search_backlog(start, 1_000).await.unwrap();
    assert_eq!(left.rows, 1);
}

/// Readers of the backlog go by position ("every row up to this id"): a
/// row must never appear after a later one was read. While a transaction
/// that changed an article is open, another that changes one waits, so
/// ids are handed out in commit order (SQLite: one writer; PostgreSQL: an
/// advisory lock the triggers take).
#[tokio::test]
async fn backlog_rows_appear_in_commit_order_so_a_position_never_skips_one() {
    let desk = newsroom().await;
    let start = desk.search_backlog_mark().await.unwrap();
    let mut open = desk.begin().await.unwrap();
    let slow = open
        .insert_article(
            &crate::new_article(
                desk.site,
                desk.section,
                "Slow to commit",
                ArticleState::Published,
                Some(T0),
            ),
            T0,
        )
        .await
        .unwrap();
    let other = desk.store.another_process().await;
    let mut quick = tokio::spawn({
        let site = desk.site;
        let section = desk.section;
        async move {
            crate::import(
                &other,
                &[crate::new_article(
                    site,
                    section,
                    "Quick",
                    ArticleState::Published,
                    Some(T0),
                )],
            )
            .await[0]
        }
    });
    let waited = tokio::time::timeout(std::time::Duration::from_millis(300), &mut quick).await;
    assert!(waited.is_err(), "the second writer waits for the first");
    // Meanwhile a reader sees neither.
    assert!(desk.search_backlog(start, 100).await.unwrap().is_empty());
    open.commit().await.unwrap();
    let quick = quick.await.unwrap();
    let page = desk.search_backlog(start, 100).await.unwrap();
    assert_eq!(page.articles, [slow, quick], "in commit order");
}
