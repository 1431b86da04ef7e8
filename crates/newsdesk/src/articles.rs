//! Articles: every way an article is written or changed, once, for the
//! newsroom, the API, the scheduler and (later) ingest and importers.
//!
//! Each use case checks the input against what the site offers
//! (`core::editing`), the step against the workflow (`core::workflow`),
//! writes through the store (saves are optimistic on the article's
//! `version`), and announces what changed for readers.

use crate::changes::ArticleBefore;
use crate::sourced::SourceItem;
use crate::{Failure, Newsdesk, OnSite};
use dateline_core::accounts::Role;
use dateline_core::editing::{ArticleInput, CheckedArticle, Choices, FieldError, MediaId, Problem};
use dateline_core::workflow::{self, Action, Status, Step, WorkflowError};
use dateline_core::{ArticleId, ArticleState, SiteId};
use dateline_store::{ArticleSave, Autosave, EditableArticle, LinkChange, SaveConflict};
use time::OffsetDateTime;

/// Longest correction note.
pub const MAX_CORRECTION_CHARS: usize = 1_000;

/// Why an article use case did not do what was asked. All but
/// [`ArticleError::Failed`] are the caller's to fix.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("no such article on this site")]
    NotFound,
    #[error("this role may not do that to this article")]
    NotAllowed,
    #[error("the article has problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error("someone else saved the article first (now at version {})", .0.current_version)]
    Conflict(SaveConflict),
    #[error("only published articles take corrections")]
    NotPublished,
    #[error("a correction note needs 1 to {MAX_CORRECTION_CHARS} characters")]
    InvalidCorrection,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Where a write came from: what else it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<'a> {
    /// The newsroom's editor: the user's unsaved typing is done with.
    Newsroom,
    /// The content API.
    Api,
    /// An item of an outside source at a version: the article stays
    /// linked to it, in the same transaction (`sourced`).
    Source(SourceItem<'a>),
}

/// When a scheduled article goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// As typed in the input's `publish_at` (the site's local time).
    AsTyped,
    /// This time, given apart from the input (the API's RFC 3339 field).
    At(Option<OffsetDateTime>),
}

/// What to write and which step to take with it.
#[derive(Debug, Clone, Copy)]
pub struct ArticleCommand<'a> {
    pub input: &'a ArticleInput,
    pub action: Action,
    pub schedule: Schedule,
    pub origin: Origin<'a>,
}

crate::store_failure!(ArticleError);

impl Newsdesk {
    /// Checks input against what the site offers (its sections, authors,
    /// images and sister editions); field errors say what to fix.
    pub async fn check_article(
        &self,
        site: SiteId,
        input: &ArticleInput,
    ) -> Result<Result<CheckedArticle, Vec<FieldError>>, Failure> {
        let network = self.network();
        let Some(entry) = network.entry(site) else {
            return Err(Failure::UnknownSite(site));
        };
        let sections: Vec<_> = entry.sections.iter().map(|s| s.id).collect();
        let authors: Vec<_> = self
            .db()
            .authors(site)
            .await?
            .iter()
            .map(|a| a.id)
            .collect();
        // Only the picture the form names is looked up: the library may
        // hold tens of thousands (an import), more than any list of choices.
        let mut media = Vec::new();
        if let Ok(id) = input.lead_media.trim().parse::<i64>()
            && self.db().media_in_site(site, MediaId(id)).await?
        {
            media.push(MediaId(id));
        }
        let choices = Choices {
            sections: &sections,
            authors: &authors,
            media: &media,
            time_zone: &entry.site.time_zone,
        };
        let checked = match input.check(&choices) {
            Ok(checked) => checked,
            Err(errors) => return Ok(Err(errors)),
        };
        if let Some(other) = checked.translation_of
            && !self.db().can_translate(site, other).await?
        {
            return Ok(Err(vec![FieldError {
                field: "translation_of",
                problem: Problem::UnknownChoice,
            }]));
        }
        Ok(Ok(checked))
    }

    /// An article of the site that the actor's role may act on by `rule`
    /// (`workflow::may_edit`, `may_delete`); the flag says it is theirs.
    pub async fn article_for(
        &self,
        on: OnSite,
        id: ArticleId,
        rule: fn(Role, bool, ArticleState) -> bool,
    ) -> Result<(EditableArticle, bool), ArticleError> {
        let article = self
            .db()
            .editable_article(on.site, id)
            .await?
            .ok_or(ArticleError::NotFound)?;
        let own = article.created_by == Some(on.actor.user);
        if !rule(on.actor.role, own, article.status.state) {
            return Err(ArticleError::NotAllowed);
        }
        Ok((article, own))
    }

    /// A new article, with the step its command asks for (save as a
    /// draft, submit, publish, schedule).
    pub async fn create_article(
        &self,
        on: OnSite,
        command: ArticleCommand<'_>,
    ) -> Result<ArticleId, ArticleError> {
        if !workflow::may_create(on.actor.role) {
            return Err(ArticleError::NotAllowed);
        }
        let checked = self.checked(on.site, command.input).await?;
        self.may_link_translation(on, &checked).await?;
        let now = OffsetDateTime::now_utc();
        let fresh = Status {
            state: ArticleState::Draft,
            published_at: None,
            updated_at: now,
        };
        let step = Step {
            role: on.actor.role,
            own: true,
            action: command.action,
            minor: false,
            publish_at: schedule_time(command.schedule, &checked),
        };
        let mut status = workflow::apply(fresh, step, now)?;
        if let Origin::Source(SourceItem {
            first_created: Some(created),
            ..
        }) = command.origin
            && status.state == ArticleState::Published
            && created < now
        {
            // Agency copy keeps the time the agency first sent it (and is
            // not "updated" by being taken in later).
            status.published_at = Some(created);
            status.updated_at = created;
        }
        let (content, step, user) = (&checked.content, command.action.as_str(), on.actor.user);
        let id = match command.origin {
            Origin::Source(item) => {
                self.db()
                    .create_article_from_source(on.site, content, status, step, user, &item, now)
                    .await?
            }
            Origin::Newsroom | Origin::Api => {
                self.db()
                    .create_article(on.site, content, status, step, user, now)
                    .await?
            }
        };
        if let Some(other) = checked.translation_of {
            self.db().link_translation(id, on.site, other).await?;
        }
        if command.origin == Origin::Newsroom {
            self.db()
                .clear_autosave(on.actor.user, on.site, None)
                .await?;
        }
        self.after_step(command.action, ArticleBefore::unseen(on.site, id))
            .await;
        Ok(id)
    }

    /// Saves an article and takes the step asked for, unless someone else
    /// saved since `expected_version`.
    pub async fn save_article(
        &self,
        on: OnSite,
        id: ArticleId,
        expected_version: i64,
        command: ArticleCommand<'_>,
    ) -> Result<(), ArticleError> {
        let (article, own) = self.article_for(on, id, workflow::may_edit).await?;
        let checked = self.checked(on.site, command.input).await?;
        self.may_link_translation(on, &checked).await?;
        let now = OffsetDateTime::now_utc();
        let step = Step {
            role: on.actor.role,
            own,
            action: command.action,
            minor: checked.minor,
            publish_at: schedule_time(command.schedule, &checked),
        };
        let status = workflow::apply(article.status, step, now)?;
        let save = ArticleSave {
            id,
            site: on.site,
            expected_version,
            content: &checked.content,
            status,
            user: on.actor.user,
            audit_action: command.action.as_str(),
        };
        let before = self.changes().article_before(on.site, id).await;
        let saved = match command.origin {
            Origin::Source(item) => {
                self.db()
                    .save_article_linked(&save, LinkChange::Version(item.version), now)
                    .await?
            }
            Origin::Newsroom | Origin::Api => self.db().save_article(&save, now).await?,
        };
        saved.map_err(ArticleError::Conflict)?;
        if let Some(other) = checked.translation_of {
            self.db().link_translation(id, on.site, other).await?;
        }
        if command.origin == Origin::Newsroom {
            self.db()
                .clear_autosave(on.actor.user, on.site, Some(id))
                .await?;
        }
        self.after_step(command.action, before).await;
        Ok(())
    }

    /// Saves an old revision's content as the newest one; the state does
    /// not change.
    pub async fn restore_revision(
        &self,
        on: OnSite,
        id: ArticleId,
        number: i64,
        expected_version: i64,
    ) -> Result<(), ArticleError> {
        let (article, own) = self.article_for(on, id, workflow::may_edit).await?;
        let revision = self
            .db()
            .revision(id, number)
            .await?
            .ok_or(ArticleError::NotFound)?;
        let now = OffsetDateTime::now_utc();
        let step = Step {
            role: on.actor.role,
            own,
            action: Action::Save,
            minor: false,
            publish_at: None,
        };
        let status = workflow::apply(article.status, step, now)?;
        let save = ArticleSave {
            id,
            site: on.site,
            expected_version,
            content: &revision.content,
            status,
            user: on.actor.user,
            audit_action: "restore",
        };
        let before = self.changes().article_before(on.site, id).await;
        if let Err(conflict) = self.db().save_article(&save, now).await? {
            return Err(ArticleError::Conflict(conflict));
        }
        self.changes().article_changed(before).await;
        Ok(())
    }

    /// Appends a public correction to a published article (editors and
    /// admins).
    pub async fn add_correction(
        &self,
        on: OnSite,
        id: ArticleId,
        note: &str,
    ) -> Result<(), ArticleError> {
        let article = self
            .db()
            .editable_article(on.site, id)
            .await?
            .ok_or(ArticleError::NotFound)?;
        if !matches!(on.actor.role, Role::Admin | Role::Editor) {
            return Err(ArticleError::NotAllowed);
        }
        if article.status.state != ArticleState::Published {
            return Err(ArticleError::NotPublished);
        }
        let note = note.trim();
        if note.is_empty() || note.chars().count() > MAX_CORRECTION_CHARS {
            return Err(ArticleError::InvalidCorrection);
        }
        let before = self.changes().article_before(on.site, id).await;
        self.db()
            .add_correction(id, on.site, note, on.actor.user, OffsetDateTime::now_utc())
            .await?;
        self.changes().article_changed(before).await;
        Ok(())
    }

    /// To the trash: not published articles; reporters only their own
    /// drafts.
    pub async fn trash_article(&self, on: OnSite, id: ArticleId) -> Result<(), ArticleError> {
        self.article_for(on, id, workflow::may_delete).await?;
        self.db()
            .set_article_trashed(on.site, id, true, on.actor.user, OffsetDateTime::now_utc())
            .await?;
        Ok(())
    }

    /// Out of the trash (editors and admins).
    pub async fn untrash_article(&self, on: OnSite, id: ArticleId) -> Result<(), ArticleError> {
        if !matches!(on.actor.role, Role::Admin | Role::Editor) {
            return Err(ArticleError::NotAllowed);
        }
        let restored = self
            .db()
            .set_article_trashed(on.site, id, false, on.actor.user, OffsetDateTime::now_utc())
            .await?;
        if restored {
            Ok(())
        } else {
            Err(ArticleError::NotFound)
        }
    }

    /// Keeps the editor's form as typed, unchecked, so a closed tab loses
    /// seconds at most: for a new article (`None`) or one the actor may
    /// edit. Returns when it was kept.
    pub async fn keep_typing(
        &self,
        on: OnSite,
        article: Option<ArticleId>,
        input: &ArticleInput,
        base_version: i64,
    ) -> Result<OffsetDateTime, ArticleError> {
        match article {
            None if !workflow::may_create(on.actor.role) => {
                return Err(ArticleError::NotAllowed);
            }
            None => {}
            Some(id) => {
                self.article_for(on, id, workflow::may_edit).await?;
            }
        }
        let content = serde_json::to_string(input).map_err(|source| Failure::Encode {
            what: "an autosave",
            source,
        })?;
        let saved_at = OffsetDateTime::now_utc();
        self.db()
            .put_autosave(
                on.actor.user,
                on.site,
                article,
                &Autosave {
                    base_version,
                    content,
                    saved_at,
                },
            )
            .await?;
        Ok(saved_at)
    }

    /// Publishes the scheduled articles whose time has come; returns how
    /// many. What the scheduler runs.
    pub async fn publish_due(&self, now: OffsetDateTime) -> Result<usize, Failure> {
        publish_due(self.db(), self.changes(), now).await
    }

    pub(crate) async fn checked(
        &self,
        site: SiteId,
        input: &ArticleInput,
    ) -> Result<CheckedArticle, ArticleError> {
        self.check_article(site, input)
            .await?
            .map_err(ArticleError::Invalid)
    }

    /// Linking a translation writes to the other edition too: the actor
    /// must have a role there. Refused at the field, as an unknown
    /// article, so the answer tells nothing of the other site's articles.
    async fn may_link_translation(
        &self,
        on: OnSite,
        checked: &CheckedArticle,
    ) -> Result<(), ArticleError> {
        let Some(other) = checked.translation_of else {
            return Ok(());
        };
        let other_site = self.db().sister_article_site(on.site, other).await?;
        let memberships = self.db().memberships(on.actor.user).await?;
        let member = other_site.is_some_and(|s| memberships.iter().any(|m| m.site == s));
        if member {
            Ok(())
        } else {
            Err(ArticleError::Invalid(vec![FieldError {
                field: "translation_of",
                problem: Problem::UnknownChoice,
            }]))
        }
    }

    /// Tells whoever must know of a step: the scheduler learns of new
    /// times, and caches drop what changed for readers.
    async fn after_step(&self, action: Action, before: ArticleBefore) {
        if action == Action::Schedule {
            self.wakers().scheduler.notify_one();
        }
        self.changes().article_changed(before).await;
    }
}

/// Publishes due articles and announces each: readers could not see them
/// before, so whatever shows them now changed.
pub(crate) async fn publish_due(
    db: &dateline_store::Db,
    changes: &crate::changes::Changes,
    now: OffsetDateTime,
) -> Result<usize, Failure> {
    let published = db.publish_due(now).await?;
    for (site, article) in &published {
        tracing::info!(%site, %article, "published a scheduled article");
        changes
            .article_changed(ArticleBefore::unseen(*site, *article))
            .await;
    }
    Ok(published.len())
}

fn schedule_time(schedule: Schedule, checked: &CheckedArticle) -> Option<OffsetDateTime> {
    match schedule {
        Schedule::AsTyped => checked.publish_at,
        Schedule::At(at) => at,
    }
}
