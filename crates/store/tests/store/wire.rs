//! Wire ingest's storage: sources and their health, every version of
//! every item (received once, settled after), the wire desk's view, the
//! subject tables and the wire desk's account.

use crate::{T0, add_section, minutes, newsroom};
use dateline_core::wire::{SourceMode, UpdatePolicy};
use dateline_store::wire::{NewWireSource, Receipt, ReceivedItem, SourceFetch};

fn item(source: i64, site: dateline_core::SiteId, version: i64) -> ReceivedItem<'static> {
    ReceivedItem {
        source,
        site,
        guid: "urn:newsml:example.org:1",
        version,
        status: "usable",
        file: "one.xml",
        first_created: Some(T0),
        version_created: None,
        embargoed_until: None,
        language: "en",
        headline: "Talks resume",
        standfirst: "",
        body_html: "<p>Talks resumed.</p>",
        byline: "",
        keywords: &[],
        subjects: &[],
        credit: "EXW",
        dateline_place: "Geneva",
        slugline: "",
        editor_notes: &[],
    }
}

fn queueing(site: dateline_core::SiteId) -> NewWireSource<'static> {
    NewWireSource {
        name: "exw",
        label: "EXW",
        site,
        mode: SourceMode::Queue,
        updates: UpdatePolicy::DeskDecides,
        url: "",
        poll_seconds: 300,
    }
}

#[tokio::test]
async fn a_version_is_received_once_and_a_pending_or_refused_one_is_offered_again() {
    let desk = newsroom().await;
    let source = queueing(desk.site);
    let id = desk.save_wire_source(&source, T0).await.unwrap();
    let changed = NewWireSource {
        mode: SourceMode::Publish,
        ..source.clone()
    };
    assert_eq!(
        desk.save_wire_source(&changed, T0).await.unwrap(),
        id,
        "saved by name"
    );
    assert_eq!(
        desk.wire_source("exw").await.unwrap().unwrap().mode,
        SourceMode::Publish
    );

    let notes = vec!["Call the desk on +961".to_owned()];
    let first = ReceivedItem {
        editor_notes: &notes,
        ..item(id, desk.site, 5)
    };
    let Receipt::New {
        id: row,
        earlier: false,
    } = desk.receive_wire_item(&first, T0).await.unwrap()
    else {
        panic!("a new item");
    };
    // A crash before it was settled: offered again, the same row.
    assert_eq!(
        desk.receive_wire_item(&first, T0).await.unwrap(),
        Receipt::New {
            id: row,
            earlier: false
        }
    );
    desk.settle_wire_item(row, "refused", "too long", None)
        .await
        .unwrap();
    assert_eq!(
        desk.receive_wire_item(&first, T0).await.unwrap(),
        Receipt::New {
            id: row,
            earlier: false
        },
        "a refused item is taken again when it comes again"
    );
    desk.settle_wire_item(row, "queued", "", None)
        .await
        .unwrap();
    assert_eq!(
        desk.receive_wire_item(&first, T0).await.unwrap(),
        Receipt::Again {
            outcome: "queued".into()
        }
    );
    assert_eq!(
        desk.receive_wire_item(&item(id, desk.site, 4), T0)
            .await
            .unwrap(),
        Receipt::Stale { newest: 5 }
    );
    let Receipt::New {
        id: newer,
        earlier: true,
    } = desk
        .receive_wire_item(&item(id, desk.site, 9), T0 + minutes(1))
        .await
        .unwrap()
    else {
        panic!("a newer version");
    };
    desk.settle_wire_item(newer, "queued", "", None)
        .await
        .unwrap();
    let shown = desk.wire_desk(desk.site, None, 10).await.unwrap();
    assert_eq!(shown.len(), 1, "the newest version of each item");
    assert_eq!(shown[0].version, 9);
    assert_eq!(
        desk.wire_desk(desk.site, Some(id), 10).await.unwrap(),
        shown
    );
    assert!(
        desk.wire_desk(desk.site, Some(id + 1), 10)
            .await
            .unwrap()
            .is_empty(),
        "another source's items only"
    );
    let kept = desk.wire_item(row).await.unwrap().unwrap();
    assert_eq!(kept.editor_notes(), notes, "notes kept apart, for editors");
    assert!(!kept.body_html.contains("+961"));

    desk.record_wire_fetch(
        id,
        &SourceFetch {
            taken: 2,
            refused: 1,
            error: Some("bad.xml: malformed"),
        },
        T0 + minutes(2),
    )
    .await
    .unwrap();
    desk.record_wire_fetch(
        id,
        &SourceFetch {
            taken: 1,
            ..SourceFetch::default()
        },
        T0 + minutes(3),
    )
    .await
    .unwrap();
    let health = desk.wire_source("exw").await.unwrap().unwrap().health;
    assert_eq!((health.items_taken, health.items_refused), (3, 1));
    assert_eq!(health.last_error, "", "a success clears the error");
    assert_eq!(health.last_success_at, Some(T0 + minutes(3)));
}

#[tokio::test]
async fn subjects_map_to_sections_and_the_wire_desk_account_is_no_person() {
    let desk = newsroom().await;
    let id = desk
        .save_wire_source(&queueing(desk.site), T0)
        .await
        .unwrap();
    let business = add_section(&desk.store, desk.site, "business", "Business", 1).await;
    desk.set_subject_section(id, desk.site, "medtop:04000000", Some(business))
        .await
        .unwrap();
    desk.set_subject_section(id, desk.site, "medtop:04000000", Some(desk.section))
        .await
        .unwrap();
    assert_eq!(
        desk.subject_sections(id, desk.site).await.unwrap(),
        vec![("medtop:04000000".to_owned(), desk.section)]
    );
    desk.set_subject_section(id, desk.site, "medtop:04000000", None)
        .await
        .unwrap();
    assert!(
        desk.subject_sections(id, desk.site)
            .await
            .unwrap()
            .is_empty()
    );

    let people = desk.user_count().await.unwrap();
    let account = desk.wire_account(T0).await.unwrap();
    assert_eq!(desk.wire_account(T0).await.unwrap(), account, "one account");
    assert_eq!(desk.user_count().await.unwrap(), people, "not a person");
    assert!(
        desk.site_members(desk.site)
            .await
            .unwrap()
            .iter()
            .all(|(u, _)| u.id != account)
    );

    let author = desk.author_named(desk.site, "Rana Example").await.unwrap();
    assert_eq!(
        desk.author_named(desk.site, " rana example ")
            .await
            .unwrap(),
        author
    );
}

/// `dateline ingest` writes beside a running server: a transaction that
/// reads before it writes must wait for the other process's write, not
/// fail with "database is locked" (SQLite; PostgreSQL locks rows).
#[tokio::test]
async fn a_write_beside_another_process_waits_for_its_lock_instead_of_failing() {
    let desk = newsroom().await;
    if desk.backend() != dateline_store::BackendKind::Sqlite {
        return;
    }
    let source = desk
        .save_wire_source(&queueing(desk.site), T0)
        .await
        .unwrap();
    let server = desk.store.another_process().await;
    for round in 0..5 {
        // The other process writes for a moment…
        let mut held = server.begin().await.unwrap();
        let slug = dateline_core::Slug::parse(&format!("held-{round}")).unwrap();
        held.insert_section(
            desk.site,
            &dateline_store::NewSection {
                slug,
                name: "Held".into(),
                position: 9,
            },
        )
        .await
        .unwrap();
        // …while this one reads, then writes, in one transaction.
        let guid = format!("urn:newsml:example.org:wait-{round}");
        let received = ReceivedItem {
            guid: &guid,
            ..item(source, desk.site, 1)
        };
        let taking = desk.receive_wire_item(&received, T0);
        let releasing = async {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            held.commit().await.unwrap();
        };
        let (receipt, ()) = tokio::join!(taking, releasing);
        assert!(
            matches!(receipt, Ok(Receipt::New { .. })),
            "round {round}: {receipt:?}"
        );
    }
}
