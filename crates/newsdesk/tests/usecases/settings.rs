//! Running a site: its settings, sections, tags and authors.

use crate::newsroom;
use dateline_core::settings::SettingsInput;
use dateline_core::terms::{TermInput, TermKind};
use dateline_newsdesk::settings::SiteError;

#[tokio::test]
async fn an_admin_renames_the_site_and_every_page_shows_it() {
    let n = newsroom().await;
    let site = n.desk.network().entry(n.site).unwrap().site.clone();
    let mut input = SettingsInput::from_site(&site);
    input.name = "The Evening Courier".into();
    let by_editor = n.desk.update_settings(n.on(n.editor), &input).await;
    assert!(matches!(by_editor, Err(SiteError::NotAllowed)));
    let reloads = n.reloads();
    n.purged();
    n.desk.update_settings(n.on(n.admin), &input).await.unwrap();
    assert_eq!(
        n.desk.network().entry(n.site).unwrap().site.name,
        "The Evening Courier"
    );
    assert_eq!(n.reloads(), reloads + 1);
    assert_eq!(n.purged(), vec![format!("site-{}", n.site)]);
    let mut broken = input.clone();
    broken.time_zone = "Mars/Olympus".into();
    let refused = n.desk.update_settings(n.on(n.admin), &broken).await;
    let Err(SiteError::Invalid(errors)) = refused else {
        panic!("expected field errors, got {refused:?}");
    };
    assert_eq!(errors[0].field, "time_zone");
}

#[tokio::test]
async fn editors_manage_sections_and_a_taken_slug_is_named() {
    let n = newsroom().await;
    let section = |name: &str, slug: &str| TermInput {
        name: name.into(),
        slug: slug.into(),
        position: "1".into(),
        ..TermInput::default()
    };
    let by_reporter = n
        .desk
        .save_term(
            n.on(n.reporter),
            TermKind::Section,
            None,
            &section("Sport", "sport"),
        )
        .await;
    assert!(matches!(by_reporter, Err(SiteError::NotAllowed)));
    let id = n
        .desk
        .save_term(
            n.on(n.editor),
            TermKind::Section,
            None,
            &section("Sport", "sport"),
        )
        .await
        .unwrap();
    let menu: Vec<String> = n
        .desk
        .network()
        .entry(n.site)
        .unwrap()
        .sections
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert!(menu.contains(&"Sport".to_owned()), "{menu:?}");
    let taken = n
        .desk
        .save_term(
            n.on(n.editor),
            TermKind::Section,
            None,
            &section("Politics 2", "politics"),
        )
        .await;
    let Err(SiteError::Invalid(errors)) = taken else {
        panic!("expected the slug refused, got {taken:?}");
    };
    assert_eq!(errors[0].field, "slug");
    n.desk
        .delete_term(n.on(n.editor), TermKind::Section, id)
        .await
        .unwrap();
    let gone = n
        .desk
        .delete_term(n.on(n.editor), TermKind::Section, id)
        .await;
    assert!(matches!(gone, Err(SiteError::NotFound)));
}
