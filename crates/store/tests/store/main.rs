//! Store-level tests: every module of `dateline_store` against a real database
//! file, with one module here per store module.
//!
//! Every test opens its own empty database through [`fresh_store`], the one
//! place that knows which backend is underneath: SQLite by default, or a
//! new database on the PostgreSQL server `TEST_POSTGRES_URL`
//! names when `TEST_DATABASE=postgres` (`scripts/test` runs this
//! suite both ways, on a throwaway cluster of `scripts/postgres`). The
//! tests speak only the store's public API and assert on what comes back,
//! never on SQL or on the file.
//!
//! Tests do not assume id values, and use fixed times around [`T0`] (times
//! are bound from Rust, never `now()` in SQL), so they are deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod articles;
mod backends;
mod backup;
mod cache;
mod comments;
mod copy;
mod editorial;
mod feed;
mod media;
mod redirects;
mod search;
mod sites;
mod sources;
mod taxonomy;
mod tokens;
mod websub;
mod wire;

use dateline_core::accounts::{Email, Role, UserId};
use dateline_core::editing::ArticleContent;
use dateline_core::workflow::Status;
use dateline_core::{
    ArticleId, ArticleState, AuthorId, FooterLines, Lang, SectionId, SiteId, Slug, SocialLinks,
    TagId,
};
use dateline_store::{Db, NewArticle, NewAuthor, NewSection, NewSite};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// A fixed "now" for every test: the seed page's `GMT 10:18 2016 Wednesday
/// ,23 March`, moved to 2026.
pub const T0: OffsetDateTime = datetime!(2026-03-23 10:18 UTC);

pub fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

/// An empty, migrated database that lives as long as this value, and a
/// data directory beside it (for the demo's media).
pub struct TestStore {
    pub db: Db,
    dir: TempDir,
    /// The PostgreSQL database, when the tests run on that backend.
    postgres_url: Option<String>,
}

impl TestStore {
    /// The data directory's `media/` folder.
    pub fn media_dir(&self) -> PathBuf {
        self.dir.path().join("media")
    }

    /// The database file of a store made by [`sqlite_store`].
    pub fn database_file(&self) -> PathBuf {
        assert!(
            self.postgres_url.is_none(),
            "a PostgreSQL store has no file"
        );
        self.dir.path().join("dateline.db")
    }

    /// A second handle on the same database, as another process (a second
    /// instance, a command-line tool) would open it: it shares no read
    /// cache with [`TestStore::db`].
    pub async fn another_process(&self) -> Db {
        self.another_process_result()
            .await
            .expect("the test database opens and migrates")
    }

    /// [`TestStore::another_process`], with what opening it says.
    pub async fn another_process_result(&self) -> dateline_store::Result<Db> {
        open_result(self.dir.path(), self.postgres_url.as_deref()).await
    }

    /// Deletes every row of `tables` behind the store's back (a copy cut
    /// short leaves rows missing like this). PostgreSQL stores only.
    pub async fn forget_rows(&self, tables: &[&str]) {
        use sqlx::Connection;
        let url = self.postgres_url.as_deref().expect("a PostgreSQL store");
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        for table in tables {
            let sql = format!("DELETE FROM {table}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .unwrap();
        }
    }

    /// Records a migration this binary does not have, as a newer Dateline
    /// that migrated the database would have left it.
    pub async fn record_foreign_migration(&self, version: i64) {
        use sqlx::Connection;
        const RECORD: &str = "INSERT INTO _sqlx_migrations \
            (version, description, success, checksum, execution_time) \
            VALUES ($1, 'from a newer Dateline', TRUE, $2, 0)";
        let checksum = vec![0_u8; 48];
        match &self.postgres_url {
            Some(url) => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                let q = sqlx::query(RECORD).bind(version).bind(checksum);
                q.execute(&mut c).await.unwrap();
            }
            None => {
                let path = self.dir.path().join("dateline.db");
                let url = format!("sqlite://{}", path.display());
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                let q = sqlx::query(RECORD).bind(version).bind(checksum);
                q.execute(&mut c).await.unwrap();
            }
        }
    }
}

impl Deref for TestStore {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// The backend the suite runs on, from `TEST_DATABASE`.
pub fn on_postgres() -> bool {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("TEST_DATABASE={other:?}: use sqlite or postgres"),
    }
}

/// The single place where tests get storage: a SQLite file in a new
/// temporary directory, or a new database on the test PostgreSQL server,
/// opened (and migrated) exactly as the server opens its database.
pub async fn fresh_store() -> TestStore {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let postgres_url = if on_postgres() {
        let server = std::env::var("TEST_POSTGRES_URL").expect(
            "TEST_POSTGRES_URL names the PostgreSQL server (scripts/postgres start prints it)",
        );
        Some(
            dateline_store::create_scratch_database(&server)
                .await
                .expect("a scratch database on the test server"),
        )
    } else {
        None
    };
    let db = open(dir.path(), postgres_url.as_deref()).await;
    TestStore {
        db,
        dir,
        postgres_url,
    }
}

/// A SQLite store whatever the suite's backend, for what only exists on
/// SQLite (backups of the database file).
pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = open(dir.path(), None).await;
    TestStore {
        db,
        dir,
        postgres_url: None,
    }
}

/// Opens the database of a test store (see [`fresh_store`]).
async fn open(dir: &Path, postgres_url: Option<&str>) -> Db {
    open_result(dir, postgres_url)
        .await
        .expect("the test database opens and migrates")
}

async fn open_result(dir: &Path, postgres_url: Option<&str>) -> dateline_store::Result<Db> {
    match postgres_url {
        Some(url) => Db::open_url(url).await,
        None => Db::open_sqlite(&dir.join("dateline.db")).await,
    }
}

/// A store with the smallest newsroom most tests need: one English site,
/// one section, and an editor.
pub struct Newsroom {
    pub store: TestStore,
    pub site: SiteId,
    pub section: SectionId,
    pub editor: UserId,
}

impl Deref for Newsroom {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.store.db
    }
}

pub async fn newsroom() -> Newsroom {
    newsroom_in(fresh_store().await).await
}

/// [`newsroom`] in a given store.
pub async fn newsroom_in(store: TestStore) -> Newsroom {
    let site = add_site(&store, "courier-en", Lang::En, "", "courier").await;
    let section = add_section(&store, site, "politics", "Politics", 0).await;
    let editor = add_user(&store, "rana@example.com", "Rana Haddad").await;
    store.grant_role(editor, site, Role::Editor).await.unwrap();
    Newsroom {
        store,
        site,
        section,
        editor,
    }
}

impl Newsroom {
    /// A draft written in the newsroom by the editor.
    pub async fn draft(&self, headline: &str) -> ArticleId {
        self.create_article(
            self.site,
            &content(self.section, headline),
            status(ArticleState::Draft, None),
            "save",
            self.editor,
            T0,
        )
        .await
        .unwrap()
    }

    /// An article published by the editor at `at`.
    pub async fn published(&self, headline: &str, at: OffsetDateTime) -> ArticleId {
        self.create_article(
            self.site,
            &content(self.section, headline),
            status(ArticleState::Published, Some(at)),
            "publish",
            self.editor,
            at,
        )
        .await
        .unwrap()
    }
}

/// What a new site needs; `prefix` is its path prefix (`ar`), `group` its
/// brand (editions of one brand may translate each other).
pub fn new_site(key: &str, lang: Lang, prefix: &str, group: &str) -> NewSite {
    NewSite {
        key: key.to_owned(),
        name: format!("Site {key}"),
        lang,
        description: format!("The {key} edition"),
        hostnames: vec![
            format!("{key}.example.com"),
            format!("www.{key}.example.com"),
        ],
        path_prefix: prefix.to_owned(),
        base_url: String::new(),
        edition_group: group.to_owned(),
        time_zone: "Asia/Beirut".to_owned(),
        date_format_list: "{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}".to_owned(),
        date_format_published: "{weekday} {d} {month} {yyyy} - {HH}:{mm}".to_owned(),
        date_format_updated: "{zone} {HH}:{mm}:{ss}".to_owned(),
        social: SocialLinks::default(),
        footer: FooterLines::default(),
        terms_of_use: "Be civil.".to_owned(),
        banned_terms: vec!["idiot".to_owned()],
        comment_security: dateline_core::comments::SecurityMode::Image,
    }
}

pub async fn add_site(db: &Db, key: &str, lang: Lang, prefix: &str, group: &str) -> SiteId {
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_site(&new_site(key, lang, prefix, group), T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn add_section(
    db: &Db,
    site: SiteId,
    slug: &str,
    name: &str,
    position: i64,
) -> SectionId {
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_section(
            site,
            &NewSection {
                slug: Slug::parse(slug).unwrap(),
                name: name.to_owned(),
                position,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn add_author(db: &Db, site: SiteId, slug: &str, name: &str) -> AuthorId {
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_author(
            site,
            &NewAuthor {
                slug: Slug::parse(slug).unwrap(),
                name: name.to_owned(),
                bio: format!("{name} covers the region."),
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn add_tag(db: &Db, site: SiteId, name: &str) -> TagId {
    let mut tx = db.begin().await.unwrap();
    let id = tx.tag_named(site, name).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn add_user(db: &Db, email: &str, name: &str) -> UserId {
    db.create_user(
        &Email::parse(email).unwrap(),
        name,
        "hash-of-a-password",
        T0,
    )
    .await
    .unwrap()
}

/// Minimal content of an article in a section.
pub fn content(section: SectionId, headline: &str) -> ArticleContent {
    ArticleContent {
        headline: headline.to_owned(),
        seo_title: String::new(),
        slug: Slug::from_headline(headline).unwrap(),
        standfirst: format!("Standfirst of {headline}"),
        body_html: format!("<p>Body of {headline}.</p>"),
        section,
        tags: Vec::new(),
        authors: Vec::new(),
        dateline_place: "Beirut".to_owned(),
        source_credit: String::new(),
        lead_media: None,
        lead_caption: String::new(),
        lead_credit: String::new(),
        lead_alt: String::new(),
        comment_mode: None,
    }
}

/// A workflow status; "Last Updated" is the publication time, else [`T0`].
pub fn status(state: ArticleState, published_at: Option<OffsetDateTime>) -> Status {
    Status {
        state,
        published_at,
        updated_at: published_at.unwrap_or(T0),
    }
}

/// An article as an importer writes it (no revision, no audit line).
pub fn new_article(
    site: SiteId,
    section: SectionId,
    headline: &str,
    state: ArticleState,
    published_at: Option<OffsetDateTime>,
) -> NewArticle {
    NewArticle {
        site,
        section,
        state,
        headline: headline.to_owned(),
        seo_title: String::new(),
        slug: Slug::from_headline(headline).unwrap(),
        standfirst: format!("Standfirst of {headline}"),
        body_html: format!("<p>Body of {headline}.</p>"),
        dateline_place: "Beirut".to_owned(),
        source_credit: String::new(),
        lead_image: None,
        published_at,
        updated_at: published_at.unwrap_or(T0),
        translation_group: None,
        tags: Vec::new(),
        authors: Vec::new(),
    }
}

/// Writes articles as an importer does, in one transaction.
pub async fn import(db: &Db, articles: &[NewArticle]) -> Vec<ArticleId> {
    let mut tx = db.begin().await.unwrap();
    let mut ids = Vec::new();
    for article in articles {
        ids.push(tx.insert_article(article, T0).await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

/// The headlines of a list, in its order.
pub fn headlines<'a>(
    items: impl IntoIterator<Item = &'a dateline_core::ArticleSummary>,
) -> Vec<&'a str> {
    items.into_iter().map(|a| a.headline.as_str()).collect()
}

/// One comment stored alone (no mail), as the tests want it:
/// [`Db::store_comments`] for one.
#[allow(async_fn_in_trait)]
pub trait StoreOneComment {
    async fn insert_comment(
        &self,
        comment: &dateline_store::NewComment<'_>,
        at: OffsetDateTime,
    ) -> dateline_store::Result<i64>;
}

impl StoreOneComment for Db {
    async fn insert_comment(
        &self,
        comment: &dateline_store::NewComment<'_>,
        at: OffsetDateTime,
    ) -> dateline_store::Result<i64> {
        let ids = self
            .store_comments(&[dateline_store::CommentToStore {
                comment: comment.clone(),
                at,
                confirmation: None,
            }])
            .await?;
        Ok(ids[0])
    }
}
