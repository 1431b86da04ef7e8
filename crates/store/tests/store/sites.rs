//! Sites: creating editions, reading the network, and replacing a site's settings.

use crate::{T0, add_site, fresh_store, new_site, newsroom};
use dateline_core::comments::{CommentMode, CommentPolicy, ReputationPolicy, SecurityMode};
use dateline_core::settings::SiteSettings;
use dateline_core::{CommentSettings, FeedContent, FooterLines, Lang, SocialLinks};
use dateline_store::{NewMedia, StoreError};

#[tokio::test]
async fn a_new_database_is_empty_until_its_first_site_is_created() {
    let store = fresh_store().await;
    store.ping().await.unwrap();
    assert!(store.is_empty().await.unwrap());
    assert!(store.sites().await.unwrap().is_empty());

    add_site(&store, "courier-en", Lang::En, "", "courier").await;
    assert!(!store.is_empty().await.unwrap());
}

#[tokio::test]
async fn sites_are_read_in_creation_order_with_what_they_were_created_with() {
    let store = fresh_store().await;
    let en = add_site(&store, "courier-en", Lang::En, "", "courier").await;
    let ar = add_site(&store, "courier-ar", Lang::Ar, "ar", "courier").await;

    let sites = store.sites().await.unwrap();
    let ids: Vec<_> = sites.iter().map(|s| s.id).collect();
    assert_eq!(ids, [en, ar], "the first site is the default");
    let ar = &sites[1];
    assert_eq!(ar.key, "courier-ar");
    assert_eq!(ar.name, "Site courier-ar");
    assert_eq!(ar.lang, Lang::Ar);
    assert_eq!(ar.path_prefix, "ar");
    assert_eq!(ar.edition_group, "courier");
    assert_eq!(
        ar.hostnames,
        ["courier-ar.example.com", "www.courier-ar.example.com"]
    );
    assert_eq!(ar.time_zone.name(), "Asia/Beirut");
    assert_eq!(ar.formats.updated.as_str(), "{zone} {HH}:{mm}:{ss}");
    assert_eq!(ar.terms_of_use, "Be civil.");
    assert_eq!(ar.comments.banned_terms, ["idiot"]);
    assert_eq!(ar.logo, None);
    // Defaults of what creation does not set.
    assert_eq!(ar.comments.policy.mode, CommentMode::Pre);
    assert_eq!(ar.feed_content, FeedContent::Full);
}

#[tokio::test]
async fn a_site_with_an_unknown_time_zone_or_date_pattern_is_refused() {
    let store = fresh_store().await;
    let mut tx = store.begin().await.unwrap();
    let mut site = new_site("x", Lang::En, "", "x");
    site.time_zone = "Mars/Olympus_Mons".to_owned();
    let refused = tx.insert_site(&site, T0).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );

    let mut site = new_site("x", Lang::En, "", "x");
    site.date_format_list = "{nonsense}".to_owned();
    let refused = tx.insert_site(&site, T0).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    drop(tx);
    assert!(store.is_empty().await.unwrap());
}

#[tokio::test]
async fn new_settings_replace_every_field_and_leave_an_audit_line() {
    let desk = newsroom().await;
    let logo = desk
        .insert_media(
            &NewMedia {
                site: desk.site,
                path: "uploads/logo.png",
                mime_type: "image/png",
                width: 400,
                height: 100,
                original_name: "logo.png",
                variants: &[],
                crops: &[],
                uploaded_by: Some(desk.editor),
            },
            T0,
        )
        .await
        .unwrap();
    let settings = SiteSettings {
        name: "The Levant Courier".to_owned(),
        description: "News from the Levant".to_owned(),
        time_zone: "Africa/Cairo".to_owned(),
        date_format_list: "{d} {month} {yyyy}".to_owned(),
        date_format_published: "{d} {month} {yyyy} {HH}:{mm}".to_owned(),
        date_format_updated: "{HH}:{mm}".to_owned(),
        social: SocialLinks {
            facebook: "https://www.facebook.com/levantcourier".to_owned(),
            twitter: "https://x.com/levantcourier".to_owned(),
            youtube: String::new(),
        },
        footer: FooterLines {
            publisher: "Cedar Media Group SAL".to_owned(),
            copyright: "© 2026".to_owned(),
            address: "شارع الحمراء، بيروت".to_owned(),
        },
        terms_of_use: "No insults.".to_owned(),
        logo: Some(logo),
        comments: CommentSettings {
            policy: CommentPolicy {
                mode: CommentMode::Post,
                max_chars: 2000,
                close_after_days: 14,
            },
            security: SecurityMode::Pow,
            banned_terms: vec!["traitor".to_owned(), "خائن".to_owned()],
            reputation: ReputationPolicy {
                trust_after_approved: 5,
                distrust_rejection_percent: 40,
            },
            classifier_hold_percent: 80,
        },
        feed_content: FeedContent::Summary,
    };

    desk.update_site_settings(desk.site, &settings, Some(desk.editor), T0)
        .await
        .unwrap();

    let site = desk.sites().await.unwrap().remove(0);
    assert_eq!(site.name, "The Levant Courier");
    assert_eq!(site.description, "News from the Levant");
    assert_eq!(site.time_zone.name(), "Africa/Cairo");
    assert_eq!(site.formats.list.as_str(), "{d} {month} {yyyy}");
    assert_eq!(
        site.formats.published.as_str(),
        "{d} {month} {yyyy} {HH}:{mm}"
    );
    assert_eq!(site.formats.updated.as_str(), "{HH}:{mm}");
    assert_eq!(site.social, settings.social);
    assert_eq!(site.footer, settings.footer);
    assert_eq!(site.terms_of_use, "No insults.");
    assert_eq!(site.logo, Some(logo));
    assert_eq!(site.logo_path.as_deref(), Some("uploads/logo.png"));
    assert_eq!(site.comments, settings.comments);
    assert_eq!(site.feed_content, FeedContent::Summary);
    // What settings do not cover stays.
    assert_eq!(site.key, "courier-en");
    assert_eq!(site.edition_group, "courier");

    let log = desk.audit_log(desk.site, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "settings");
    assert_eq!(log[0].subject, format!("site:{}", desk.site));
    assert_eq!(log[0].detail, "The Levant Courier");
    assert_eq!(log[0].user_name.as_deref(), Some("Rana Haddad"));
}
