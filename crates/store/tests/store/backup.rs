//! Backups of the SQLite backend: a consistent copy of a database that is
//! being written, and the checks a restore makes on a copy. (These work on
//! the database file, so they run on SQLite whatever the suite's backend.)

use crate::{T0, minutes, newsroom_in, sqlite_store};
use dateline_core::{ImageCrop, ImageVariant};
use dateline_store::NewMedia;
use dateline_store::backup::{inspect, schema_level, snapshot};

#[tokio::test]
async fn a_snapshot_holds_what_was_committed_and_names_every_media_file() {
    let desk = newsroom_in(sqlite_store().await).await;
    desk.published("Before the backup", T0).await;
    desk.draft("A draft, also kept").await;
    let variants = [ImageVariant {
        width: 320,
        path: "uploads/a-320w.jpg".to_owned(),
    }];
    let crops = [ImageCrop {
        ratio: "1x1".to_owned(),
        width: 800,
        height: 800,
        path: "uploads/a-1x1.jpg".to_owned(),
    }];
    let media = NewMedia {
        site: desk.site,
        path: "uploads/a.jpg",
        mime_type: "image/jpeg",
        width: 1200,
        height: 800,
        original_name: "a.jpg",
        variants: &variants,
        crops: &crops,
        uploaded_by: None,
    };
    desk.insert_media(&media, T0).await.unwrap();

    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.db");
    let taken = snapshot(&desk.store.database_file(), &copy).await.unwrap();
    let summary = &taken.summary;
    assert_eq!(summary.schema, schema_level());
    assert!(summary.schema >= 14, "{summary:?}");
    assert_eq!(
        (
            summary.sites,
            summary.articles,
            summary.users,
            summary.media
        ),
        (1, 2, 1, 1)
    );
    assert_eq!(
        taken.media_files,
        ["uploads/a.jpg", "uploads/a-320w.jpg", "uploads/a-1x1.jpg"]
    );

    // The copy is a database of its own: later writes do not reach it,
    // and it opens as a data directory's database.
    desk.published("After the backup", T0 + minutes(1)).await;
    assert_eq!(inspect(&copy).await.unwrap().summary, taken.summary);
    let reopened = dateline_store::Db::open_sqlite(&copy).await.unwrap();
    assert!(!reopened.is_empty().await.unwrap());
    reopened.close().await;
}

#[tokio::test]
async fn a_snapshot_taken_while_writes_go_on_is_whole_and_checked() {
    let desk = newsroom_in(sqlite_store().await).await;
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.db");
    let source = desk.store.database_file();
    let writer = async {
        for n in 0..40 {
            desk.published(&format!("Story {n}"), T0 + minutes(n)).await;
            tokio::task::yield_now().await;
        }
    };
    let (taken, ()) = tokio::join!(snapshot(&source, &copy), writer);
    let articles = taken.unwrap().summary.articles;
    assert!((0..=40).contains(&articles), "{articles}");
    assert_eq!(inspect(&copy).await.unwrap().summary.articles, articles);
}

#[tokio::test]
async fn a_damaged_or_foreign_file_and_an_occupied_target_are_refused_naming_them() {
    let desk = newsroom_in(sqlite_store().await).await;
    let folder = tempfile::tempdir().unwrap();

    let foreign = folder.path().join("notes.db");
    std::fs::write(
        &foreign,
        "not a database at all, only some notes".repeat(200),
    )
    .unwrap();
    let error = inspect(&foreign).await.unwrap_err().to_string();
    assert!(error.contains(&foreign.display().to_string()), "{error}");

    let copy = folder.path().join("copy.db");
    snapshot(&desk.store.database_file(), &copy).await.unwrap();
    let mut bytes = std::fs::read(&copy).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8192].fill(0x5a);
    std::fs::write(&copy, bytes).unwrap();
    let error = inspect(&copy).await.unwrap_err().to_string();
    assert!(error.contains(&copy.display().to_string()), "{error}");

    let error = snapshot(&desk.store.database_file(), &foreign)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains(&foreign.display().to_string()), "{error}");
}
