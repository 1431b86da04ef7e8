//! Wire ingest: files from agencies and partner feeds become articles
//! through the same checks and workflow as the newsroom's (issue 14). A
//! file is read whole (`dateline_ingest`), then taken in item by item: a
//! bad item is refused with its reason and the others go on.
//!
//! Every version of every item is kept (`wire_items`): the wire desk's
//! inbox, and the record that makes a second delivery change nothing. What
//! happens to an item:
//! - a kill (`canceled`, `withheld`) takes down every article it became;
//! - a newer version updates its article, unless the desk edited the story
//!   since and the source lets the desk decide, when it waits for an editor;
//! - a new item is published at once (scheduled for the end of its embargo)
//!   or queued on the wire desk, as the source is set up.

use crate::articles::{ArticleError, Schedule};
use crate::sourced::{SourceItem, Taken};
use crate::{Actor, Failure, Newsdesk, OnSite};
use dateline_core::SiteId;
use dateline_core::accounts::{Role, UserId};
use dateline_core::editing::{ArticleInput, MAX_SHORT_FIELD_CHARS, MAX_STANDFIRST_CHARS, MAX_TAGS};
use dateline_core::wire::{self, SourceMode, UpdatePolicy, clip};
use dateline_core::workflow::Action;
use dateline_ingest::{Limits, Status, WireItem};
use dateline_store::StoreError;
use dateline_store::wire::{Receipt, ReceivedItem, SourceFetch};
use time::OffsetDateTime;

pub mod desk;
mod pictures;
mod report;

pub use dateline_store::wire::{NewWireSource, SourceHealth, WireItemRow, WireSource};
pub use pictures::{LeadPicture, PictureFiles, PictureRef};
pub use report::{FileReport, ItemReport, Outcome, Skip};

/// How a run takes files in.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions<'a> {
    /// Overrides the source's mode (`dateline ingest --publish`).
    pub mode: Option<SourceMode>,
    pub limits: Limits,
    /// Where the items' pictures come from.
    pub pictures: PictureFiles<'a>,
}

impl Newsdesk {
    /// Every wire source, by name.
    pub async fn wire_sources(&self) -> Result<Vec<WireSource>, Failure> {
        Ok(self.db().wire_sources().await?)
    }

    pub async fn wire_source(&self, name: &str) -> Result<Option<WireSource>, Failure> {
        Ok(self.db().wire_source(name).await?)
    }

    /// Creates a source or changes its settings.
    pub async fn save_wire_source(&self, source: &NewWireSource<'_>) -> Result<i64, Failure> {
        if self.network().entry(source.site).is_none() {
            return Err(Failure::UnknownSite(source.site));
        }
        Ok(self
            .db()
            .save_wire_source(source, OffsetDateTime::now_utc())
            .await?)
    }

    /// Takes one file of a source in, item by item, and records the fetch
    /// in the source's health line. A refused file or item is reported,
    /// never an error: `Err` is for storage failing, when the file should
    /// be offered again (what was taken in stays, and is skipped then).
    pub async fn ingest_file(
        &self,
        source: &WireSource,
        name: &str,
        bytes: &[u8],
        options: IngestOptions<'_>,
    ) -> Result<FileReport, Failure> {
        let mut report = FileReport {
            file: name.to_owned(),
            refused: None,
            unreadable: false,
            items: Vec::new(),
            used_files: Vec::new(),
        };
        match dateline_ingest::read_file(name, bytes, &options.limits) {
            Err(error) => report.refused = Some(error.to_string()),
            Ok(items) => {
                for item in items {
                    report.items.push(match item {
                        Ok(item) => {
                            let (done, used) =
                                self.ingest_item(source, name, &item, options).await?;
                            report.used_files.extend(used.map(|f| f.0));
                            done
                        }
                        Err(error) => ItemReport {
                            guid: String::new(),
                            version: None,
                            site: None,
                            outcome: Outcome::Refused(error.to_string()),
                            notes: Vec::new(),
                        },
                    });
                }
            }
        }
        let fetch = SourceFetch {
            error: report.first_refusal(),
            taken: report.count(false),
            refused: report.count(true) + i64::from(report.refused.is_some()),
        };
        self.db()
            .record_wire_fetch(source.id, &fetch, OffsetDateTime::now_utc())
            .await?;
        Ok(report)
    }

    /// Takes a file on disk in, as [`Newsdesk::ingest_file`]; `shown` names
    /// it in reports. One larger than the limit is refused unread.
    pub async fn ingest_path(
        &self,
        source: &WireSource,
        path: &std::path::Path,
        shown: &str,
        options: IngestOptions<'_>,
    ) -> Result<FileReport, Failure> {
        let limit = options.limits.max_bytes;
        // Pictures named by the file are beside it.
        let folder = path.parent().unwrap_or(std::path::Path::new("."));
        let options = match options.pictures {
            PictureFiles::Nowhere => IngestOptions {
                pictures: PictureFiles::Folder(folder),
                ..options
            },
            _ => options,
        };
        let read = match tokio::fs::metadata(path).await {
            Ok(meta) if meta.len() > u64::try_from(limit).unwrap_or(u64::MAX) => {
                let too_large = dateline_ingest::IngestError::TooLarge {
                    file: shown.to_owned(),
                    size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
                    limit,
                };
                Err((too_large.to_string(), false))
            }
            Ok(_) => tokio::fs::read(path)
                .await
                .map_err(|e| (format!("{shown}: cannot read: {e}"), true)),
            Err(e) => Err((format!("{shown}: cannot read: {e}"), true)),
        };
        match read {
            Ok(bytes) => self.ingest_file(source, shown, &bytes, options).await,
            Err((reason, unreadable)) => {
                let fetch = SourceFetch {
                    error: Some(&reason),
                    refused: 1,
                    ..SourceFetch::default()
                };
                self.db()
                    .record_wire_fetch(source.id, &fetch, OffsetDateTime::now_utc())
                    .await?;
                Ok(FileReport {
                    file: shown.to_owned(),
                    refused: Some(reason),
                    unreadable,
                    items: Vec::new(),
                    used_files: Vec::new(),
                })
            }
        }
    }

    async fn ingest_item(
        &self,
        source: &WireSource,
        file: &str,
        item: &WireItem,
        options: IngestOptions<'_>,
    ) -> Result<(ItemReport, Option<pictures::UsedFile>), Failure> {
        let mode = options.mode.unwrap_or(source.mode);
        let mut report = ItemReport {
            guid: item.source_guid.clone(),
            version: item.version,
            site: None,
            outcome: Outcome::Queued,
            notes: Vec::new(),
        };
        let Some(version) = wire::stored_version(item.version) else {
            report.outcome = Outcome::Refused(format!(
                "{file}: item {} has version {}, larger than {}",
                item.source_guid,
                item.version.unwrap_or_default(),
                i64::MAX
            ));
            return Ok((report, None));
        };
        let site = self.edition_for(source, item.language.as_deref())?;
        report.site = Some(site);
        let now = OffsetDateTime::now_utc();
        let received = ReceivedItem {
            source: source.id,
            site,
            guid: &item.source_guid,
            version,
            status: match item.status {
                Status::Usable => "usable",
                Status::Canceled => "canceled",
                Status::Withheld => "withheld",
            },
            file,
            first_created: item.first_created,
            version_created: item.version_created,
            embargoed_until: item.embargoed_until,
            language: item.language.as_deref().unwrap_or_default(),
            headline: &item.headline,
            standfirst: item.standfirst.as_deref().unwrap_or_default(),
            body_html: &item.body_html,
            byline: item.byline.as_deref().unwrap_or_default(),
            keywords: &item.keywords,
            subjects: &item.subjects,
            credit: item.credit.as_deref().unwrap_or_default(),
            dateline_place: item.dateline_place.as_deref().unwrap_or_default(),
            slugline: item.slugline.as_deref().unwrap_or_default(),
            editor_notes: &item.editor_notes,
        };
        let (row, earlier) = match self.db().receive_wire_item(&received, now).await? {
            Receipt::New { id, earlier } => (id, earlier),
            Receipt::Again { .. } => {
                report.outcome = Outcome::Skipped(Skip::Again);
                return Ok((report, None));
            }
            Receipt::Stale { newest } => {
                report.outcome = Outcome::Skipped(Skip::Older { newest });
                return Ok((report, None));
            }
        };
        let stamp = SourceItem {
            source: &source.name,
            guid: &item.source_guid,
            version,
            first_created: item.first_created,
        };
        let mut used = None;
        report.outcome = match item.status {
            Status::Canceled | Status::Withheld => self.kill_item(source, item).await?,
            Status::Usable => {
                let wire_desk = self.wire_desk_account().await?;
                let mut lead = None;
                if let Some(picture) = pictures_of(item).first() {
                    match self
                        .store_picture(site, row, picture, options.pictures, wire_desk)
                        .await?
                    {
                        Ok((stored, file)) => {
                            lead = Some(stored);
                            used = file;
                        }
                        Err(note) => report.notes.push(note),
                    }
                }
                let taking = Taking {
                    source,
                    site,
                    item,
                    stamp,
                    lead: lead.as_ref(),
                };
                match self.take_item(&taking, mode, earlier, now).await {
                    Ok(outcome) => outcome,
                    Err(ArticleError::Failed(failure)) => return Err(failure),
                    Err(error) => Outcome::Refused(refusal(file, item, &error)),
                }
            }
        };
        let outcome = &report.outcome;
        self.db()
            .settle_wire_item(
                row,
                outcome.stored(),
                &outcome.describe(),
                outcome.article(),
            )
            .await?;
        Ok((report, used))
    }

    /// The edition of the source's site that serves the item's language.
    fn edition_for(&self, source: &WireSource, language: Option<&str>) -> Result<SiteId, Failure> {
        let network = self.network();
        let home = network
            .entry(source.site)
            .ok_or(Failure::UnknownSite(source.site))?;
        let editions: Vec<_> = std::iter::once(home)
            .chain(network.siblings(&home.site))
            .map(|entry| (entry.site.id, entry.site.lang))
            .collect();
        Ok(wire::edition_for(language, &editions).unwrap_or(source.site))
    }

    async fn take_item(
        &self,
        taking: &Taking<'_>,
        mode: SourceMode,
        earlier: bool,
        now: OffsetDateTime,
    ) -> Result<Outcome, ArticleError> {
        let Taking {
            source, site, item, ..
        } = *taking;
        let wire_desk = self.wire_desk_account().await.map_err(Failure::from)?;
        let link = self
            .db()
            .source_link(site, &source.name, &item.source_guid)
            .await
            .map_err(Failure::from)?;
        let Some(link) = link else {
            return match mode {
                SourceMode::Queue if earlier => Ok(Outcome::UpdatedOnDesk),
                SourceMode::Queue => Ok(Outcome::Queued),
                SourceMode::Publish => self.publish_item(taking, wire_desk, now).await,
            };
        };
        if link.killed.is_some() {
            return Ok(Outcome::Skipped(Skip::KilledBefore(link.article)));
        }
        if source.updates == UpdatePolicy::DeskDecides
            && self
                .db()
                .last_revision_author(link.article)
                .await
                .map_err(Failure::from)?
                != Some(wire_desk)
        {
            return Ok(Outcome::HeldForDesk(link.article));
        }
        let input = self.wire_input(source, site, item, taking.lead).await?;
        let taken = self
            .take_from_source(
                on_site(site, wire_desk),
                taking.stamp,
                &input,
                Action::Save,
                Schedule::At(None),
            )
            .await?;
        Ok(match taken {
            Taken::Created(id) | Taken::Updated(id) => Outcome::Updated(id),
            Taken::Unchanged { .. } => Outcome::Skipped(Skip::Again),
            Taken::Killed(id) => Outcome::Skipped(Skip::KilledBefore(id)),
        })
    }

    /// A new item of a source that publishes at once: public now, or
    /// scheduled for the end of its embargo.
    async fn publish_item(
        &self,
        taking: &Taking<'_>,
        wire_desk: UserId,
        now: OffsetDateTime,
    ) -> Result<Outcome, ArticleError> {
        let input = self
            .wire_input(taking.source, taking.site, taking.item, taking.lead)
            .await?;
        let embargo = taking.item.embargoed_until.filter(|until| *until > now);
        let (action, schedule) = match embargo {
            Some(until) => (Action::Schedule, Schedule::At(Some(until))),
            None => (Action::Publish, Schedule::At(None)),
        };
        let taken = self
            .take_from_source(
                on_site(taking.site, wire_desk),
                taking.stamp,
                &input,
                action,
                schedule,
            )
            .await?;
        Ok(match (taken, embargo) {
            (Taken::Created(article), Some(until)) => Outcome::Embargoed { article, until },
            (Taken::Created(id), None) => Outcome::Published(id),
            (Taken::Updated(id), _) => Outcome::Updated(id),
            (Taken::Unchanged { .. }, _) => Outcome::Skipped(Skip::Again),
            (Taken::Killed(id), _) => Outcome::Skipped(Skip::KilledBefore(id)),
        })
    }

    /// Takes down every article the item became, in any edition.
    async fn kill_item(&self, source: &WireSource, item: &WireItem) -> Result<Outcome, Failure> {
        let wire_desk = self.wire_desk_account().await?;
        let status = match item.status {
            Status::Withheld => "Withheld",
            _ => "Canceled",
        };
        let mut reason = format!("{status} by {}", source.label);
        if !item.editor_notes.is_empty() {
            reason = format!("{reason}: {}", item.editor_notes.join(" "));
        }
        let mut killed = Vec::new();
        for (site, link) in self
            .db()
            .source_links(&source.name, &item.source_guid)
            .await?
        {
            if link.killed.is_some() {
                continue;
            }
            // A desk save in between makes a conflict: read it again.
            let mut tries = 0;
            loop {
                tries += 1;
                match self
                    .kill_article(on_site(site, wire_desk), link.article, &reason)
                    .await
                {
                    Ok(()) => {
                        killed.push(link.article);
                        break;
                    }
                    Err(ArticleError::Conflict(_)) if tries < 3 => {}
                    Err(ArticleError::Failed(failure)) => return Err(failure),
                    Err(error) => {
                        tracing::warn!(article = %link.article, %error, "a wire kill could not take the article down");
                        break;
                    }
                }
            }
        }
        Ok(Outcome::Killed(killed))
    }

    /// The article form, filled from an item as a reporter would: the
    /// section its subject maps to (else the edition's first), tags from
    /// keywords, the byline as an author, and the credit line.
    pub(crate) async fn wire_input(
        &self,
        source: &WireSource,
        site: SiteId,
        item: &WireItem,
        lead: Option<&LeadPicture>,
    ) -> Result<ArticleInput, Failure> {
        let network = self.network();
        let entry = network.entry(site).ok_or(Failure::UnknownSite(site))?;
        let mapped = self.db().subject_sections(source.id, site).await?;
        let section = item
            .subjects
            .iter()
            .flat_map(|subject| wire::subject_candidates(subject))
            // `*` names the source's own default section.
            .chain(std::iter::once(wire::DEFAULT_SUBJECT.to_owned()))
            .find_map(|code| {
                mapped
                    .iter()
                    .find(|(mapped_code, _)| *mapped_code == code)
                    .map(|(_, section)| *section)
            })
            .or_else(|| entry.sections.first().map(|section| section.id));
        let mut authors = Vec::new();
        if let Some(byline) = item.byline.as_deref().filter(|b| !b.trim().is_empty()) {
            match self
                .db()
                .author_named(site, &clip(byline, MAX_SHORT_FIELD_CHARS))
                .await
            {
                Ok(author) => authors.push(author.to_string()),
                // A byline that makes no slug (punctuation only) is no name.
                Err(StoreError::Invalid(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let credit = wire::credit_name(item.credit.as_deref().unwrap_or(&source.label));
        Ok(ArticleInput {
            headline: item.headline.clone(),
            standfirst: clip(
                item.standfirst.as_deref().unwrap_or_default(),
                MAX_STANDFIRST_CHARS,
            ),
            body_html: item.body_html.clone(),
            section: section.map(|s| s.to_string()).unwrap_or_default(),
            tags: wire::tags_field(&item.keywords, MAX_TAGS),
            authors,
            dateline_place: clip(
                item.dateline_place.as_deref().unwrap_or_default(),
                MAX_SHORT_FIELD_CHARS,
            ),
            source_credit: clip(credit, MAX_SHORT_FIELD_CHARS),
            lead_media: lead.map(|l| l.media.0.to_string()).unwrap_or_default(),
            lead_caption: lead.map(|l| l.caption.clone()).unwrap_or_default(),
            lead_credit: lead.map(|l| l.credit.clone()).unwrap_or_default(),
            lead_alt: lead.map(|l| l.alt.clone()).unwrap_or_default(),
            ..ArticleInput::default()
        })
    }
}

/// The pictures an item names, first the one to lead the story.
fn pictures_of(item: &WireItem) -> Vec<PictureRef> {
    item.pictures
        .iter()
        .map(|picture| PictureRef {
            href: picture.href.clone(),
            caption: picture.caption.clone().unwrap_or_default(),
            credit: picture.credit.clone().unwrap_or_default(),
            alt: picture.alt.clone().unwrap_or_default(),
        })
        .collect()
}

/// An item being taken into an edition.
#[derive(Clone, Copy)]
struct Taking<'a> {
    source: &'a WireSource,
    site: SiteId,
    item: &'a WireItem,
    stamp: SourceItem<'a>,
    /// The item's picture, in the edition's media library.
    lead: Option<&'a LeadPicture>,
}

/// The wire desk acts as an editor would.
fn on_site(site: SiteId, wire_desk: UserId) -> OnSite {
    OnSite {
        site,
        actor: Actor {
            user: wire_desk,
            role: Role::Editor,
        },
    }
}

/// Why an item could not become an article, naming the file and item.
fn refusal(file: &str, item: &WireItem, error: &ArticleError) -> String {
    let why = match error {
        ArticleError::Invalid(fields) => fields
            .iter()
            .map(|field| format!("{}: {}", field.field, field.english()))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    format!("{file}: item {}: {why}", item.source_guid)
}
