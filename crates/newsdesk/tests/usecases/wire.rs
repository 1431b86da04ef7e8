//! Wire ingest: agency files become articles through the newsroom's rules,
//! one article per item, with updates, kills, embargoes and the desk's
//! choice honoured. Files are our fixtures (`fixtures/ingest/`).

use crate::{Newsroom, newsroom};
use dateline_core::wire::{SourceMode, UpdatePolicy};
use dateline_core::workflow::Action;
use dateline_core::{ArticleId, ArticleState, SiteId, Slug};
use dateline_newsdesk::wire::{IngestOptions, NewWireSource, Outcome, Skip, WireSource};
use dateline_newsdesk::{ArticleCommand, Origin, Schedule};
use dateline_store::NewSection;
use time::{Duration, OffsetDateTime};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/ingest/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn source(n: &Newsroom, mode: SourceMode, updates: UpdatePolicy) -> WireSource {
    n.desk
        .save_wire_source(&NewWireSource {
            name: "exw",
            label: "EXW",
            site: n.site,
            mode,
            updates,
            url: "",
            poll_seconds: 300,
        })
        .await
        .unwrap();
    n.desk.wire_source("exw").await.unwrap().unwrap()
}

/// The outcome of each item of one file.
async fn ingest(n: &Newsroom, source: &WireSource, name: &str, bytes: &[u8]) -> Vec<Outcome> {
    let report = n
        .desk
        .ingest_file(source, name, bytes, IngestOptions::default())
        .await
        .unwrap();
    assert_eq!(report.refused, None, "{name}");
    report.items.into_iter().map(|i| i.outcome).collect()
}

async fn one(n: &Newsroom, source: &WireSource, name: &str) -> Outcome {
    let outcomes = ingest(n, source, name, &fixture(name)).await;
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    outcomes.into_iter().next().unwrap()
}

/// A second section of the site, "Business", loaded into the network.
async fn business_section(n: &Newsroom) -> dateline_core::SectionId {
    let mut tx = n.db.begin().await.unwrap();
    let business = tx
        .insert_section(
            n.site,
            &NewSection {
                slug: Slug::parse("business").unwrap(),
                name: "Business".into(),
                position: 1,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n.desk.sites().reload(&n.db).await.unwrap();
    business
}

async fn headline(n: &Newsroom, site: SiteId, id: ArticleId) -> (String, ArticleState) {
    let article = n.db.editable_article(site, id).await.unwrap().unwrap();
    (article.content.headline, article.status.state)
}

#[tokio::test]
async fn a_publishing_source_makes_one_article_per_item_updated_by_newer_versions_and_killed() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let Outcome::Published(id) = one(&n, &exw, "g2-story-v1.xml").await else {
        panic!("a new item of a publishing source is published");
    };
    assert_eq!(
        headline(&n, n.site, id).await,
        ("Talks resume in Geneva".into(), ArticleState::Published)
    );
    assert_eq!(
        one(&n, &exw, "g2-story-v1.xml").await,
        Outcome::Skipped(Skip::Again),
        "the same file again changes nothing"
    );
    assert_eq!(
        one(&n, &exw, "g2-story-v2-update.xml").await,
        Outcome::Updated(id)
    );
    let updated = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert!(updated.content.body_html.contains("ran into the night"));
    assert_eq!(updated.status.state, ArticleState::Published);
    assert!(
        n.db.revisions(id).await.unwrap().len() >= 2,
        "the update keeps a revision"
    );
    assert_eq!(
        one(&n, &exw, "g2-story-v1.xml").await,
        Outcome::Skipped(Skip::Older {
            newest: 1_542_761_538
        }),
        "an older version is skipped"
    );
    n.purged();
    assert_eq!(
        one(&n, &exw, "g2-story-kill.xml").await,
        Outcome::Killed(vec![id])
    );
    assert_eq!(headline(&n, n.site, id).await.1, ArticleState::Unpublished);
    assert!(!n.purged().is_empty(), "the kill purges what readers saw");
    let link = n.db.link_of(id).await.unwrap().unwrap();
    let (_, reason) = link.killed.expect("the kill is on the link");
    assert!(reason.contains("legal advice"), "{reason}");
}

#[tokio::test]
async fn a_queueing_source_leaves_items_on_the_wire_desk_and_marks_updates_and_kills() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Queue, UpdatePolicy::DeskDecides).await;
    assert_eq!(one(&n, &exw, "g2-story-v1.xml").await, Outcome::Queued);
    assert_eq!(
        one(&n, &exw, "g2-story-v2-update.xml").await,
        Outcome::UpdatedOnDesk
    );
    let desk = n.db.wire_desk(n.site, None, 50).await.unwrap();
    assert_eq!(
        desk.len(),
        1,
        "the desk shows the newest version of each item"
    );
    assert_eq!(
        (desk[0].version, desk[0].outcome.as_str()),
        (1_542_761_538, "queued")
    );
    assert_eq!(
        desk[0].article_id, None,
        "nothing is published until an editor takes it"
    );
    assert_eq!(
        one(&n, &exw, "g2-story-kill.xml").await,
        Outcome::Killed(vec![])
    );
    let desk = n.db.wire_desk(n.site, None, 50).await.unwrap();
    assert_eq!(desk[0].outcome, "killed");
    let options = IngestOptions {
        mode: Some(SourceMode::Publish),
        ..IngestOptions::default()
    };
    let report = n
        .desk
        .ingest_file(
            &exw,
            "again.xml",
            &fixture("g2-story-v2-update.xml"),
            options,
        )
        .await
        .unwrap();
    assert_eq!(
        report.items[0].outcome,
        Outcome::Skipped(Skip::Older {
            newest: 1_900_000_001
        }),
        "a killed item does not come back with an older version"
    );
}

#[tokio::test]
async fn an_update_to_a_story_the_desk_edited_waits_for_an_editor_unless_the_wire_wins() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let Outcome::Published(id) = one(&n, &exw, "g2-story-v1.xml").await else {
        panic!("published");
    };
    let article = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    let mut input = article.content.to_input();
    input.headline = "Geneva talks resume (desk headline)".into();
    n.desk
        .save_article(
            n.on(n.editor),
            id,
            article.version,
            ArticleCommand {
                input: &input,
                action: Action::Save,
                schedule: Schedule::AsTyped,
                origin: Origin::Newsroom,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        one(&n, &exw, "g2-story-v2-update.xml").await,
        Outcome::HeldForDesk(id)
    );
    assert_eq!(
        headline(&n, n.site, id).await.0,
        "Geneva talks resume (desk headline)",
        "the desk's text stays"
    );
    let desk = n.db.wire_desk(n.site, None, 50).await.unwrap();
    assert_eq!(
        (desk[0].outcome.as_str(), desk[0].article_id),
        ("held", Some(id.0))
    );

    let exw = source(&n, SourceMode::Publish, UpdatePolicy::WireWins).await;
    let v3 = String::from_utf8(fixture("g2-story-v2-update.xml"))
        .unwrap()
        .replace("1542761538", "1600000000");
    assert_eq!(
        ingest(&n, &exw, "v3.xml", v3.as_bytes()).await,
        vec![Outcome::Updated(id)]
    );
    assert_ne!(
        headline(&n, n.site, id).await.0,
        "Geneva talks resume (desk headline)"
    );
}

#[tokio::test]
async fn an_embargoed_item_is_scheduled_for_the_end_of_its_embargo_and_a_past_one_is_published() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let format = &time::format_description::well_known::Rfc3339;
    let until = (OffsetDateTime::now_utc() + Duration::hours(2))
        .replace_nanosecond(0)
        .unwrap();
    let file = String::from_utf8(fixture("g2-embargoed.xml")).unwrap();
    let held = file.replace("2026-12-06T12:00:00+01:00", &until.format(format).unwrap());
    let outcomes = ingest(&n, &exw, "held.xml", held.as_bytes()).await;
    let [Outcome::Embargoed { article, until: at }] = outcomes.as_slice() else {
        panic!("{outcomes:?}");
    };
    assert_eq!(*at, until);
    let scheduled =
        n.db.editable_article(n.site, *article)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(scheduled.status.state, ArticleState::Scheduled);
    assert_eq!(scheduled.status.published_at, Some(until));

    let past = (OffsetDateTime::now_utc() - Duration::hours(1))
        .format(format)
        .unwrap();
    let gone = file
        .replace("2026-12-06T12:00:00+01:00", &past)
        .replace("embargo-1", "embargo-2");
    let outcomes = ingest(&n, &exw, "gone.xml", gone.as_bytes()).await;
    assert!(
        matches!(outcomes[..], [Outcome::Published(_)]),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn the_item_keeps_its_credit_dateline_byline_time_and_section_and_its_notes_stay_private() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let business = business_section(&n).await;
    n.db.set_subject_section(exw.id, n.site, "medtop:04000000", Some(business))
        .await
        .unwrap();
    let Outcome::Published(id) = one(&n, &exw, "g2-xhtml-default-ns.xml").await else {
        panic!("published");
    };
    let article = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    let c = &article.content;
    assert_eq!(c.headline, "Beirut port reopens to cargo ships");
    assert_eq!(
        c.source_credit, "Example Wire",
        "the credit line without its label"
    );
    assert_eq!(c.dateline_place, "BEIRUT");
    assert_eq!(c.section, business, "the subject's section");
    assert_eq!(c.tags, vec!["port".to_owned(), "shipping".to_owned()]);
    assert!(
        !c.body_html
            .contains("<p>Beirut port reopens to cargo ships</p>"),
        "no repeated headline"
    );
    let authors = n.db.authors(n.site).await.unwrap();
    assert!(
        authors
            .iter()
            .any(|a| c.authors.contains(&a.id) && a.name == "Rana Example")
    );
    let first_created = time::macros::datetime!(2026-12-05 06:00 UTC);
    assert_eq!(
        article.status.published_at,
        Some(first_created),
        "the agency's own time"
    );

    let everything = serde_json::to_string(c).unwrap();
    assert!(
        !everything.contains("+961"),
        "the editor note is in no public field"
    );
    let notes = n.db.wire_notes_of(id).await.unwrap();
    assert!(
        notes.iter().any(|note| note.contains("+961 1 000000")),
        "{notes:?}"
    );

    n.db.set_subject_section(exw.id, n.site, "medtop:04000000", None)
        .await
        .unwrap();
    let again = String::from_utf8(fixture("g2-xhtml-default-ns.xml"))
        .unwrap()
        .replace("port-reopens", "port-reopens-2");
    let outcomes = ingest(&n, &exw, "again.xml", again.as_bytes()).await;
    let [Outcome::Published(other)] = outcomes[..] else {
        panic!("{outcomes:?}")
    };
    let other = n.db.editable_article(n.site, other).await.unwrap().unwrap();
    assert_eq!(
        other.content.section, n.section,
        "unmapped: the edition's first section"
    );
    n.db.set_subject_section(exw.id, n.site, "*", Some(business))
        .await
        .unwrap();
    let third = String::from_utf8(fixture("g2-xhtml-default-ns.xml"))
        .unwrap()
        .replace("port-reopens", "port-reopens-3");
    let outcomes = ingest(&n, &exw, "third.xml", third.as_bytes()).await;
    let [Outcome::Published(third)] = outcomes[..] else {
        panic!("{outcomes:?}")
    };
    let third = n.db.editable_article(n.site, third).await.unwrap().unwrap();
    assert_eq!(
        third.content.section, business,
        "unmapped: the source's default, `*`"
    );
}

#[tokio::test]
async fn an_item_goes_to_the_edition_of_its_language() {
    let n = newsroom().await;
    let arabic = crate::arabic_edition(&n).await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let report = n
        .desk
        .ingest_file(
            &exw,
            "ar.xml",
            &fixture("g2-arabic.xml"),
            IngestOptions::default(),
        )
        .await
        .unwrap();
    let item = &report.items[0];
    assert_eq!(item.site, Some(arabic));
    let Outcome::Published(id) = item.outcome else {
        panic!("{item:?}")
    };
    assert!(n.db.editable_article(arabic, id).await.unwrap().is_some());
    assert!(n.db.editable_article(n.site, id).await.unwrap().is_none());
}

#[tokio::test]
async fn a_refused_item_is_reported_with_its_reason_and_the_others_are_taken() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let long = "word ".repeat(80);
    let file = String::from_utf8(fixture("g2-message-two-items.xml"))
        .unwrap()
        .replace("First item of the message", &long);
    let outcomes = ingest(&n, &exw, "message.xml", file.as_bytes()).await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let Outcome::Refused(reason) = &outcomes[0] else {
        panic!("{outcomes:?}")
    };
    assert!(
        reason.starts_with("message.xml: item urn:newsml:example.org:msg-1: headline: too long"),
        "{reason}"
    );
    assert!(matches!(outcomes[1], Outcome::Published(_)));
    let health = n.desk.wire_source("exw").await.unwrap().unwrap().health;
    assert_eq!((health.items_taken, health.items_refused), (1, 1));
    assert_eq!(health.last_error, *reason);

    let fixed = String::from_utf8(fixture("g2-message-two-items.xml")).unwrap();
    let outcomes = ingest(&n, &exw, "message.xml", fixed.as_bytes()).await;
    assert!(
        matches!(
            outcomes[..],
            [Outcome::Published(_), Outcome::Skipped(Skip::Again)]
        ),
        "a refused item is taken when it comes again, fixed: {outcomes:?}"
    );

    let report = n
        .desk
        .ingest_file(
            &exw,
            "bad.xml",
            &fixture("hostile-billion-laughs.xml"),
            IngestOptions::default(),
        )
        .await
        .unwrap();
    assert!(report.refused.unwrap().starts_with("bad.xml: has a DTD"));
}

#[tokio::test]
async fn one_bad_item_of_a_message_costs_only_itself_and_partner_feeds_come_in_too() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let name = "g2-message-one-bad-item.xml";
    let outcomes = ingest(&n, &exw, name, &fixture(name)).await;
    assert!(
        matches!(
            &outcomes[..],
            [Outcome::Published(_), Outcome::Refused(reason), Outcome::Published(_)]
                if reason.contains("batch-2") && reason.contains("no headline")
        ),
        "{outcomes:?}"
    );

    let feed = "feed-rss-guid.xml";
    let outcomes = ingest(&n, &exw, feed, &fixture(feed)).await;
    assert!(outcomes.len() >= 2, "{outcomes:?}");
    let Outcome::Published(first) = outcomes[0] else {
        panic!("{outcomes:?}")
    };
    let article = n.db.editable_article(n.site, first).await.unwrap().unwrap();
    assert_eq!(
        article.content.source_credit, "Harbour Gazette",
        "the partner's feed title"
    );
    assert!(
        ingest(&n, &exw, feed, &fixture(feed))
            .await
            .iter()
            .all(|o| *o == Outcome::Skipped(Skip::Again)),
        "the same feed read again changes nothing"
    );
}

#[tokio::test]
async fn an_old_subject_code_finds_the_section_of_its_media_topic() {
    let n = newsroom().await;
    let exw = source(&n, SourceMode::Publish, UpdatePolicy::DeskDecides).await;
    let business = business_section(&n).await;
    n.desk
        .map_wire_subject(n.on(n.admin), "exw", "medtop:04000000", Some(business))
        .await
        .unwrap();
    let file = String::from_utf8(fixture("g2-xhtml-default-ns.xml"))
        .unwrap()
        .replace("medtop:04000000", "subj:04016000")
        .replace("medtop:20000349", "subj:99999999");
    let outcomes = ingest(&n, &exw, "subj.xml", file.as_bytes()).await;
    let [Outcome::Published(id)] = outcomes[..] else {
        panic!("{outcomes:?}")
    };
    let article = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(article.content.section, business);
    let refused = n
        .desk
        .map_wire_subject(n.on(n.editor), "exw", "medtop:1", Some(business))
        .await;
    assert!(refused.is_err(), "only admins map subjects");
}
