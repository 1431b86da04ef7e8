//! Running a site: its settings (admins), its sections, tags and authors
//! (editors and admins). Sections are in every page's menu, so changing
//! them reloads the sites; a tag or author is named on its own pages and
//! on the articles carrying its key.

use crate::{Failure, Newsdesk, OnSite};
use dateline_core::accounts::Role;
use dateline_core::editing::{FieldError, MediaId, Problem};
use dateline_core::purge::SurrogateKey;
use dateline_core::settings::SettingsInput;
use dateline_core::terms::{TermInput, TermKind};
use dateline_core::{AuthorId, SiteId, TagId};
use dateline_store::TermRefusal;
use time::OffsetDateTime;

/// Why a change to a site was not made. All but
/// [`SiteError::Failed`] are the caller's to fix.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("this role may not change that")]
    NotAllowed,
    #[error("no such item on this site")]
    NotFound,
    #[error("the form has problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("articles still use it")]
    InUse,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Who may change a site's settings.
pub fn may_change_settings(role: Role) -> bool {
    role == Role::Admin
}

/// Who may manage sections, tags and authors.
pub fn may_manage_terms(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Editor)
}

crate::store_failure!(SiteError);

impl Newsdesk {
    /// The ids of the site's images, which settings and terms may name.
    pub async fn media_ids(&self, site: SiteId) -> Result<Vec<MediaId>, Failure> {
        Ok(self
            .db()
            .media_choices(site)
            .await?
            .iter()
            .map(|m| m.id)
            .collect())
    }

    /// Saves the site's settings (name, logo, time zone, footer, terms of
    /// use …); every page shows them.
    pub async fn update_settings(
        &self,
        on: OnSite,
        input: &SettingsInput,
    ) -> Result<(), SiteError> {
        if !may_change_settings(on.actor.role) {
            return Err(SiteError::NotAllowed);
        }
        let media = self.media_ids(on.site).await?;
        let settings = input.check(&media).map_err(SiteError::Invalid)?;
        self.db()
            .update_site_settings(
                on.site,
                &settings,
                Some(on.actor.user),
                OffsetDateTime::now_utc(),
            )
            .await?;
        self.reload_sites().await?;
        self.changes().site_changed(on.site);
        Ok(())
    }

    /// Adds (`id` none) or changes a section, tag or author; returns its id.
    pub async fn save_term(
        &self,
        on: OnSite,
        kind: TermKind,
        id: Option<i64>,
        input: &TermInput,
    ) -> Result<i64, SiteError> {
        if !may_manage_terms(on.actor.role) {
            return Err(SiteError::NotAllowed);
        }
        let media = self.media_ids(on.site).await?;
        let term = input.check(kind, &media).map_err(SiteError::Invalid)?;
        let saved = match self.db().save_term(on.site, kind, id, &term).await? {
            Ok(saved) => saved,
            Err(TermRefusal::SlugTaken) => {
                return Err(SiteError::Invalid(vec![FieldError {
                    field: "slug",
                    problem: Problem::Taken,
                }]));
            }
            Err(TermRefusal::InUse) => return Err(SiteError::InUse),
        };
        self.term_changed(on.site, kind, id).await?;
        Ok(saved)
    }

    /// Deletes a section, tag or author that no article uses (a tag is
    /// taken off its articles).
    pub async fn delete_term(&self, on: OnSite, kind: TermKind, id: i64) -> Result<(), SiteError> {
        if !may_manage_terms(on.actor.role) {
            return Err(SiteError::NotAllowed);
        }
        match self.db().delete_term(on.site, kind, id).await? {
            Ok(true) => {}
            Ok(false) => return Err(SiteError::NotFound),
            Err(_) => return Err(SiteError::InUse),
        }
        self.term_changed(on.site, kind, Some(id)).await
    }

    async fn term_changed(
        &self,
        site: SiteId,
        kind: TermKind,
        id: Option<i64>,
    ) -> Result<(), SiteError> {
        let changes = self.changes();
        match (kind, id) {
            (TermKind::Section, _) => {
                self.reload_sites().await?;
                changes.site_changed(site);
            }
            (TermKind::Tag, Some(id)) => {
                changes.keys_changed(site, SurrogateKey::Tag(TagId(id)), None)
            }
            (TermKind::Author, Some(id)) => {
                changes.keys_changed(site, SurrogateKey::Author(AuthorId(id)), None);
            }
            // A new tag shows nowhere until an article carries it.
            (TermKind::Tag, None) => {}
            // A new author appears in the site's author list.
            (TermKind::Author, None) => changes.site_changed(site),
        }
        Ok(())
    }
}
