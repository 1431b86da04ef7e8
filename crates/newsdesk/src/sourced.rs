//! Articles from outside sources (wire agencies, partner feeds,
//! importers): taken in through the same checks and workflow as the
//! newsroom's, one article per item of a source, updated only by a newer
//! version, and killed when the source (or the desk) says so.
//!
//! What a source may do to an article its desk edited since is the wire
//! desk's policy (issue 14); here a newer version wins, with a revision
//! kept, as a newsroom save would.

use crate::articles::{ArticleCommand, ArticleError, Origin, Schedule};
use crate::{Newsdesk, OnSite};
use dateline_core::ArticleId;
use dateline_core::workflow::{self, Action};
use dateline_core::{ArticleState, editing::ArticleInput};
use dateline_store::{ArticleSave, LinkChange};
use time::OffsetDateTime;

/// An item of a source, at a version, as the store links it.
pub use dateline_store::SourceStamp as SourceItem;

/// What became of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// A new article.
    Created(ArticleId),
    /// A newer version updated its article.
    Updated(ArticleId),
    /// Not newer than the version already applied: nothing changed.
    Unchanged { article: ArticleId, applied: i64 },
    /// The source killed the story before: it stays down.
    Killed(ArticleId),
}

impl Newsdesk {
    /// Takes an item of a source in: a new article the first time (with
    /// the step `action` asks for), an update of the same article for a
    /// newer version, nothing for an older or equal one. The input is
    /// checked as the newsroom's is.
    pub async fn take_from_source(
        &self,
        on: OnSite,
        item: SourceItem<'_>,
        input: &ArticleInput,
        action: Action,
        schedule: Schedule,
    ) -> Result<Taken, ArticleError> {
        let Some(link) = self
            .db()
            .source_link(on.site, item.source, item.guid)
            .await?
        else {
            let command = ArticleCommand {
                input,
                action,
                schedule,
                origin: Origin::Source(item),
            };
            return self.create_article(on, command).await.map(Taken::Created);
        };
        if link.killed.is_some() {
            return Ok(Taken::Killed(link.article));
        }
        if item.version <= link.version {
            return Ok(Taken::Unchanged {
                article: link.article,
                applied: link.version,
            });
        }
        let article = self
            .db()
            .editable_article(on.site, link.article)
            .await?
            .ok_or(ArticleError::NotFound)?;
        // The newer version wins over edits made since (the wire desk's
        // policy will let the desk decide, issue 14). The state stays: a
        // published story shows "Last Updated", a draft stays a draft.
        let command = ArticleCommand {
            input,
            action: Action::Save,
            schedule: Schedule::At(None),
            origin: Origin::Source(item),
        };
        self.save_article(on, article.id, article.version, command)
            .await?;
        Ok(Taken::Updated(article.id))
    }

    /// Kills the article an item of a source became; `None` when the
    /// source never sent that item.
    pub async fn kill_from_source(
        &self,
        on: OnSite,
        source: &str,
        guid: &str,
        reason: &str,
    ) -> Result<Option<ArticleId>, ArticleError> {
        let Some(link) = self.db().source_link(on.site, source, guid).await? else {
            return Ok(None);
        };
        if link.killed.is_none() {
            self.kill_article(on, link.article, reason).await?;
        }
        Ok(Some(link.article))
    }

    /// Kills a story: readers no longer see it anywhere (page, lists,
    /// feeds, sitemaps, search, caches), a scheduled one never goes out,
    /// and the reason stays in the audit log (and on the source link, which
    /// refuses later versions). Editors and admins only.
    pub async fn kill_article(
        &self,
        on: OnSite,
        id: ArticleId,
        reason: &str,
    ) -> Result<(), ArticleError> {
        if !workflow::may_kill(on.actor.role) {
            return Err(ArticleError::NotAllowed);
        }
        let article = self
            .db()
            .editable_article(on.site, id)
            .await?
            .ok_or(ArticleError::NotFound)?;
        let status = workflow::kill(article.status);
        let save = ArticleSave {
            id,
            site: on.site,
            expected_version: article.version,
            content: &article.content,
            status,
            user: on.actor.user,
            audit_action: if status.state == ArticleState::Unpublished {
                "unpublish"
            } else {
                "save"
            },
        };
        let before = self.changes().article_before(on.site, id).await;
        let now = OffsetDateTime::now_utc();
        self.db()
            .save_article_linked(&save, LinkChange::Kill(reason.trim()), now)
            .await?
            .map_err(ArticleError::Conflict)?;
        self.changes().article_changed(before).await;
        Ok(())
    }
}
