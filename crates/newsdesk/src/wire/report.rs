//! What became of a wire file and of each of its items, as the command
//! line prints it, the drop folder logs it and the wire desk marks it.

use dateline_core::{ArticleId, SiteId};
use time::OffsetDateTime;

/// What became of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new article, public now.
    Published(ArticleId),
    /// A new article, scheduled for the end of the item's embargo.
    Embargoed {
        article: ArticleId,
        until: OffsetDateTime,
    },
    /// On the wire desk, for an editor to take.
    Queued,
    /// A newer version updated the article.
    Updated(ArticleId),
    /// A newer version of an item still on the wire desk.
    UpdatedOnDesk,
    /// A newer version waits for an editor: the desk edited the story
    /// since the source's last version.
    HeldForDesk(ArticleId),
    /// The source killed the item: these articles came down (none when
    /// it was never published).
    Killed(Vec<ArticleId>),
    Skipped(Skip),
    /// Not taken in, for this reason.
    Refused(String),
}

/// Why an item changed nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// This version was received before.
    Again,
    /// A newer version was received before.
    Older { newest: i64 },
    /// The source killed the story before: it stays down.
    KilledBefore(ArticleId),
}

impl Outcome {
    /// The word scripts read: accepted, updated, skipped, held, killed or
    /// refused.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Published(_) | Outcome::Queued => "accepted",
            Outcome::Updated(_) | Outcome::UpdatedOnDesk => "updated",
            Outcome::Embargoed { .. } | Outcome::HeldForDesk(_) => "held",
            Outcome::Killed(_) => "killed",
            Outcome::Skipped(_) => "skipped",
            Outcome::Refused(_) => "refused",
        }
    }

    /// What happened, in English (times in UTC).
    pub fn describe(&self) -> String {
        match self {
            Outcome::Published(id) => format!("published as article {id}"),
            Outcome::Embargoed { article, until } => format!(
                "embargoed until {}; article {article} is scheduled for then",
                rfc3339(*until)
            ),
            Outcome::Queued => "queued on the wire desk".to_owned(),
            Outcome::Updated(id) => format!("article {id} updated"),
            Outcome::UpdatedOnDesk => {
                "the newer version replaces the one on the wire desk".to_owned()
            }
            Outcome::HeldForDesk(id) => format!(
                "article {id} was edited by the desk since; the new version waits on the wire desk"
            ),
            Outcome::Killed(ids) if ids.is_empty() => {
                "nothing had been published; marked killed on the wire desk".to_owned()
            }
            Outcome::Killed(ids) => format!(
                "taken down: article {}",
                ids.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", article ")
            ),
            Outcome::Skipped(Skip::Again) => "this version was received before".to_owned(),
            Outcome::Skipped(Skip::Older { newest }) => {
                format!("older than version {newest}, received before")
            }
            Outcome::Skipped(Skip::KilledBefore(id)) => {
                format!("article {id} was killed by the source and stays down")
            }
            Outcome::Refused(reason) => reason.clone(),
        }
    }

    /// The article the item became or changed, if one.
    pub fn article(&self) -> Option<ArticleId> {
        match self {
            Outcome::Published(id)
            | Outcome::Embargoed { article: id, .. }
            | Outcome::Updated(id)
            | Outcome::HeldForDesk(id)
            | Outcome::Skipped(Skip::KilledBefore(id)) => Some(*id),
            Outcome::Killed(ids) => ids.first().copied(),
            _ => None,
        }
    }

    /// As the item's row keeps it (the wire desk marks items by it).
    pub(super) fn stored(&self) -> &'static str {
        match self {
            Outcome::Published(_) => "published",
            Outcome::Embargoed { .. } => "scheduled",
            Outcome::Queued | Outcome::UpdatedOnDesk => "queued",
            Outcome::Updated(_) => "updated",
            Outcome::HeldForDesk(_) => "held",
            Outcome::Killed(_) => "killed",
            Outcome::Skipped(_) => "skipped",
            Outcome::Refused(_) => "refused",
        }
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

/// One item of a file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReport {
    /// Empty when the item was refused before its guid could be read.
    pub guid: String,
    pub version: Option<u64>,
    /// The edition its language chose.
    pub site: Option<SiteId>,
    pub outcome: Outcome,
    /// What went wrong on the side without stopping the item (a picture
    /// that could not be had).
    pub notes: Vec<String>,
}

/// What became of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub file: String,
    /// The whole file was refused, for this reason (naming the file).
    pub refused: Option<String>,
    /// It could not be read at all (the reason is in `refused`).
    pub unreadable: bool,
    pub items: Vec<ItemReport>,
    /// Pictures taken from beside the file, to file away with it.
    pub used_files: Vec<std::path::PathBuf>,
}

impl FileReport {
    pub(super) fn count(&self, refused: bool) -> i64 {
        let matching = self
            .items
            .iter()
            .filter(|item| matches!(item.outcome, Outcome::Refused(_)) == refused)
            .count();
        i64::try_from(matching).unwrap_or(i64::MAX)
    }

    /// The first reason anything in it was refused.
    pub fn first_refusal(&self) -> Option<&str> {
        self.refused.as_deref().or_else(|| {
            self.items.iter().find_map(|item| match &item.outcome {
                Outcome::Refused(reason) => Some(reason.as_str()),
                _ => None,
            })
        })
    }
}
