//! Importers (issue 15): a WordPress export (WXR) and a Disqus export
//! taken in through the newsroom's rules, streamed entry by entry in flat
//! memory, each item in its own transaction and keyed by its identity at
//! the source, so a second run changes nothing and a run cut short (even
//! by `kill -9`) goes on where it stopped.
//!
//! A file is read twice: a first pass indexes what items refer to (the
//! site, authors, terms, translation groups, attachments) and counts the
//! items for progress; it also finds a file that must not be imported at
//! all (not an export, a DTD, malformed XML) before anything is written. The second pass
//! takes the items in, from the offset a previous run stopped at.

mod disqus;
mod media;
mod report;
mod wordpress;

use crate::{Actor, Failure, Newsdesk, OnSite};
use dateline_core::SiteId;
use dateline_core::accounts::Role;
use dateline_core::lang::Lang;
use dateline_ingest::archive::ImportError;
use std::path::Path;

pub use report::{ImportReport, Progress};

/// How an import runs.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// The site (edition) the export belongs to; items in another
    /// language go to its sister edition of that language.
    pub site: SiteId,
    /// A copy of WordPress's `wp-content/uploads`.
    pub media_dir: Option<&'a Path>,
    /// Read and map everything, write nothing: the report says what a run
    /// would do.
    pub dry_run: bool,
}

/// Why an import did not run at all. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file is not one this importer takes (or is refused whole).
    #[error(transparent)]
    File(#[from] ImportError),
    #[error("{file}: cannot be read: {source}")]
    Unreadable {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the media folder {path} cannot be read: {source}")]
    MediaDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}: the export names no site address (base_site_url or the channel's link), which its posts are known by"
    )]
    NoSiteAddress { file: String },
    #[error("{file}: the export names no Disqus forum, which its posts are known by")]
    NoForum { file: String },
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(ImportFailure);

/// How many items are committed between two saves of the resume offset:
/// a run started again redoes at most these (each changes nothing).
const CHECKPOINT_ITEMS: u64 = 100;

impl Newsdesk {
    /// The importer acts as an editor of the site, under its own account.
    async fn importer(&self, site: SiteId) -> Result<OnSite, Failure> {
        let user = self
            .db()
            .import_account(time::OffsetDateTime::now_utc())
            .await?;
        Ok(OnSite {
            site,
            actor: Actor {
                user,
                role: Role::Editor,
            },
        })
    }

    /// The site and its sister editions, the site first, with their
    /// languages and path prefixes.
    fn editions(&self, site: SiteId) -> Result<Vec<Edition>, Failure> {
        let network = self.network();
        let home = network.entry(site).ok_or(Failure::UnknownSite(site))?;
        Ok(std::iter::once(home)
            .chain(network.siblings(&home.site))
            .map(|entry| Edition {
                site: entry.site.id,
                lang: entry.site.lang,
                prefix: entry.site.path_prefix.clone(),
            })
            .collect())
    }

    /// Once an import has written: every edition it wrote to is purged
    /// whole (lists, feeds, sitemaps, the page cache) and the sites are
    /// read again (new sections), here and on every server.
    async fn imported_into(&self, editions: &[Edition]) -> Result<(), Failure> {
        self.reload_sites().await?;
        for edition in editions {
            self.changes().site_changed(edition.site);
        }
        Ok(())
    }
}

/// What a first pass learnt, and where the file stops early if it does.
type Scanned<I> = (I, Option<ImportError>);

/// How a first pass ends at an error: a file cut short (an interrupted
/// download, a full disk) is imported up to where it stops; any other
/// error (not an export, a DTD, malformed XML, bytes that are not UTF-8)
/// refuses the file before anything is written, naming the line to fix.
fn ended<I>(index: I, error: ImportError) -> Result<Scanned<I>, ImportFailure> {
    match error {
        ImportError::Truncated { .. } => Ok((index, Some(error))),
        error => Err(error.into()),
    }
}

/// The file's size and what the first pass (`scan`, on a thread of its
/// own) learnt of it, with where it stops early if it does.
async fn first_pass<I: Send + 'static>(
    path: &Path,
    shown: &str,
    scan: fn(&Path, &str) -> Result<Scanned<I>, ImportFailure>,
) -> Result<(u64, I, Option<ImportError>), ImportFailure> {
    let size = std::fs::metadata(path)
        .map_err(|source| ImportFailure::Unreadable {
            file: shown.to_owned(),
            source,
        })?
        .len();
    let (path, shown) = (path.to_owned(), shown.to_owned());
    let (index, stopped) = tokio::task::spawn_blocking(move || scan(&path, &shown))
        .await
        .map_err(Failure::from)??;
    Ok((size, index, stopped))
}

impl Newsdesk {
    /// Where a run of this file from this source that was cut short got
    /// to; `None` to start from the beginning.
    async fn resume_offset(&self, source: &str, file_key: &str) -> Result<Option<u64>, Failure> {
        Ok(match self.db().import_run(source, file_key).await? {
            Some(run) if !run.finished && run.resume_offset > 0 => Some(run.resume_offset),
            _ => None,
        })
    }
}

/// The import's record of a file: its name and size, so another export
/// of the same site starts from the beginning.
fn run_key(path: &Path, size: u64) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}:{size}")
}

fn open(path: &Path, shown: &str) -> Result<std::fs::File, ImportFailure> {
    std::fs::File::open(path).map_err(|source| ImportFailure::Unreadable {
        file: shown.to_owned(),
        source,
    })
}

/// The second pass, on a thread of its own: entries come through a short
/// queue, so reading overlaps writing and memory stays flat. `reader`
/// makes the reader over the opened file.
fn read_in_background<T, R>(
    path: &Path,
    shown: &str,
    reader: impl FnOnce(std::fs::File, String) -> R + Send + 'static,
) -> tokio::sync::mpsc::Receiver<Result<T, ImportError>>
where
    T: Send + 'static,
    R: Iterator<Item = Result<T, ImportError>>,
{
    let (send, receive) = tokio::sync::mpsc::channel(32);
    let (path, shown) = (path.to_owned(), shown.to_owned());
    tokio::task::spawn_blocking(move || {
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(error) => {
                let _ = send.blocking_send(Err(ImportError::Io {
                    file: shown,
                    reason: error.to_string(),
                }));
                return;
            }
        };
        for entry in reader(file, shown) {
            if send.blocking_send(entry).is_err() {
                return;
            }
        }
    });
    receive
}

/// An edition an import may write to.
#[derive(Debug, Clone)]
struct Edition {
    site: SiteId,
    lang: Lang,
    /// Its first path segment on a shared host (`ar`), empty for none.
    prefix: String,
}

/// The edition of a language, else the first (the import's site).
fn edition_of(editions: &[Edition], lang: Option<Lang>) -> &Edition {
    lang.and_then(|lang| editions.iter().find(|e| e.lang == lang))
        .unwrap_or(&editions[0])
}

/// The edition an old address of the exported site is asked of, and the
/// address as that edition sees it: `/ar/2026/…` is the Arabic edition's
/// `/2026/…` when it is served under `/ar`.
fn edition_of_address<'a>(editions: &'a [Edition], old: &str) -> (&'a Edition, String) {
    let first = old.trim_start_matches('/').split(['/', '?']).next();
    for edition in editions {
        if !edition.prefix.is_empty()
            && first == Some(edition.prefix.as_str())
            && let Some(rest) = old.strip_prefix(&format!("/{}", edition.prefix))
        {
            let rest = if rest.is_empty() || rest.starts_with('?') {
                format!("/{rest}")
            } else {
                rest.to_owned()
            };
            return (edition, rest);
        }
    }
    (&editions[0], old.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_find_their_edition() {
        let editions = [
            Edition {
                site: SiteId(1),
                lang: Lang::En,
                prefix: String::new(),
            },
            Edition {
                site: SiteId(2),
                lang: Lang::Ar,
                prefix: "ar".into(),
            },
        ];
        let (edition, path) = edition_of_address(&editions, "/ar/2026/11/x");
        assert_eq!((edition.site, path.as_str()), (SiteId(2), "/2026/11/x"));
        let (edition, path) = edition_of_address(&editions, "/ar?p=3");
        assert_eq!((edition.site, path.as_str()), (SiteId(2), "/?p=3"));
        let (edition, path) = edition_of_address(&editions, "/archive/x");
        assert_eq!((edition.site, path.as_str()), (SiteId(1), "/archive/x"));
        assert_eq!(edition_of(&editions, Some(Lang::Ar)).site, SiteId(2));
        assert_eq!(edition_of(&editions, None).site, SiteId(1));
    }
}
