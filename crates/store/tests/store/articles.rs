//! Articles as readers see them: single articles, lists, queries, translations,
//! sitemaps, slugs, and the demo network.

use crate::{
    T0, add_author, add_section, add_site, add_tag, fresh_store, headlines, import, minutes,
    new_article, newsroom,
};
use dateline_core::{ArticleId, ArticleState, ImageCrop, Lang, Slug};
use dateline_store::{ArticleFilter, ArticleQuery, NewLeadImage, demo};
use time::macros::datetime;

#[tokio::test]
async fn readers_see_only_published_articles_whose_time_has_come() {
    let desk = newsroom().await;
    let (site, section) = (desk.site, desk.section);
    let hour = minutes(60);
    let ids = import(
        &desk,
        &[
            new_article(
                site,
                section,
                "Out",
                ArticleState::Published,
                Some(T0 - hour),
            ),
            new_article(site, section, "Draft", ArticleState::Draft, None),
            new_article(
                site,
                section,
                "Scheduled",
                ArticleState::Scheduled,
                Some(T0 + hour),
            ),
            new_article(
                site,
                section,
                "Embargoed",
                ArticleState::Published,
                Some(T0 + hour),
            ),
            new_article(
                site,
                section,
                "Pulled",
                ArticleState::Unpublished,
                Some(T0 - hour),
            ),
        ],
    )
    .await;

    let mut seen = Vec::new();
    for id in &ids {
        if let Some(article) = desk.published_article(site, *id, T0).await.unwrap() {
            seen.push(article.headline.clone());
        }
    }
    assert_eq!(seen, ["Out"]);
    let list = desk
        .published_articles(site, ArticleFilter::All, T0, 10, 0)
        .await
        .unwrap();
    assert_eq!(headlines(list.iter()), ["Out"]);
    assert_eq!(
        desk.count_published(site, ArticleFilter::All, T0)
            .await
            .unwrap(),
        1
    );
    assert_eq!(desk.published_times(site, T0).await.unwrap(), [T0 - hour]);

    // The newsroom's preview sees any state, on its own site only.
    let draft = desk
        .article_in_any_state(site, ids[1])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.state, ArticleState::Draft);
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    assert!(
        desk.article_in_any_state(other, ids[1])
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        desk.published_article(other, ids[0], T0)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_article_is_read_with_its_section_lead_image_and_ordered_tags_and_authors() {
    let desk = newsroom().await;
    let zeina = add_author(&desk, desk.site, "zeina", "Zeina Aoun").await;
    let adam = add_author(&desk, desk.site, "adam", "Adam Saleh").await;
    let oil = add_tag(&desk, desk.site, "Oil").await;
    let gulf = add_tag(&desk, desk.site, "Gulf").await;
    let mut article = new_article(
        desk.site,
        desk.section,
        "Syria's oil exports resume",
        ArticleState::Published,
        Some(T0),
    );
    article.seo_title = "Oil exports resume".to_owned();
    article.source_credit = "Reuters".to_owned();
    article.updated_at = T0 + minutes(90);
    article.translation_group = Some("oil-exports".to_owned());
    article.tags = vec![oil, gulf];
    article.authors = vec![zeina, adam];
    article.lead_image = Some(NewLeadImage {
        path: "uploads/tanker.jpg".to_owned(),
        mime_type: "image/jpeg".to_owned(),
        width: 1200,
        height: 675,
        caption: "A tanker off Baniyas".to_owned(),
        credit: "AFP".to_owned(),
        alt: "An oil tanker at sea".to_owned(),
        crops: vec![ImageCrop {
            ratio: "1x1".to_owned(),
            width: 675,
            height: 675,
            path: "uploads/tanker-1x1.jpg".to_owned(),
        }],
    });
    let id = import(&desk, &[article]).await[0];

    let article = desk
        .published_article(desk.site, id, T0 + minutes(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.id, id);
    assert_eq!(article.site_id, desk.site);
    assert_eq!(article.state, ArticleState::Published);
    assert_eq!(article.headline, "Syria's oil exports resume");
    assert_eq!(article.slug.as_str(), "syrias-oil-exports-resume");
    assert_eq!(article.seo_title, "Oil exports resume");
    assert_eq!(
        article.standfirst,
        "Standfirst of Syria's oil exports resume"
    );
    assert_eq!(
        article.body_html,
        "<p>Body of Syria's oil exports resume.</p>"
    );
    assert_eq!(article.dateline_place, "Beirut");
    assert_eq!(article.source_credit, "Reuters");
    assert_eq!(article.published_at, Some(T0));
    assert_eq!(article.updated_at, T0 + minutes(90));
    assert_eq!(article.translation_group.as_deref(), Some("oil-exports"));
    assert_eq!(article.section.id, desk.section);
    assert_eq!(article.section.name, "Politics");
    let tags: Vec<&str> = article.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Oil", "Gulf"], "tags in the order given");
    let authors: Vec<&str> = article.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        authors,
        ["Zeina Aoun", "Adam Saleh"],
        "bylines in the order given"
    );
    assert!(article.corrections.is_empty());
    assert_eq!(article.comment_count, 0);
    let image = article.lead_image.as_ref().unwrap();
    assert_eq!(image.path, "uploads/tanker.jpg");
    assert_eq!((image.width, image.height), (1200, 675));
    assert_eq!(image.caption, "A tanker off Baniyas");
    assert_eq!(image.credit, "AFP");
    assert_eq!(image.alt, "An oil tanker at sea");
    assert_eq!(image.crops.len(), 1);
    assert_eq!(image.crops[0].path, "uploads/tanker-1x1.jpg");

    // A list line carries the same image and section.
    let list = desk
        .published_articles(desk.site, ArticleFilter::All, T0, 1, 0)
        .await
        .unwrap();
    assert_eq!(list[0].section_slug.as_str(), "politics");
    assert_eq!(list[0].section_name, "Politics");
    assert_eq!(
        list[0].lead_image.as_ref().map(|i| i.path.as_str()),
        Some("uploads/tanker.jpg")
    );
}

#[tokio::test]
async fn lists_are_newest_first_and_filter_by_section_tag_author_and_time() {
    let desk = newsroom().await;
    let (site, politics) = (desk.site, desk.section);
    let travel = add_section(&desk, site, "travel", "Travel", 1).await;
    let oil = add_tag(&desk, site, "Oil").await;
    let lina = add_author(&desk, site, "lina", "Lina").await;
    let day = minutes(60 * 24);
    let mut a = new_article(
        site,
        politics,
        "A",
        ArticleState::Published,
        Some(T0 - day * 3),
    );
    a.tags = vec![oil];
    let mut b = new_article(
        site,
        travel,
        "B",
        ArticleState::Published,
        Some(T0 - day * 2),
    );
    b.authors = vec![lina];
    let mut c = new_article(site, politics, "C", ArticleState::Published, Some(T0 - day));
    c.tags = vec![oil];
    c.authors = vec![lina];
    let d = new_article(site, travel, "D", ArticleState::Published, Some(T0));
    import(&desk, &[a, b, c, d]).await;

    let list = |filter, limit, offset| {
        let desk = &desk;
        async move {
            let items = desk
                .published_articles(site, filter, T0, limit, offset)
                .await
                .unwrap();
            headlines(items.iter())
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    let count = |filter| {
        let desk = &desk;
        async move { desk.count_published(site, filter, T0).await.unwrap() }
    };
    assert_eq!(list(ArticleFilter::All, 10, 0).await, ["D", "C", "B", "A"]);
    assert_eq!(list(ArticleFilter::All, 2, 2).await, ["B", "A"]);
    assert_eq!(
        list(ArticleFilter::Section(politics), 10, 0).await,
        ["C", "A"]
    );
    assert_eq!(list(ArticleFilter::Tag(oil), 10, 0).await, ["C", "A"]);
    assert_eq!(list(ArticleFilter::Author(lina), 10, 0).await, ["C", "B"]);
    // [from, until): the start is in, the end is out.
    let between = ArticleFilter::Between(T0 - day * 2, T0);
    assert_eq!(list(between, 10, 0).await, ["C", "B"]);

    assert_eq!(count(ArticleFilter::All).await, 4);
    assert_eq!(count(ArticleFilter::Section(travel)).await, 2);
    assert_eq!(count(ArticleFilter::Tag(oil)).await, 2);
    assert_eq!(count(ArticleFilter::Author(lina)).await, 2);
    assert_eq!(count(between).await, 2);
    assert_eq!(
        desk.published_times(site, T0).await.unwrap(),
        [T0, T0 - day, T0 - day * 2, T0 - day * 3]
    );
}

#[tokio::test]
async fn a_query_matches_every_filter_given_and_counts_the_same_articles() {
    let desk = newsroom().await;
    let (site, politics) = (desk.site, desk.section);
    let travel = add_section(&desk, site, "travel", "Travel", 1).await;
    let oil = add_tag(&desk, site, "Oil").await;
    let lina = add_author(&desk, site, "lina", "Lina").await;
    let day = minutes(60 * 24);
    let mut a = new_article(
        site,
        politics,
        "A",
        ArticleState::Published,
        Some(T0 - day * 3),
    );
    a.tags = vec![oil];
    a.authors = vec![lina];
    let mut b = new_article(
        site,
        travel,
        "B",
        ArticleState::Published,
        Some(T0 - day * 2),
    );
    b.tags = vec![oil];
    let mut c = new_article(site, politics, "C", ArticleState::Published, Some(T0 - day));
    c.tags = vec![oil];
    c.authors = vec![lina];
    let d = new_article(site, politics, "D", ArticleState::Published, Some(T0));
    import(&desk, &[a, b, c, d]).await;

    let run = |query: ArticleQuery| {
        let desk = &desk;
        async move {
            let items = desk
                .published_matching(site, query, T0, 10, 0)
                .await
                .unwrap();
            let count = desk
                .count_published_matching(site, query, T0)
                .await
                .unwrap();
            let names: Vec<String> = items.iter().map(|a| a.headline.clone()).collect();
            (names, count)
        }
    };
    assert_eq!(
        run(ArticleQuery::default()).await,
        (vec!["D".into(), "C".into(), "B".into(), "A".into()], 4)
    );
    let politics_oil = ArticleQuery {
        section: Some(politics),
        tag: Some(oil),
        ..ArticleQuery::default()
    };
    assert_eq!(run(politics_oil).await, (vec!["C".into(), "A".into()], 2));
    let lina_lately = ArticleQuery {
        author: Some(lina),
        from: Some(T0 - day * 2),
        ..ArticleQuery::default()
    };
    assert_eq!(run(lina_lately).await, (vec!["C".into()], 1));
    let oil_until = ArticleQuery {
        tag: Some(oil),
        until: Some(T0 - day * 2),
        ..ArticleQuery::default()
    };
    assert_eq!(run(oil_until).await, (vec!["A".into()], 1));
}

#[tokio::test]
async fn published_by_ids_keeps_the_order_asked_and_leaves_out_what_readers_cannot_see() {
    let desk = newsroom().await;
    let (site, section) = (desk.site, desk.section);
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let elsewhere = add_section(&desk, other, "news", "News", 0).await;
    let ids = import(
        &desk,
        &[
            new_article(site, section, "One", ArticleState::Published, Some(T0)),
            new_article(site, section, "Two", ArticleState::Published, Some(T0)),
            new_article(site, section, "Draft", ArticleState::Draft, None),
            new_article(
                other,
                elsewhere,
                "Elsewhere",
                ArticleState::Published,
                Some(T0),
            ),
        ],
    )
    .await;

    let asked = [ids[1], ids[2], ids[3], ArticleId(ids[3].0 + 100), ids[0]];
    let found = desk.published_by_ids(site, &asked, T0).await.unwrap();
    assert_eq!(headlines(found.iter()), ["Two", "One"]);
    assert!(
        desk.published_by_ids(site, &[], T0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn translations_are_the_published_articles_of_the_group_in_other_editions() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let siyasa = add_section(&desk, arabic, "siyasa", "سياسة", 0).await;
    let in_group = |mut a: dateline_store::NewArticle| {
        a.translation_group = Some("summit".to_owned());
        a
    };
    let ids = import(
        &desk,
        &[
            in_group(new_article(
                desk.site,
                desk.section,
                "Summit opens",
                ArticleState::Published,
                Some(T0),
            )),
            in_group(new_article(
                arabic,
                siyasa,
                "افتتاح القمة",
                ArticleState::Published,
                Some(T0),
            )),
            in_group(new_article(
                arabic,
                siyasa,
                "مسودة",
                ArticleState::Draft,
                None,
            )),
            new_article(
                desk.site,
                desk.section,
                "Alone",
                ArticleState::Published,
                Some(T0),
            ),
        ],
    )
    .await;

    let links = desk.translations("summit", ids[0], T0).await.unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].site, arabic);
    assert_eq!(links[0].id, ids[1]);
    assert_eq!(links[0].section_slug.as_str(), "siyasa");
    assert_eq!(links[0].slug.as_str(), "افتتاح-القمة");
    let back = desk.translations("summit", ids[1], T0).await.unwrap();
    let back: Vec<_> = back.iter().map(|l| l.id).collect();
    assert_eq!(back, [ids[0]]);

    // The sitemap carries the same links, in id order, page by page.
    let page = desk.sitemap_entries(desk.site, T0, 10, 0).await.unwrap();
    let entries: Vec<(ArticleId, Vec<ArticleId>)> = page
        .iter()
        .map(|e| (e.id, e.translations.iter().map(|l| l.id).collect()))
        .collect();
    assert_eq!(entries, [(ids[0], vec![ids[1]]), (ids[3], vec![])]);
    assert_eq!(page[0].slug.as_str(), "summit-opens");
    assert_eq!(page[0].section_slug.as_str(), "politics");
    let second = desk.sitemap_entries(desk.site, T0, 1, 1).await.unwrap();
    assert_eq!(second.iter().map(|e| e.id).collect::<Vec<_>>(), [ids[3]]);
    assert!(
        desk.sitemap_entries(desk.site, T0, 10, 2)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_new_slug_keeps_the_article_and_is_announced_as_a_change() {
    let desk = newsroom().await;
    let id = desk.published("Talks resume", T0).await;
    let mut changes = desk.article_changes();

    let slug = Slug::parse("talks-resume-in-doha").unwrap();
    assert!(
        desk.set_article_slug(id, &slug, T0 + minutes(5))
            .await
            .unwrap()
    );

    assert_eq!(changes.try_recv().unwrap(), [id]);
    let article = desk
        .published_article(desk.site, id, T0 + minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.slug.as_str(), "talks-resume-in-doha");
    assert_eq!(article.updated_at, T0 + minutes(5));
    let missing = ArticleId(id.0 + 100);
    assert!(!desk.set_article_slug(missing, &slug, T0).await.unwrap());
}

#[tokio::test]
async fn the_demo_network_installs_two_sister_editions_whose_translations_link() {
    let store = fresh_store().await;
    let later = datetime!(2027-01-01 0:00 UTC);
    let installed = demo::install(&store, &store.media_dir(), "", T0)
        .await
        .unwrap();
    assert_eq!(installed, 94);

    let sites = store.sites().await.unwrap();
    let langs: Vec<_> = sites.iter().map(|s| (s.key.as_str(), s.lang)).collect();
    assert_eq!(langs, [("courier-en", Lang::En), ("courier-ar", Lang::Ar)]);
    assert_eq!(sites[0].edition_group, sites[1].edition_group);
    let (en, ar) = (sites[0].id, sites[1].id);
    for site in [en, ar] {
        assert_eq!(
            store
                .count_published(site, ArticleFilter::All, later)
                .await
                .unwrap(),
            47
        );
        assert_eq!(store.sections(site).await.unwrap().len(), 9);
    }
    assert_eq!(store.count_indexable().await.unwrap(), 94);

    // Every English article of a group has its Arabic translation.
    let entries = store.sitemap_entries(en, later, 100, 0).await.unwrap();
    let translated: Vec<_> = entries
        .iter()
        .filter(|e| !e.translations.is_empty())
        .collect();
    assert_eq!(translated.len(), 13);
    assert!(
        translated
            .iter()
            .all(|e| e.translations.iter().all(|l| l.site == ar))
    );
    // Lead images are written into the data directory.
    let image = entries[0].image_path.as_deref().unwrap();
    assert!(store.media_dir().join(image).is_file(), "{image}");
}
