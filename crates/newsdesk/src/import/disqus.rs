//! A Disqus export into comments: each thread is matched to an article
//! (by the WordPress post its identifier names, then by its address: an
//! article's own, or an old one in the redirect table), and its posts
//! become the article's comments with their thread and moderation state.

use super::{Edition, ImportFailure, ImportOptions, ImportReport, Progress, edition_of_address};
use crate::Newsdesk;
use dateline_core::import as map;
use dateline_core::redirect::{RedirectTarget, old_address};
use dateline_core::{ArticleId, SiteId};
use dateline_ingest::archive::{DisqusEntry, DisqusPost, DisqusReader, normalize_url};
use dateline_store::imports::{ImportRun, ImportedComment};
use std::collections::HashMap;
use std::path::Path;
use time::OffsetDateTime;

/// A thread as the posts need it.
struct Thread {
    identifier: String,
    link: String,
    title: String,
}

/// What the first pass learns.
#[derive(Default)]
struct Index {
    forum: String,
    threads: HashMap<String, Thread>,
    posts: u64,
}

/// Posts stored per transaction: one bad post never costs the batch (it
/// is refused before), and a batch is one commit rather than hundreds.
const BATCH: usize = 200;

impl Newsdesk {
    /// Imports a Disqus export's posts as comments of the articles their
    /// threads are about.
    pub async fn import_disqus(
        &self,
        path: &Path,
        shown: &str,
        options: ImportOptions<'_>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<ImportReport, ImportFailure> {
        let editions = self.editions(options.site)?;
        let (total_bytes, index, stopped) = super::first_pass(path, shown, scan).await?;
        if index.forum.trim().is_empty() {
            return Err(ImportFailure::NoForum {
                file: shown.to_owned(),
            });
        }
        let source = map::disqus_source(&index.forum);
        let file_key = super::run_key(path, total_bytes);
        let resume = self.resume_offset(&source, &file_key).await?;
        let mut report = ImportReport::new(shown, options.dry_run);
        report.resumed_at = resume;
        let now = OffsetDateTime::now_utc();
        // Threads matched so far, and the posts of those that found none.
        let mut matched: HashMap<String, Option<(SiteId, ArticleId)>> = HashMap::new();
        let mut unmatched: HashMap<String, u64> = HashMap::new();
        let mut batch: Vec<Pending> = Vec::new();
        let mut stored_since_checkpoint = false;
        let mut done = 0_u64;
        let mut posts = super::read_in_background(path, shown, move |file, shown| match resume {
            Some(offset) => DisqusReader::resume(shown, file, offset),
            None => DisqusReader::new(shown, file),
        });
        while let Some(entry) = posts.recv().await {
            let post = match entry {
                Ok(DisqusEntry::Post(post)) => post,
                Ok(_) => continue,
                Err(error) => {
                    report.stopped = Some(error.to_string());
                    break;
                }
            };
            done += 1;
            progress(Progress {
                bytes: post.offset,
                total_bytes,
                items: done,
                total_items: index.posts,
            });
            let Some(pending) = self
                .take_post_of_thread(
                    &editions,
                    &index,
                    &mut matched,
                    &mut unmatched,
                    &mut report,
                    &post,
                )
                .await?
            else {
                continue;
            };
            if batch.is_empty() && stored_since_checkpoint && !options.dry_run {
                // Every post before this one is in (or was skipped, which
                // a run started again would decide the same).
                let checkpoint = ImportRun {
                    resume_offset: post.offset,
                    finished: false,
                };
                self.db()
                    .save_import_run(&source, &file_key, checkpoint, now)
                    .await?;
                stored_since_checkpoint = false;
            }
            batch.push(pending);
            if batch.len() >= BATCH {
                self.store_batch(&source, &mut batch, &mut report, options.dry_run, now)
                    .await?;
                stored_since_checkpoint = true;
            }
        }
        self.store_batch(&source, &mut batch, &mut report, options.dry_run, now)
            .await?;
        if report.stopped.is_none() {
            report.stopped = stopped.map(|e| e.to_string());
        }
        for (dsq_id, posts) in &unmatched {
            let thread = index.threads.get(dsq_id);
            let line = match thread {
                Some(thread) => format!(
                    "thread {dsq_id} \u{201c}{}\u{201d} {} ({posts} posts): no article has this identifier or address",
                    thread.title, thread.link
                ),
                None => format!("thread {dsq_id} ({posts} posts): not in the export"),
            };
            report.unmatched_threads.push(line);
        }
        report.unmatched_threads.sort();
        if !options.dry_run {
            let linked = self.db().link_waiting_replies(&source).await?;
            for _ in 0..linked {
                report.count("reply", "linked later");
            }
            if report.stopped.is_none() {
                let finished = ImportRun {
                    resume_offset: 0,
                    finished: true,
                };
                self.db()
                    .save_import_run(&source, &file_key, finished, OffsetDateTime::now_utc())
                    .await?;
            }
            self.imported_into(&editions).await?;
        }
        Ok(report)
    }

    /// A post made ready to store, or reported skipped.
    async fn take_post_of_thread(
        &self,
        editions: &[Edition],
        index: &Index,
        matched: &mut HashMap<String, Option<(SiteId, ArticleId)>>,
        unmatched: &mut HashMap<String, u64>,
        report: &mut ImportReport,
        post: &DisqusPost,
    ) -> Result<Option<Pending>, ImportFailure> {
        let what = format!("post {}", post.dsq_id.as_deref().unwrap_or("?"));
        let Some(dsq_id) = post.dsq_id.clone() else {
            report.skip("comment", format!("{what}: no dsq:id, which identifies it"));
            return Ok(None);
        };
        let Some(thread_id) = post.thread_dsq_id.clone() else {
            report.skip("comment", format!("{what}: names no thread"));
            return Ok(None);
        };
        let target = match matched.get(&thread_id) {
            Some(target) => *target,
            None => {
                let target = match index.threads.get(&thread_id) {
                    Some(thread) => self.article_of_thread(editions, thread).await?,
                    None => None,
                };
                matched.insert(thread_id.clone(), target);
                target
            }
        };
        let Some((site, article)) = target else {
            *unmatched.entry(thread_id).or_default() += 1;
            report.count("comment", "skipped: no article");
            return Ok(None);
        };
        let body = map::comment_text(&post.message);
        if body.is_empty() {
            report.skip("comment", format!("{what}: empty"));
            return Ok(None);
        }
        let (status, reason) =
            map::disqus_comment_status(post.is_deleted, post.is_spam, post.is_approved);
        let name = match post.author.name.trim() {
            "" => post.author.username.trim().to_owned(),
            name => name.to_owned(),
        };
        Ok(Some(Pending {
            key: dsq_id,
            parent: post.parent_dsq_id.clone(),
            site,
            article,
            name: if name.is_empty() {
                "Anonymous".into()
            } else {
                name
            },
            email: post.author.email.trim().to_owned(),
            body,
            status,
            reason,
            client_ip: post.ip_address.trim().to_owned(),
            created_at: post.created_at.value,
        }))
    }

    /// The article a thread is about: the WordPress post its identifier
    /// names, else the article at its address, else the one an old
    /// address leads to.
    async fn article_of_thread(
        &self,
        editions: &[Edition],
        thread: &Thread,
    ) -> Result<Option<(SiteId, ArticleId)>, ImportFailure> {
        let sites: Vec<SiteId> = editions.iter().map(|e| e.site).collect();
        if let Some(post_id) = map::thread_post_id(&thread.identifier)
            && let Some(found) = self.db().imported_post(&sites, post_id).await?
        {
            return Ok(Some(found));
        }
        // The address without scheme, `www.`, trailing slash or query
        // (but WordPress's `?p=N`), as a path of the site.
        let normal = normalize_url(&thread.link);
        let path = match normal.find(['/', '?']) {
            Some(at) => normal[at..].to_owned(),
            None => "/".to_owned(),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path
        };
        let (edition, path) = edition_of_address(editions, &path);
        if let Some(id) = dateline_article_id(&path)
            && let Some(site) = self.db().article_site(&sites, id).await?
        {
            return Ok(Some((site, id)));
        }
        if let Some(old) = old_address(&path)
            && let Some(RedirectTarget::Article(id)) =
                self.db().redirect_for(edition.site, &old).await?
            && let Some(site) = self.db().article_site(&sites, id).await?
        {
            return Ok(Some((site, id)));
        }
        Ok(None)
    }

    /// Stores a batch of posts in one transaction and counts them.
    async fn store_batch(
        &self,
        source: &str,
        batch: &mut Vec<Pending>,
        report: &mut ImportReport,
        dry_run: bool,
        now: OffsetDateTime,
    ) -> Result<(), ImportFailure> {
        if dry_run {
            for _ in batch.drain(..) {
                report.count("comment", "created");
            }
            return Ok(());
        }
        let rows: Vec<ImportedComment<'_>> = batch
            .iter()
            .map(|p| ImportedComment {
                key: &p.key,
                site: p.site,
                article: p.article,
                parent_key: p.parent.as_deref(),
                name: &p.name,
                email: &p.email,
                body: &p.body,
                status: p.status,
                client_ip: &p.client_ip,
                created_at: p.created_at.unwrap_or(now),
                decision_reason: p.reason,
            })
            .collect();
        for row in self.db().import_comments(source, &rows, now).await? {
            report.count("comment", if row.new { "created" } else { "unchanged" });
        }
        batch.clear();
        Ok(())
    }
}

/// A post ready to store.
struct Pending {
    key: String,
    parent: Option<String>,
    site: SiteId,
    article: ArticleId,
    name: String,
    email: String,
    body: String,
    status: dateline_core::comments::CommentStatus,
    reason: &'static str,
    client_ip: String,
    created_at: Option<OffsetDateTime>,
}

/// The article id in a Dateline article path, `/{section}/{id}-{slug}`.
fn dateline_article_id(path: &str) -> Option<ArticleId> {
    let mut segments = path.trim_start_matches('/').split('/');
    let (_section, last, None) = (segments.next()?, segments.next()?, segments.next()) else {
        return None;
    };
    let digits: String = last.chars().take_while(char::is_ascii_digit).collect();
    let rest = &last[digits.len()..];
    if digits.is_empty() || !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    digits.parse().ok().map(ArticleId)
}

/// The first pass: the forum, every thread, how many posts.
fn scan(path: &Path, shown: &str) -> Result<super::Scanned<Index>, ImportFailure> {
    let file = super::open(path, shown)?;
    let mut index = Index::default();
    for entry in DisqusReader::new(shown, file) {
        match entry {
            Ok(DisqusEntry::Category(category)) => {
                if index.forum.is_empty() {
                    index.forum = category.forum;
                }
            }
            Ok(DisqusEntry::Thread(thread)) => {
                if index.forum.is_empty() {
                    index.forum = thread.forum.clone();
                }
                if let Some(dsq_id) = thread.dsq_id {
                    index.threads.insert(
                        dsq_id,
                        Thread {
                            identifier: thread.id.unwrap_or_default(),
                            link: thread.link,
                            title: thread.title,
                        },
                    );
                }
            }
            Ok(DisqusEntry::Post(_)) => index.posts += 1,
            Err(error) => return super::ended(index, error),
        }
    }
    Ok((index, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_paths_name_their_article() {
        assert_eq!(
            dateline_article_id("/world/42-port-reopens"),
            Some(ArticleId(42))
        );
        assert_eq!(dateline_article_id("/world/42"), Some(ArticleId(42)));
        assert_eq!(dateline_article_id("/2026/11/port"), None);
        assert_eq!(dateline_article_id("/world/42x"), None);
        assert_eq!(dateline_article_id("/world"), None);
    }
}
