//! Old addresses that answer a permanent redirect (links from before a
//! move to Dateline): kept by editors in the newsroom, and (issue 15) by
//! the importers; asked for whenever a reader's address finds nothing.

use crate::settings::may_manage_terms;
use crate::{Failure, Newsdesk, OnSite};
use dateline_core::editing::{FieldError, Problem};
use dateline_core::redirect::{RedirectInput, RedirectTarget, old_address};
use dateline_core::{ArticleId, SiteId, article_path};
use time::OffsetDateTime;

pub use dateline_store::Redirect;

/// Why a redirect was refused.
#[derive(Debug, thiserror::Error)]
pub enum RedirectError {
    #[error("the redirect has problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("only editors and admins keep redirects")]
    NotAllowed,
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(RedirectError);

impl Newsdesk {
    /// Makes an old address lead to an article of the site or to one of
    /// its paths (or changes where it leads).
    pub async fn add_redirect(
        &self,
        on: OnSite,
        input: &RedirectInput,
    ) -> Result<(), RedirectError> {
        if !may_manage_terms(on.actor.role) {
            return Err(RedirectError::NotAllowed);
        }
        let checked = input.check();
        // An unknown story is said beside the other fields' problems.
        let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
        let story = input.target.trim().trim_start_matches('#').parse::<i64>();
        if let Ok(id) = story
            && !errors.iter().any(|e| e.field == "target")
            && self
                .db()
                .editable_article(on.site, ArticleId(id))
                .await?
                .is_none()
        {
            errors.push(FieldError {
                field: "target",
                problem: Problem::UnknownChoice,
            });
        }
        let (old, target) = match checked {
            Ok(checked) if errors.is_empty() => checked,
            _ => return Err(RedirectError::Invalid(errors)),
        };
        self.db()
            .set_redirect(on.site, &old, &target, OffsetDateTime::now_utc())
            .await?;
        Ok(())
    }

    /// Removes a redirect; false when there was none.
    pub async fn remove_redirect(&self, on: OnSite, old: &str) -> Result<bool, RedirectError> {
        if !may_manage_terms(on.actor.role) {
            return Err(RedirectError::NotAllowed);
        }
        let Some(old) = old_address(old) else {
            return Ok(false);
        };
        Ok(self.db().delete_redirect(on.site, &old).await?)
    }

    /// The site's redirects, newest first.
    pub async fn redirects(&self, on: OnSite, limit: i64) -> Result<Vec<Redirect>, RedirectError> {
        if !may_manage_terms(on.actor.role) {
            return Err(RedirectError::NotAllowed);
        }
        Ok(self.db().redirects(on.site, limit).await?)
    }

    /// Where a reader's address that found nothing leads: a path of the
    /// site, or an article's current address (only while it is
    /// published), which may be in a sister edition (an imported post
    /// whose old address had no language prefix).
    pub async fn redirect_for(
        &self,
        site: SiteId,
        path_and_query: &str,
    ) -> Result<Option<(SiteId, String)>, Failure> {
        let Some(old) = old_address(path_and_query) else {
            return Ok(None);
        };
        let Some(target) = self.db().redirect_for(site, &old).await? else {
            return Ok(None);
        };
        let id = match target {
            RedirectTarget::Path(path) => return Ok(Some((site, path))),
            RedirectTarget::Article(id) => id,
        };
        let network = self.network();
        let editions: Vec<SiteId> = match network.entry(site) {
            Some(entry) => std::iter::once(site)
                .chain(network.siblings(&entry.site).map(|e| e.site.id))
                .collect(),
            None => vec![site],
        };
        let Some(home) = self.db().article_site(&editions, id).await? else {
            return Ok(None);
        };
        Ok(self
            .db()
            .published_article(home, id, OffsetDateTime::now_utc())
            .await?
            .map(|a| (home, article_path(&a.section.slug, a.id, &a.slug))))
    }
}
