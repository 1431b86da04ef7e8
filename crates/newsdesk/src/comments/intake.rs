//! Comments arriving at the same moment are stored together: one
//! transaction, and one purge of each article's pages, for every comment
//! sent while the previous ones were being written (group commit). A
//! reader is answered only after the commit that holds their comment, so
//! whatever was acknowledged survives a crash of the process.
//!
//! Between its checks and that commit a comment is "in flight"
//! ([`InFlight`]): the rate limits, the duplicate test and the once-a-day
//! confirmation mail count comments in flight in this process beside
//! those stored, so a burst from one address cannot slip through the
//! moment before its first comments are written.

use crate::Wakers;
use crate::changes::Changes;
use dateline_core::comments::{CommentStatus, NewComment};
use dateline_core::{ArticleId, SiteId};
use dateline_store::{CommentToStore, ConfirmationMail, Db, StoreError};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// Comments written in one transaction at most.
const MAX_BATCH: usize = 256;
/// Comments waiting for the writer at most; senders past this wait their
/// turn before being queued.
const QUEUE_DEPTH: usize = 4096;

/// A checked and screened comment, owned, on its way to the writer.
pub(crate) struct Checked {
    pub site: SiteId,
    pub article: ArticleId,
    pub name: String,
    pub email: String,
    pub title: String,
    pub body: String,
    pub status: CommentStatus,
    pub hold_reasons: String,
    pub client_ip: String,
    pub user_agent: String,
    pub terms_version: String,
    pub score: Option<f64>,
    pub at: OffsetDateTime,
    pub confirmation: Option<Confirmation>,
}

/// A confirmation link's token hash and the mail carrying the link.
pub(crate) struct Confirmation {
    pub token_hash: String,
    pub subject: String,
    pub body: String,
    pub expires: OffsetDateTime,
}

impl Checked {
    fn to_store(&self) -> CommentToStore<'_> {
        CommentToStore {
            comment: NewComment {
                site: self.site,
                article: self.article,
                name: &self.name,
                email: &self.email,
                title: &self.title,
                body: &self.body,
                status: self.status,
                hold_reasons: &self.hold_reasons,
                client_ip: &self.client_ip,
                user_agent: &self.user_agent,
                terms_version: &self.terms_version,
                score: self.score,
            },
            at: self.at,
            confirmation: self.confirmation.as_ref().map(|c| ConfirmationMail {
                token_hash: &c.token_hash,
                subject: &c.subject,
                body: &c.body,
                expires: c.expires,
            }),
        }
    }
}

struct Queued {
    comment: Checked,
    stored: oneshot::Sender<Result<i64, StoreError>>,
}

/// Why a comment handed to the intake was not stored.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IntakeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The writer is gone: the process is shutting down.
    #[error("the comment writer has stopped")]
    Stopped,
}

/// The comment writer's queue, and the comments in flight.
pub(crate) struct Intake {
    queue: mpsc::Sender<Queued>,
    pub(super) in_flight: InFlight,
}

impl Intake {
    /// Starts the writer; it stops once the intake is dropped and the
    /// queue is written.
    pub(crate) fn start(db: Db, changes: Changes, wakers: Arc<Wakers>) -> Intake {
        let (queue, waiting) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(write_batches(db, changes, wakers, waiting));
        Intake {
            queue,
            in_flight: InFlight::default(),
        }
    }

    /// Hands a comment to the writer and waits for the commit that holds
    /// it; its id.
    pub(super) async fn store(&self, comment: Checked) -> Result<i64, IntakeError> {
        let (stored, answer) = oneshot::channel();
        self.queue
            .send(Queued { comment, stored })
            .await
            .map_err(|_| IntakeError::Stopped)?;
        answer
            .await
            .map_err(|_| IntakeError::Stopped)?
            .map_err(Into::into)
    }
}

/// The writer: takes everything queued (up to [`MAX_BATCH`]), stores it
/// in one transaction, purges the pages of articles that gained a
/// published comment, then answers each sender. What arrives meanwhile
/// is the next batch.
async fn write_batches(
    db: Db,
    changes: Changes,
    wakers: Arc<Wakers>,
    mut waiting: mpsc::Receiver<Queued>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let results = store_batch(&db, &batch).await;
        let mut published: HashMap<SiteId, Vec<ArticleId>> = HashMap::new();
        let mut mail = false;
        for (queued, result) in batch.iter().zip(&results) {
            if result.is_ok() {
                mail |= queued.comment.confirmation.is_some();
                if queued.comment.status == CommentStatus::Approved {
                    let articles = published.entry(queued.comment.site).or_default();
                    if !articles.contains(&queued.comment.article) {
                        articles.push(queued.comment.article);
                    }
                }
            }
        }
        // Before the answers: the reader is sent back to the article, whose
        // cached copies must show the comment.
        for (site, articles) in &published {
            changes.comments_changed(*site, articles).await;
        }
        if mail {
            wakers.outbox.notify_one();
        }
        for (queued, result) in batch.drain(..).zip(results) {
            // A sender that went away (the reader's connection closed) has
            // its comment stored all the same.
            let _ = queued.stored.send(result);
        }
    }
}

/// One transaction for the batch; if it fails, each comment alone, so one
/// comment the store refuses (its article deleted meanwhile) does not
/// take the others with it.
async fn store_batch(db: &Db, batch: &[Queued]) -> Vec<Result<i64, StoreError>> {
    let items: Vec<CommentToStore<'_>> = batch.iter().map(|q| q.comment.to_store()).collect();
    match db.store_comments(&items).await {
        Ok(ids) => ids.into_iter().map(Ok).collect(),
        Err(error) if items.len() == 1 => vec![Err(error)],
        Err(error) => {
            tracing::warn!(%error, comments = items.len(), "a batch of comments failed; storing them one by one");
            let mut results = Vec::with_capacity(items.len());
            for item in items {
                results.push(
                    db.store_comments(std::slice::from_ref(&item))
                        .await
                        .map(|ids| ids[0]),
                );
            }
            results
        }
    }
}

/// Comments of this process between their checks and their commit.
#[derive(Default)]
pub(crate) struct InFlight {
    next: AtomicU64,
    comments: Mutex<HashMap<u64, Flying>>,
}

struct Flying {
    site: SiteId,
    client_ip: String,
    email: String,
    body: u64,
}

/// What a comment entering flight saw of the others.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Others from the same client address, and from the same e-mail.
    pub by_ip: i64,
    pub by_email: i64,
    /// Another carries the same text from the same address or person.
    pub duplicate: bool,
}

/// A comment's place in flight; leaving (dropping it) removes it.
pub(crate) struct Ticket<'a> {
    owner: &'a InFlight,
    id: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if let Ok(mut comments) = self.owner.comments.lock() {
            comments.remove(&self.id);
        }
    }
}

impl InFlight {
    /// Puts a comment in flight, and says what it sees of the others. It
    /// enters before its sender's stored comments are counted: a comment
    /// committed in between is then counted twice (a refusal a moment
    /// early), never missed.
    pub(crate) fn enter(
        &self,
        site: SiteId,
        client_ip: &str,
        email: &str,
        body: &str,
    ) -> (Ticket<'_>, Seen) {
        let body = text_hash(body);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut seen = Seen::default();
        // A poisoned lock means a panic elsewhere; counting nothing then
        // only loosens the limits of this one comment.
        if let Ok(mut comments) = self.comments.lock() {
            for other in comments.values().filter(|c| c.site == site) {
                let same_ip = other.client_ip == client_ip;
                let same_email = other.email == email;
                seen.by_ip += i64::from(same_ip);
                seen.by_email += i64::from(same_email);
                seen.duplicate |= (same_ip || same_email) && other.body == body;
            }
            comments.insert(
                id,
                Flying {
                    site,
                    client_ip: client_ip.to_owned(),
                    email: email.to_owned(),
                    body,
                },
            );
        }
        (Ticket { owner: self, id }, seen)
    }
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_in_flight_count_against_their_senders_until_they_land() {
        let flight = InFlight::default();
        let site = SiteId(1);
        let (first, seen) = flight.enter(site, "203.0.113.7", "a@example.com", "Hello");
        assert_eq!(seen, Seen::default());
        let (_second, seen) = flight.enter(site, "203.0.113.7", "b@example.com", "Other");
        assert_eq!((seen.by_ip, seen.by_email, seen.duplicate), (1, 0, false));
        let (_third, seen) = flight.enter(site, "198.51.100.1", "a@example.com", "Hello");
        assert_eq!((seen.by_ip, seen.by_email, seen.duplicate), (0, 1, true));
        let (_elsewhere, seen) = flight.enter(SiteId(2), "203.0.113.7", "a@example.com", "Hello");
        assert_eq!(seen, Seen::default(), "another site's comments are its own");
        drop(first);
        let (_fourth, seen) = flight.enter(site, "203.0.113.7", "c@example.com", "Something new");
        assert_eq!(
            (seen.by_ip, seen.by_email, seen.duplicate),
            (1, 0, false),
            "the first left flight (the store counts it now)"
        );
    }
}
