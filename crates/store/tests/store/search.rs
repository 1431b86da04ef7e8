//! What the search index is built from: documents of published articles.

use crate::{
    T0, add_author, add_section, add_site, add_tag, content, import, minutes, new_article,
    newsroom, status,
};
use dateline_core::{ArticleId, ArticleState, Lang};
use dateline_store::ArticleSave;

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
    let article = desk
        .editable_article(desk.site, pulled)
        .await
        .unwrap()
        .unwrap();
    desk.save_article(
        &ArticleSave {
            id: pulled,
            site: desk.site,
            expected_version: article.version,
            content: &content(desk.section, "Pulled"),
            status: status(ArticleState::Unpublished, Some(T0)),
            user: desk.editor,
            audit_action: "unpublish",
        },
        T0 + minutes(1),
    )
    .await
    .unwrap()
    .unwrap();

    let docs = desk.search_documents(&[pulled, kept]).await.unwrap();
    let found: Vec<_> = docs.iter().map(|d| d.id).collect();
    assert_eq!(found, [kept]);
    assert!(desk.search_documents(&[]).await.unwrap().is_empty());
}
