//! The wire desk: what editors do with the items sources sent (issue 14).
//! An item queued by its source is taken into a draft, or published, in
//! any edition the editor works in (as a translation of an existing story
//! too); a newer version held because the desk changed the story is
//! applied to it or dismissed. The items themselves come in through
//! `wire`; everything here goes through the same use cases as the
//! newsroom's own stories.

use crate::articles::{ArticleError, Schedule};
use crate::settings::may_change_settings;
use crate::sourced::{SourceItem, Taken};
use crate::wire::{LeadPicture, NewWireSource, WireItemRow, WireSource};
use crate::{Actor, Failure, Newsdesk, OnSite};
use dateline_core::accounts::Role;
use dateline_core::editing::MediaId;
use dateline_core::editing::{FieldError, Problem};
use dateline_core::wire::SourceInput;
use dateline_core::workflow::{self, Action};
use dateline_core::{ArticleId, SectionId, SiteId};
use dateline_ingest::{Status, WireItem};
use time::OffsetDateTime;

/// Why the wire desk refused.
#[derive(Debug, thiserror::Error)]
pub enum WireDeskError {
    #[error("no such item on this site's wire desk")]
    NotFound,
    #[error("this role may not do that on the wire desk")]
    NotAllowed,
    #[error("the source killed this item")]
    Killed,
    #[error("no newer version of this story is waiting")]
    NothingHeld,
    #[error(transparent)]
    Article(#[from] ArticleError),
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl From<dateline_store::StoreError> for WireDeskError {
    fn from(error: dateline_store::StoreError) -> Self {
        WireDeskError::Failed(error.into())
    }
}

/// What taking an item makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// A draft, for the desk to work on.
    Draft,
    /// Published now, or scheduled for the end of its embargo.
    Publish,
}

/// Who may decide on held versions and dismiss items: editors and admins.
pub fn may_decide(role: Role) -> bool {
    matches!(role, Role::Editor | Role::Admin)
}

impl Newsdesk {
    /// The newest items of this site's wire desk, newest first.
    pub async fn wire_desk(
        &self,
        on: OnSite,
        source: Option<i64>,
        limit: i64,
    ) -> Result<Vec<WireItemRow>, WireDeskError> {
        if !workflow::may_create(on.actor.role) {
            return Err(WireDeskError::NotAllowed);
        }
        Ok(self.db().wire_desk(on.site, source, limit).await?)
    }

    /// An item of this site's wire desk, with its notes for editors.
    pub async fn wire_item(&self, on: OnSite, id: i64) -> Result<WireItemRow, WireDeskError> {
        if !workflow::may_create(on.actor.role) {
            return Err(WireDeskError::NotAllowed);
        }
        match self.db().wire_item(id).await? {
            Some(row) if row.site_id == on.site.0 => Ok(row),
            _ => Err(WireDeskError::NotFound),
        }
    }

    /// Takes an item into `into` (this site or another edition the actor
    /// works in), as a draft or published, optionally as the translation
    /// of `translation_of`.
    pub async fn take_wire_item(
        &self,
        on: OnSite,
        id: i64,
        into: SiteId,
        translation_of: Option<ArticleId>,
        take: Take,
    ) -> Result<ArticleId, WireDeskError> {
        let row = self.wire_item(on, id).await?;
        if row.status != "usable" || row.outcome == "killed" {
            return Err(WireDeskError::Killed);
        }
        let role = self.role_on(on, into).await?;
        let source = self.source_of(&row).await?;
        let item = item_of(&row);
        // The picture is in the library of the item's own edition.
        let lead = row
            .picture_media_id
            .filter(|_| into.0 == row.site_id)
            .map(|media| LeadPicture {
                media: MediaId(media),
                caption: row.picture_caption.clone(),
                credit: row.picture_credit.clone(),
                alt: row.picture_alt.clone(),
            });
        let mut input = self.wire_input(&source, into, &item, lead.as_ref()).await?;
        if let Some(original) = translation_of {
            input.translation_of = original.to_string();
        }
        let now = OffsetDateTime::now_utc();
        let embargo = row.embargoed_until.filter(|until| *until > now);
        let (action, schedule, outcome) = match (take, embargo) {
            (Take::Draft, _) => (Action::Save, Schedule::At(None), "taken"),
            (Take::Publish, Some(until)) => {
                (Action::Schedule, Schedule::At(Some(until)), "scheduled")
            }
            (Take::Publish, None) => (Action::Publish, Schedule::At(None), "published"),
        };
        let target = OnSite {
            site: into,
            actor: Actor {
                user: on.actor.user,
                role,
            },
        };
        let taken = self
            .take_from_source(target, stamp(&source, &row), &input, action, schedule)
            .await?;
        let (article, outcome) = match taken {
            Taken::Created(article) => (article, outcome),
            Taken::Updated(article) | Taken::Unchanged { article, .. } => (article, "updated"),
            Taken::Killed(_) => return Err(WireDeskError::Killed),
        };
        let detail = format!("{outcome} as article {article}");
        self.db()
            .settle_wire_item(row.id, outcome, &detail, Some(article))
            .await?;
        Ok(article)
    }

    /// Applies a held version to its story: the wire's copy (headline,
    /// standfirst, body, dateline, credit) replaces the desk's, which stays
    /// in the revisions; the desk's section, tags, authors and picture
    /// stay.
    pub async fn apply_wire_version(
        &self,
        on: OnSite,
        id: i64,
    ) -> Result<ArticleId, WireDeskError> {
        if !may_decide(on.actor.role) {
            return Err(WireDeskError::NotAllowed);
        }
        let row = self.wire_item(on, id).await?;
        let (Some(article), "held") = (row.article_id.map(ArticleId), row.outcome.as_str()) else {
            return Err(WireDeskError::NothingHeld);
        };
        let current = self
            .db()
            .editable_article(on.site, article)
            .await?
            .ok_or(WireDeskError::NotFound)?;
        let source = self.source_of(&row).await?;
        let wire = self
            .wire_input(&source, on.site, &item_of(&row), None)
            .await?;
        let mut input = current.content.to_input();
        input.headline = wire.headline;
        input.standfirst = wire.standfirst;
        input.body_html = wire.body_html;
        input.dateline_place = wire.dateline_place;
        input.source_credit = wire.source_credit;
        let taken = self
            .take_from_source(
                on,
                stamp(&source, &row),
                &input,
                Action::Save,
                Schedule::At(None),
            )
            .await?;
        if let Taken::Killed(_) = taken {
            return Err(WireDeskError::Killed);
        }
        self.db()
            .settle_wire_item(
                row.id,
                "updated",
                &format!("applied to article {article} by the desk"),
                None,
            )
            .await?;
        Ok(article)
    }

    /// Takes an item off the desk without using it.
    pub async fn dismiss_wire_item(&self, on: OnSite, id: i64) -> Result<(), WireDeskError> {
        if !may_decide(on.actor.role) {
            return Err(WireDeskError::NotAllowed);
        }
        let row = self.wire_item(on, id).await?;
        self.db()
            .settle_wire_item(row.id, "dismissed", "dismissed by the desk", None)
            .await?;
        Ok(())
    }

    /// The actor's role on `site`: this site's, or their membership of
    /// another edition (refused as not found when they have none, so the
    /// answer tells nothing of other sites).
    async fn role_on(&self, on: OnSite, site: SiteId) -> Result<Role, WireDeskError> {
        if site == on.site {
            return Ok(on.actor.role);
        }
        let memberships = self.db().memberships(on.actor.user).await?;
        let Some(role) = memberships.iter().find(|m| m.site == site).map(|m| m.role) else {
            return Err(WireDeskError::NotFound);
        };
        let same_group = self
            .network()
            .entry(on.site)
            .zip(self.network().entry(site))
            .is_some_and(|(here, there)| here.site.edition_group == there.site.edition_group);
        if !same_group {
            return Err(WireDeskError::NotFound);
        }
        Ok(role)
    }

    async fn source_of(&self, row: &WireItemRow) -> Result<WireSource, WireDeskError> {
        self.db()
            .wire_source_by_id(row.source_id)
            .await?
            .ok_or(WireDeskError::NotFound)
    }
}

fn stamp<'a>(source: &'a WireSource, row: &'a WireItemRow) -> SourceItem<'a> {
    SourceItem {
        source: &source.name,
        guid: &row.guid,
        version: row.version,
        first_created: row.first_created,
    }
}

/// The item as it was read, from its row.
fn item_of(row: &WireItemRow) -> WireItem {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    WireItem {
        source_guid: row.guid.clone(),
        version: u64::try_from(row.version).ok(),
        status: match row.status.as_str() {
            "canceled" => Status::Canceled,
            "withheld" => Status::Withheld,
            _ => Status::Usable,
        },
        embargoed_until: row.embargoed_until,
        first_created: row.first_created,
        version_created: row.version_created,
        language: text(&row.language),
        headline: row.headline.clone(),
        standfirst: text(&row.standfirst),
        body_html: row.body_html.clone(),
        byline: text(&row.byline),
        keywords: row.keywords(),
        subjects: row.subjects(),
        credit: text(&row.credit),
        dateline_place: text(&row.dateline_place),
        editor_notes: row.editor_notes(),
        slugline: text(&row.slugline),
        // Kept on the row, in the media library, once taken in.
        pictures: Vec::new(),
    }
}

/// Why a source's settings or subject table were refused.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("the source settings have problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("only admins set up wire sources")]
    NotAllowed,
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl From<dateline_store::StoreError> for SourceError {
    fn from(error: dateline_store::StoreError) -> Self {
        SourceError::Failed(error.into())
    }
}

/// Longest subject code.
const MAX_SUBJECT_CHARS: usize = 100;

fn invalid(field: &'static str, problem: Problem) -> SourceError {
    SourceError::Invalid(vec![FieldError { field, problem }])
}

impl Newsdesk {
    /// Creates a source feeding this site, or changes one of its own; a
    /// name another site's source has is taken.
    pub async fn configure_wire_source(
        &self,
        on: OnSite,
        input: &SourceInput,
    ) -> Result<(), SourceError> {
        if !may_change_settings(on.actor.role) {
            return Err(SourceError::NotAllowed);
        }
        let checked = input.check().map_err(SourceError::Invalid)?;
        let existing = self.db().wire_source(checked.name.as_str()).await?;
        if existing
            .as_ref()
            .is_some_and(|source| source.site != on.site)
        {
            return Err(invalid("name", Problem::Taken));
        }
        self.save_wire_source(&NewWireSource {
            name: checked.name.as_str(),
            label: &checked.label,
            site: on.site,
            mode: checked.mode,
            updates: checked.updates,
            url: &checked.url,
            poll_seconds: checked.poll_seconds,
        })
        .await?;
        Ok(())
    }

    /// Sends a source's subject code to a section of this edition, or
    /// (`None`) back to the edition's first section.
    pub async fn map_wire_subject(
        &self,
        on: OnSite,
        source: &str,
        subject: &str,
        section: Option<SectionId>,
    ) -> Result<(), SourceError> {
        if !may_change_settings(on.actor.role) {
            return Err(SourceError::NotAllowed);
        }
        let network = self.network();
        let group = |site: SiteId| network.entry(site).map(|e| e.site.edition_group.clone());
        let Some(source) = self
            .db()
            .wire_source(source)
            .await?
            .filter(|s| group(s.site).is_some() && group(s.site) == group(on.site))
        else {
            return Err(invalid("source", Problem::UnknownChoice));
        };
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(invalid("subject", Problem::Required));
        }
        if subject.chars().count() > MAX_SUBJECT_CHARS || subject.contains(char::is_whitespace) {
            return Err(invalid("subject", Problem::InvalidPattern));
        }
        let sections = network
            .entry(on.site)
            .map(|e| e.sections.as_slice())
            .unwrap_or_default();
        if section.is_some_and(|id| !sections.iter().any(|s| s.id == id)) {
            return Err(invalid("section", Problem::UnknownChoice));
        }
        self.db()
            .set_subject_section(source.id, on.site, subject, section)
            .await?;
        Ok(())
    }
}
