//! The application's use cases, tested without HTTP: a real SQLite file in
//! a temporary directory, the real store and rules, and a record of what
//! each use case announced to the caches. Tests read as what people do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod articles;
mod comments;
mod import;
mod settings;
mod sourced;
mod tasks;
mod wire;

use dateline_core::accounts::{Email, Role, UserId};
use dateline_core::editing::ArticleInput;
use dateline_core::{FooterLines, Lang, SectionId, SiteId, Slug, SocialLinks};
use dateline_newsdesk::changes::{LocalCaches, Purger};
use dateline_newsdesk::{Actor, Newsdesk, NewsdeskConfig, OnSite};
use dateline_store::{Db, NewSection, NewSite};
use std::sync::{Arc, Mutex};
use tempfile::TempDir;
use time::OffsetDateTime;

/// The page cache as the application sees it: a record of what it was
/// told to drop.
#[derive(Default)]
pub struct RecordingCaches {
    purged: Mutex<Vec<String>>,
    reloads: Mutex<usize>,
}

impl LocalCaches for RecordingCaches {
    fn purge(&self, keys: &[String]) {
        self.purged.lock().unwrap().extend(keys.iter().cloned());
    }

    fn sites_reloaded(&self) {
        *self.reloads.lock().unwrap() += 1;
    }
}

/// A newsroom of one English site with a section and one person of each
/// role, and the application over it.
pub struct Newsroom {
    pub desk: Newsdesk,
    pub db: Db,
    pub site: SiteId,
    pub section: SectionId,
    pub reporter: Actor,
    pub editor: Actor,
    pub moderator: Actor,
    pub admin: Actor,
    caches: Arc<RecordingCaches>,
    dir: TempDir,
}

impl Newsroom {
    /// This person acting on the site.
    pub fn on(&self, actor: Actor) -> OnSite {
        OnSite {
            site: self.site,
            actor,
        }
    }

    /// The keys announced since the last call.
    pub fn purged(&self) -> Vec<String> {
        std::mem::take(&mut *self.caches.purged.lock().unwrap())
    }

    pub fn reloads(&self) -> usize {
        *self.caches.reloads.lock().unwrap()
    }

    pub fn media_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("media")
    }

    /// An article form with the fields every article needs.
    pub fn input(&self, headline: &str) -> ArticleInput {
        ArticleInput {
            headline: headline.to_owned(),
            standfirst: format!("What {headline} means."),
            body_html: format!("<p>The story of {headline}.</p>"),
            section: self.section.to_string(),
            ..ArticleInput::default()
        }
    }
}

pub async fn newsroom() -> Newsroom {
    newsroom_with(NewsdeskConfig::default()).await
}

pub async fn newsroom_with(mut config: NewsdeskConfig) -> Newsroom {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite(&dir.path().join("dateline.db"))
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await.unwrap();
    let site = tx.insert_site(&new_site(), now).await.unwrap();
    let section = tx
        .insert_section(
            site,
            &NewSection {
                slug: Slug::parse("politics").unwrap(),
                name: "Politics".into(),
                position: 0,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let person = async |email: &str, role: Role| {
        let user: UserId = db
            .create_user(&Email::parse(email).unwrap(), email, "no-login", now)
            .await
            .unwrap();
        db.grant_role(user, site, role).await.unwrap();
        Actor { user, role }
    };
    let reporter = person("rami@example.com", Role::Reporter).await;
    let editor = person("eda@example.com", Role::Editor).await;
    let moderator = person("mona@example.com", Role::Moderator).await;
    let admin = person("ada@example.com", Role::Admin).await;
    let caches = Arc::new(RecordingCaches::default());
    config.media_dir = dir.path().join("media");
    let desk = Newsdesk::open(db.clone(), Purger::new(caches.clone()), config)
        .await
        .unwrap();
    Newsroom {
        desk,
        db,
        site,
        section,
        reporter,
        editor,
        moderator,
        admin,
        caches,
        dir,
    }
}

/// The site's Arabic edition, under `/ar`, with a section "سياسة"
/// (`siyasa`), loaded into the network.
pub async fn arabic_edition(n: &Newsroom) -> SiteId {
    let mut tx = n.db.begin().await.unwrap();
    let arabic = tx
        .insert_site(
            &NewSite {
                key: "courier-ar".into(),
                name: "كورير".into(),
                lang: Lang::Ar,
                path_prefix: "ar".into(),
                hostnames: Vec::new(),
                ..new_site()
            },
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    tx.insert_section(
        arabic,
        &NewSection {
            slug: Slug::parse("siyasa").unwrap(),
            name: "سياسة".into(),
            position: 0,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    n.desk.sites().reload(&n.db).await.unwrap();
    arabic
}

pub fn new_site() -> NewSite {
    NewSite {
        key: "courier-en".into(),
        name: "The Courier".into(),
        lang: Lang::En,
        description: "News of the region".into(),
        hostnames: vec!["courier.example.com".into()],
        path_prefix: String::new(),
        base_url: String::new(),
        edition_group: "courier".into(),
        time_zone: "Asia/Beirut".into(),
        date_format_list: "{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}".into(),
        date_format_published: "{weekday} {d} {month} {yyyy} - {HH}:{mm}".into(),
        date_format_updated: "{zone} {HH}:{mm}:{ss}".into(),
        social: SocialLinks::default(),
        footer: FooterLines::default(),
        terms_of_use: "Do not insult anyone.".into(),
        banned_terms: vec!["idiot".into(), "سلاح".into()],
        comment_security: dateline_core::comments::SecurityMode::Image,
    }
}
