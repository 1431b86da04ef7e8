//! Dateline's storage layer. Every SQL statement of the project lives in this
//! crate; callers see domain types from `dateline_core` and [`StoreError`].
//!
//! The embedded default is SQLite in WAL mode inside the data directory. SQL
//! is written in the subset PostgreSQL shares (`$N` placeholders, explicit
//! UTC times bound from Rust, no `now()`), so a PostgreSQL backend can be
//! added beside it without touching callers; see `docs/storage.md`.

mod accounts;
mod articles;
pub mod backup;
mod cache;
mod comments;
pub mod copy;
mod db;
pub mod demo;
mod editorial;
pub mod feed;
pub mod imports;
mod invitations;
mod live;
mod media;
mod media_files;
mod redirects;
mod search;
mod sites;
mod sources;
mod sqlite_connections;
mod taxonomy;
mod tokens;
mod websub;
pub mod wire;

pub use accounts::{Admission, LoginAttempt, MAX_LOGIN_DEVICES};
pub use articles::{
    ArticleFilter, ArticleQuery, NewArticle, NewLeadImage, SitemapEntry, TranslationLink,
};
pub use cache::READ_CACHE_TTL;
pub use comments::{
    CommentToStore, ConfirmationMail, MailPressure, OutgoingMail, PublicComment, QueuedComment,
    ReportOutcome, ScreeningFacts, ScreeningQuery, StoredCode,
};
/// Domain types the comment functions take and give (they live in `core`).
pub use dateline_core::comments::{Ban, BanKind, CommentStatus, NewComment};
pub use db::{BackendKind, Db, Tx, create_scratch_database};
pub use editorial::{
    ArticleSave, AuditEntry, Autosave, DeskCounts, DeskItem, EditableArticle, MediaChoice,
    RevisionLine, SaveConflict,
};
pub use invitations::{Claimed, Invitation, NewInvitation};
pub use live::{EntryPicture, LiveEntry};
pub use media::{MediaItem, NewMedia};
pub use redirects::Redirect;
pub use search::{BacklogMark, SearchBacklog};
pub use sites::NewSite;
pub use sources::{LinkChange, SourceLink, SourceStamp};
/// The database driver's error, for callers that must tell "busy" from "broken".
pub use sqlx::Error as DatabaseError;
pub use taxonomy::{NewAuthor, NewSection, TagUse, TermLine, TermRefusal};
pub use tokens::TokenSummary;
pub use websub::{NewSubscription, Subscription, SubscriptionRoom};

/// What can go wrong in storage, phrased for the operator who reads the log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot copy the database {from} to {to}")]
    Snapshot {
        from: String,
        to: String,
        source: sqlx::Error,
    },
    #[error("the database URL is not usable: {reason}")]
    Url { reason: String },
    #[error(
        "the database {database} was last migrated by a newer Dateline (it has migration {version}; this binary knows up to {known}): run the newer binary, or restore a backup made for this one"
    )]
    SchemaNewer {
        database: String,
        version: i64,
        known: i64,
    },
    #[error("cannot apply database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("stored data is invalid ({what}): {reason}")]
    Corrupt { what: String, reason: String },
    #[error("{0}")]
    Invalid(String),
    /// A unique rule was broken (an e-mail address already in use).
    #[error("{0}")]
    Conflict(String),
    #[error("demo content: {0}")]
    Demo(String),
    #[error("file error at {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Times are stored in UTC with whole seconds, so that their text form sorts
/// in time order on SQLite and compares exactly on PostgreSQL.
pub fn stored_time(t: time::OffsetDateTime) -> time::OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
}
