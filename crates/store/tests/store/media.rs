//! The media library: recording uploads and listing a site's images.

use crate::{T0, add_site, minutes, newsroom};
use dateline_core::accounts::UserId;
use dateline_core::{ImageCrop, ImageVariant, Lang, SiteId};
use dateline_store::NewMedia;

fn upload<'a>(
    site: SiteId,
    path: &'a str,
    variants: &'a [ImageVariant],
    crops: &'a [ImageCrop],
    by: Option<UserId>,
) -> NewMedia<'a> {
    NewMedia {
        site,
        path,
        mime_type: "image/jpeg",
        width: 1600,
        height: 900,
        original_name: "IMG_0042.JPG",
        variants,
        crops,
        uploaded_by: by,
    }
}

#[tokio::test]
async fn an_upload_is_listed_with_its_size_name_and_variants() {
    let desk = newsroom().await;
    let variants = [
        ImageVariant {
            width: 480,
            path: "uploads/a-480.jpg".to_owned(),
        },
        ImageVariant {
            width: 960,
            path: "uploads/a-960.jpg".to_owned(),
        },
    ];
    let crops = [ImageCrop {
        ratio: "1x1".to_owned(),
        width: 900,
        height: 900,
        path: "uploads/a-1x1.jpg".to_owned(),
    }];
    let id = desk
        .insert_media(
            &upload(
                desk.site,
                "uploads/a.jpg",
                &variants,
                &crops,
                Some(desk.editor),
            ),
            T0,
        )
        .await
        .unwrap();

    let library = desk.media_library(desk.site, 10, 0).await.unwrap();
    assert_eq!(library.len(), 1);
    let item = &library[0];
    assert_eq!(item.id, id);
    assert_eq!(item.path, "uploads/a.jpg");
    assert_eq!(item.mime_type, "image/jpeg");
    assert_eq!((item.width, item.height), (1600, 900));
    assert_eq!(item.original_name, "IMG_0042.JPG");
    assert_eq!(item.variants, variants);
    assert_eq!(item.created_at, T0);
}

#[tokio::test]
async fn the_library_is_newest_first_in_pages_and_shows_one_site_only() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let mut ids = Vec::new();
    for (i, path) in ["uploads/1.jpg", "uploads/2.jpg", "uploads/3.jpg"]
        .into_iter()
        .enumerate()
    {
        let at = T0 + minutes(i as i64);
        ids.push(
            desk.insert_media(&upload(desk.site, path, &[], &[], None), at)
                .await
                .unwrap(),
        );
    }
    desk.insert_media(&upload(other, "uploads/other.jpg", &[], &[], None), T0)
        .await
        .unwrap();

    let page = |limit, offset| {
        let desk = &desk;
        async move {
            desk.media_library(desk.site, limit, offset)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.path)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(page(2, 0).await, ["uploads/3.jpg", "uploads/2.jpg"]);
    assert_eq!(page(2, 2).await, ["uploads/1.jpg"]);

    // The editor's lead-image choices are the same images.
    let choices: Vec<_> = desk
        .media_choices(desk.site)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.width, c.height))
        .collect();
    assert_eq!(
        choices,
        [
            (ids[2], 1600, 900),
            (ids[1], 1600, 900),
            (ids[0], 1600, 900)
        ]
    );
}

#[tokio::test]
async fn a_file_path_is_recorded_once() {
    let desk = newsroom().await;
    desk.insert_media(&upload(desk.site, "uploads/a.jpg", &[], &[], None), T0)
        .await
        .unwrap();
    let again = desk
        .insert_media(&upload(desk.site, "uploads/a.jpg", &[], &[], None), T0)
        .await;
    assert!(again.is_err(), "{again:?}");
    assert_eq!(desk.media_library(desk.site, 10, 0).await.unwrap().len(), 1);
}

#[tokio::test]
async fn media_files_are_kept_by_path_and_never_rewritten() {
    let store = crate::fresh_store().await;
    assert_eq!(store.shares_media(), crate::on_postgres());
    store
        .put_media_files(
            &[
                ("uploads/a.jpg", b"first"),
                ("uploads/a-320w.jpg", b"small"),
            ],
            crate::T0,
        )
        .await
        .unwrap();
    store
        .put_media_files(&[("uploads/a.jpg", b"second")], crate::T0)
        .await
        .unwrap();
    assert_eq!(
        store.media_file("uploads/a.jpg").await.unwrap().as_deref(),
        Some(&b"first"[..])
    );
    assert_eq!(store.media_file("uploads/b.jpg").await.unwrap(), None);
    assert_eq!(store.media_file_count().await.unwrap(), 2);
}
