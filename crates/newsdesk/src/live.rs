//! Live coverage (issue 16): editors start and end a story's live
//! coverage; reporters, editors and admins post entries to it, several at
//! once; editors correct an entry with a note readers see, or remove it
//! (the reason stays in the audit log). Every change
//! purges the story's pages (its page and the "entries after N" answers)
//! and tells feed subscribers, as a save does.

use crate::{Failure, Newsdesk, OnSite};
use dateline_core::ArticleId;
use dateline_core::editing::{FieldError, MediaId};
use dateline_core::live::{Coverage, EntryInput, MAX_ENTRY_CORRECTION_CHARS};
use dateline_core::workflow;
use time::OffsetDateTime;

pub use dateline_store::LiveEntry;

/// Entries shown on a story's page; older ones are reached through the
/// "entries after N" answers a reader's page asks for.
pub const PAGE_ENTRIES: u32 = 200;

/// Why a live-coverage use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("no such story on this site")]
    NotFound,
    #[error("this role may not do that to live coverage")]
    NotAllowed,
    #[error("the story is not live: start its live coverage first")]
    NotLive,
    #[error("the entry has problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(LiveError);

impl Newsdesk {
    /// Starts (or restarts) a story's live coverage. Editors and admins.
    pub async fn start_live(&self, on: OnSite, article: ArticleId) -> Result<(), LiveError> {
        self.set_coverage(on, article, Coverage::Live).await
    }

    /// Ends a story's live coverage: its entries stay. Editors and admins.
    pub async fn end_live(&self, on: OnSite, article: ArticleId) -> Result<(), LiveError> {
        self.set_coverage(on, article, Coverage::Ended).await
    }

    async fn set_coverage(
        &self,
        on: OnSite,
        article: ArticleId,
        coverage: Coverage,
    ) -> Result<(), LiveError> {
        if !workflow::may_kill(on.actor.role) {
            return Err(LiveError::NotAllowed);
        }
        let before = self.changes().article_before(on.site, article).await;
        let now = OffsetDateTime::now_utc();
        if !self
            .db()
            .set_coverage(on.site, article, coverage, on.actor.user, now)
            .await?
        {
            return Err(match coverage {
                Coverage::Live => LiveError::NotFound,
                Coverage::Ended => LiveError::NotLive,
            });
        }
        self.changes().article_changed(before).await;
        Ok(())
    }

    /// Posts an entry to a live story; gives its number. Reporters,
    /// editors and admins, several at once.
    pub async fn post_entry(
        &self,
        on: OnSite,
        article: ArticleId,
        input: &EntryInput,
    ) -> Result<i64, LiveError> {
        if !workflow::may_create(on.actor.role) {
            return Err(LiveError::NotAllowed);
        }
        let media = self.entry_media(on, input).await?;
        let entry = input.check(false, media).map_err(LiveError::Invalid)?;
        let before = self.changes().article_before(on.site, article).await;
        let now = OffsetDateTime::now_utc();
        let seq = self
            .db()
            .add_live_entry(on.site, article, &entry, on.actor.user, now)
            .await?
            .ok_or(LiveError::NotLive)?;
        self.changes().article_changed(before).await;
        Ok(seq)
    }

    /// Corrects an entry, with the note readers see beside it. Editors
    /// and admins.
    pub async fn correct_entry(
        &self,
        on: OnSite,
        article: ArticleId,
        seq: i64,
        input: &EntryInput,
    ) -> Result<(), LiveError> {
        if !workflow::may_kill(on.actor.role) {
            return Err(LiveError::NotAllowed);
        }
        let media = self.entry_media(on, input).await?;
        let entry = input.check(true, media).map_err(LiveError::Invalid)?;
        let before = self.changes().article_before(on.site, article).await;
        let now = OffsetDateTime::now_utc();
        if !self
            .db()
            .correct_live_entry(on.site, article, seq, &entry, on.actor.user, now)
            .await?
        {
            return Err(LiveError::NotFound);
        }
        self.changes().article_changed(before).await;
        Ok(())
    }

    /// Removes an entry, with why (kept in the audit log). Editors and
    /// admins.
    pub async fn remove_entry(
        &self,
        on: OnSite,
        article: ArticleId,
        seq: i64,
        reason: &str,
    ) -> Result<(), LiveError> {
        if !workflow::may_kill(on.actor.role) {
            return Err(LiveError::NotAllowed);
        }
        let before = self.changes().article_before(on.site, article).await;
        let now = OffsetDateTime::now_utc();
        let reason: String = reason
            .trim()
            .chars()
            .take(MAX_ENTRY_CORRECTION_CHARS)
            .collect();
        if !self
            .db()
            .remove_live_entry(on.site, article, seq, &reason, on.actor.user, now)
            .await?
        {
            return Err(LiveError::NotFound);
        }
        self.changes().article_changed(before).await;
        Ok(())
    }

    /// The library's picture an entry names, when the site has it.
    async fn entry_media(
        &self,
        on: OnSite,
        input: &EntryInput,
    ) -> Result<Option<MediaId>, Failure> {
        let Ok(id) = input.media.trim().parse::<i64>() else {
            return Ok(None);
        };
        let media = MediaId(id);
        Ok(self
            .db()
            .media_in_site(on.site, media)
            .await?
            .then_some(media))
    }

    /// A story's entries after number `after`, newest first.
    pub async fn live_entries(
        &self,
        article: ArticleId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<LiveEntry>, Failure> {
        Ok(self.db().live_entries(article, after, limit).await?)
    }

    /// The numbers of a story's removed entries, for open pages to take
    /// them away.
    pub async fn removed_entries(&self, article: ArticleId) -> Result<Vec<i64>, Failure> {
        Ok(self.db().removed_live_entries(article).await?)
    }

    /// A story's key events, newest first.
    pub async fn live_key_events(&self, article: ArticleId) -> Result<Vec<LiveEntry>, Failure> {
        Ok(self.db().live_key_events(article).await?)
    }
}
