//! Reader comments, their one-time security codes, the moderation queue
//! and bans. Rejected and deleted comments stay, with who decided and why.

use crate::cache::CacheKey;
use crate::db::{on_read, on_tx, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::comments::{Ban, BanKind, CommentStatus, NewComment};
use dateline_core::security_code::NewCode;
use dateline_core::{ArticleId, SiteId};
use serde::Serialize;
use std::sync::Arc;
use time::OffsetDateTime;

/// A comment as readers see it: no e-mail address, ever.
#[derive(Debug, Clone, Serialize)]
pub struct PublicComment {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The approved comment it answers, if any: its id and author.
    pub reply_to: Option<(i64, String)>,
}

/// A comment as moderators see it.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedComment {
    pub id: i64,
    pub article_id: i64,
    pub article_headline: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub body: String,
    pub status: CommentStatus,
    pub hold_reasons: Vec<String>,
    pub client_ip: String,
    pub terms_version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub decided_by: Option<String>,
    pub decision_reason: String,
    /// The classifier's estimate that it would be rejected (percent).
    pub score: Option<u32>,
    /// Readers' open reports, as `reason` or `reason: note`.
    pub reports: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: i64,
    article_id: i64,
    article_headline: String,
    author_name: String,
    author_email: String,
    title: String,
    body: String,
    status: String,
    hold_reasons: String,
    client_ip: String,
    terms_version: String,
    created_at: OffsetDateTime,
    decided_by: Option<String>,
    decision_reason: String,
    score: Option<f64>,
}

impl QueueRow {
    fn into_queued(self) -> Result<QueuedComment> {
        Ok(QueuedComment {
            status: CommentStatus::parse(&self.status).ok_or_else(|| StoreError::Corrupt {
                what: format!("comment {}", self.id),
                reason: format!("unknown status {:?}", self.status),
            })?,
            id: self.id,
            article_id: self.article_id,
            article_headline: self.article_headline,
            name: self.author_name,
            email: self.author_email,
            title: self.title,
            body: self.body,
            hold_reasons: self
                .hold_reasons
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            client_ip: self.client_ip,
            terms_version: self.terms_version,
            created_at: self.created_at,
            decided_by: self.decided_by,
            decision_reason: self.decision_reason,
            score: self
                .score
                .map(|s| (s * 100.0).round().clamp(0.0, 100.0) as u32),
            reports: Vec::new(),
        })
    }
}

/// The stored halves of a security code.
#[derive(Debug, Clone)]
pub struct StoredCode {
    pub code_hash: String,
    pub pow_salt: String,
    pub pow_challenge: String,
    pub pow_max: u32,
}

/// Mail already queued that the outbox's bounds look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailPressure {
    /// Mail to this recipient lately.
    pub to_recipient: i64,
    /// Mail to the recipient's domain lately.
    pub to_domain: i64,
    /// Mail not yet sent, to anyone.
    pub unsent: i64,
}

/// What screening a new comment looks up, in one query
/// ([`Db::screening_facts`]): the sender's addresses, the text, the
/// browser's commenter key, and the windows of each rule.
#[derive(Debug, Clone, Copy)]
pub struct ScreeningQuery<'a> {
    pub site: SiteId,
    pub client_ip: &'a str,
    pub email: &'a str,
    pub body: &'a str,
    /// The hash of the key the browser holds, if any.
    pub key_hash: Option<&'a str>,
    /// Comments after this count against the rate limits.
    pub rate_since: OffsetDateTime,
    /// The same text after this is a duplicate.
    pub duplicate_since: OffsetDateTime,
    /// A confirmation link sent after this is recent.
    pub verification_since: OffsetDateTime,
    /// The outbox's windows per recipient (and for unsent mail), and per
    /// domain.
    pub recipient_since: OffsetDateTime,
    pub domain_since: OffsetDateTime,
}

/// What the store knows of a new comment's sender and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningFacts {
    /// Comments from this client address, and from this e-mail address,
    /// within the rate window.
    pub by_ip: i64,
    pub by_email: i64,
    /// The same text came from this address or person lately.
    pub duplicate: bool,
    pub record: dateline_core::comments::Record,
    /// The browser's key is one this (confirmed) address was given.
    pub holds_key: bool,
    /// A confirmation link went to this address lately.
    pub verification_sent: bool,
    pub mail: MailPressure,
}

/// A comment to store, with the confirmation mail to queue beside it.
#[derive(Debug, Clone)]
pub struct CommentToStore<'a> {
    pub comment: NewComment<'a>,
    /// When it was sent.
    pub at: OffsetDateTime,
    pub confirmation: Option<ConfirmationMail<'a>>,
}

/// A confirmation link (by its token's hash) and the mail that carries it.
#[derive(Debug, Clone, Copy)]
pub struct ConfirmationMail<'a> {
    pub token_hash: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub expires: OffsetDateTime,
}

/// The one query of [`Db::screening_facts`]. The duplicate test takes two
/// lookups, each along its own index (address, e-mail); the latest
/// decisions are a bounded range of the e-mail index.
static SCREENING: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    const LATEST_DECISIONS: &str = "SELECT status FROM comments WHERE site_id = $1 AND author_email = $3 \
         AND decided_at IS NOT NULL ORDER BY decided_at DESC, id DESC LIMIT $7";
    format!(
        "SELECT \
         (SELECT COUNT(*) FROM comments WHERE site_id = $1 AND client_ip = $2 AND created_at > $4), \
         (SELECT COUNT(*) FROM comments WHERE site_id = $1 AND author_email = $3 AND created_at > $4), \
         EXISTS (SELECT 1 FROM comments WHERE client_ip = $2 AND created_at > $5 AND site_id = $1 AND body = $6) \
         OR EXISTS (SELECT 1 FROM comments WHERE author_email = $3 AND created_at > $5 AND site_id = $1 AND body = $6), \
         EXISTS (SELECT 1 FROM commenters WHERE site_id = $1 AND email = $3 AND verified_at IS NOT NULL), \
         (SELECT COUNT(*) FROM comments WHERE site_id = $1 AND author_email = $3 AND status = 'approved'), \
         (SELECT COUNT(*) FROM ({LATEST_DECISIONS}) AS d), \
         (SELECT COUNT(*) FROM ({LATEST_DECISIONS}) AS d WHERE d.status IN ('rejected', 'deleted')), \
         EXISTS (SELECT 1 FROM commenter_keys WHERE token_hash = $8 AND site_id = $1 AND email = $3), \
         EXISTS (SELECT 1 FROM email_verifications WHERE site_id = $1 AND email = $3 AND created_at > $9), \
         (SELECT COUNT(*) FROM outbox WHERE recipient = $3 AND created_at > $10), \
         (SELECT COUNT(*) FROM outbox WHERE recipient_domain = $11 AND created_at > $12), \
         (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND created_at > $10)"
    )
});

/// The statement that stores one comment of a [`CommentToStore`],
/// returning its id: a macro, as `on_tx!` and `on_write!` expand their
/// body once per backend.
macro_rules! insert_comment {
    ($item:expr) => {{
        let item: &CommentToStore<'_> = $item;
        let c = &item.comment;
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO comments (site_id, article_id, author_name, author_email, title, body, status, \
             hold_reasons, client_ip, user_agent, terms_version, terms_accepted_at, created_at, score) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id",
        )
        .bind(c.site.0)
        .bind(c.article.0)
        .bind(c.name)
        .bind(c.email)
        .bind(c.title)
        .bind(c.body)
        .bind(c.status.as_str())
        .bind(c.hold_reasons)
        .bind(c.client_ip)
        .bind(c.user_agent)
        .bind(c.terms_version)
        .bind(stored_time(item.at))
        .bind(c.score)
    }};
}

/// Confirmed-reader keys kept per address: a reader's few browsers.
const KEYS_PER_COMMENTER: i64 = 10;

const QUEUE: &str = "SELECT c.id, c.article_id, a.headline AS article_headline, c.author_name, c.author_email, \
     c.title, c.body, c.status, c.hold_reasons, c.client_ip, c.terms_version, c.created_at, \
     u.name AS decided_by, c.decision_reason, c.score \
     FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN users u ON u.id = c.decided_by \
     WHERE c.site_id = $1 AND c.status = $2 AND ($3 = 0 OR c.article_id = $3) \
     AND ($6 <= 0 OR c.score >= $6) \
     ORDER BY c.created_at DESC, c.id DESC LIMIT $4 OFFSET $5";

impl Db {
    /// Keeps a new security code (and forgets expired ones).
    pub async fn insert_security_code(
        &self,
        code: &NewCode,
        client: &str,
        expires: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query("DELETE FROM security_codes WHERE expires_at <= $1")
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO security_codes (id, code_hash, pow_salt, pow_challenge, pow_max, expires_at, created_at, client) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&code.id)
        .bind(&code.code_hash)
        .bind(&code.pow_salt)
        .bind(&code.pow_challenge)
        .bind(i64::from(code.pow_max))
        .bind(stored_time(expires))
        .bind(stored_time(now))
        .bind(client)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        // Not a reader-visible write: commit without touching the read cache.
        tx.inner.commit().await?;
        Ok(())
    }

    /// Uses up a security code: it answers once, before it expires.
    pub async fn consume_security_code(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<StoredCode>> {
        let row: Option<(String, String, String, i64)> = on_write!(self, cx => sqlx::query_as(
            "UPDATE security_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING code_hash, pow_salt, pow_challenge, pow_max",
        )
        .bind(id)
        .bind(stored_time(now))
        .fetch_optional(cx)
        .await)?;
        Ok(
            row.map(|(code_hash, pow_salt, pow_challenge, pow_max)| StoredCode {
                code_hash,
                pow_salt,
                pow_challenge,
                pow_max: u32::try_from(pow_max).unwrap_or(0),
            }),
        )
    }

    /// Security codes asked for since a time, in all (the load the proof
    /// of work adapts to) and by this client.
    pub async fn security_codes_issued_since(
        &self,
        client: &str,
        since: OffsetDateTime,
    ) -> Result<(i64, i64)> {
        Ok(on_read!(self, cx => sqlx::query_as(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE client = $2) FROM security_codes \
             WHERE created_at > $1",
        )
        .bind(stored_time(since))
        .bind(client)
        .fetch_one(cx)
        .await)?)
    }

    /// The site's bans, newest first. Every comment sent reads them, so
    /// they are kept like reader queries: a ban made through another
    /// instance holds here within [`crate::READ_CACHE_TTL`].
    pub async fn comment_bans(&self, site: SiteId) -> Result<Arc<Vec<Ban>>> {
        self.cached(CacheKey::Bans(site), || self.load_comment_bans(site))
            .await
    }

    async fn load_comment_bans(&self, site: SiteId) -> Result<Vec<Ban>> {
        let rows: Vec<(i64, String, String, String)> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, kind, value, reason FROM comment_bans WHERE site_id = $1 ORDER BY id DESC",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter()
            .map(|(id, kind, value, reason)| {
                Ok(Ban {
                    id,
                    kind: BanKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
                        what: format!("comment ban {id}"),
                        reason: format!("unknown kind {kind:?}"),
                    })?,
                    value,
                    reason,
                })
            })
            .collect()
    }

    /// Bans an e-mail address or address range (idempotent).
    pub async fn add_comment_ban(
        &self,
        site: SiteId,
        kind: BanKind,
        value: &str,
        reason: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO comment_bans (site_id, kind, value, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (site_id, kind, value) DO UPDATE SET reason = excluded.reason",
        )
        .bind(site.0)
        .bind(kind.as_str())
        .bind(value)
        .bind(reason)
        .bind(user.0)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.audit(
            Some(site),
            Some(user),
            "ban",
            &format!("{}:{value}", kind.as_str()),
            reason,
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Lifts a ban.
    pub async fn remove_comment_ban(
        &self,
        site: SiteId,
        id: i64,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let gone: Option<(String, String)> = on_tx!(tx, cx => sqlx::query_as(
            "DELETE FROM comment_bans WHERE id = $1 AND site_id = $2 RETURNING kind, value",
        )
        .bind(id)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?;
        let Some((kind, value)) = gone else {
            return Ok(false);
        };
        tx.audit(
            Some(site),
            Some(user),
            "unban",
            &format!("{}:{value}", kind.as_str()),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Everything screening a new comment needs from the store, in one
    /// round trip: a comment is checked while thousands arrive a second,
    /// and each query is a hop to the database's thread.
    pub async fn screening_facts(&self, q: &ScreeningQuery<'_>) -> Result<ScreeningFacts> {
        type Row = (
            i64,
            i64,
            bool,
            bool,
            i64,
            i64,
            i64,
            bool,
            bool,
            i64,
            i64,
            i64,
        );
        let row: Row = on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(SCREENING.as_str()))
            .bind(q.site.0)
            .bind(q.client_ip)
            .bind(q.email)
            .bind(stored_time(q.rate_since))
            .bind(stored_time(q.duplicate_since))
            .bind(q.body)
            .bind(dateline_core::comments::RECENT_DECISIONS as i64)
            // No key matches no stored hash.
            .bind(q.key_hash.unwrap_or(""))
            .bind(stored_time(q.verification_since))
            .bind(stored_time(q.recipient_since))
            .bind(dateline_core::comments::mail_domain(q.email))
            .bind(stored_time(q.domain_since))
            .fetch_one(cx)
            .await)?;
        let (by_ip, by_email, duplicate, verified, approved, decided, rejected, holds_key) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(ScreeningFacts {
            by_ip,
            by_email,
            duplicate,
            record: dateline_core::comments::Record {
                verified,
                approved: count(approved),
                recent_decisions: count(decided),
                recent_rejections: count(rejected),
            },
            holds_key: holds_key && verified,
            verification_sent: row.8,
            mail: MailPressure {
                to_recipient: row.9,
                to_domain: row.10,
                unsent: row.11,
            },
        })
    }

    /// Stores comments that arrived together in one transaction, each with
    /// the consent to the terms and any confirmation mail (so a link and
    /// its mail exist together), and returns their ids in order. One
    /// commit for many comments is what lets thousands a second through.
    pub async fn store_comments(&self, batch: &[CommentToStore<'_>]) -> Result<Vec<i64>> {
        let approved = batch
            .iter()
            .any(|item| item.comment.status == CommentStatus::Approved);
        if let [item] = batch
            && item.confirmation.is_none()
        {
            // One row: a statement is its own transaction, which spares
            // the round trips of BEGIN and COMMIT (most batches under a
            // steady stream of comments are one comment).
            let id: i64 = on_write!(self, cx => insert_comment!(item).fetch_one(cx).await)?;
            if approved {
                // Article lists count approved comments.
                self.cache.invalidate();
            }
            return Ok(vec![id]);
        }
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(batch.len());
        for item in batch {
            let c = &item.comment;
            let at = stored_time(item.at);
            let id: i64 = on_tx!(tx, cx => insert_comment!(item).fetch_one(cx).await)?;
            ids.push(id);
            if let Some(mail) = &item.confirmation {
                on_tx!(tx, cx => sqlx::query(
                    "INSERT INTO email_verifications (token_hash, site_id, email, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(mail.token_hash)
                .bind(c.site.0)
                .bind(c.email)
                .bind(at)
                .bind(stored_time(mail.expires))
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
                queue_mail(&mut tx, c.email, mail.subject, mail.body, item.at).await?;
            }
        }
        if approved {
            // Article lists count approved comments.
            tx.commit().await?;
        } else {
            // Held comments are seen by moderators only: cached reads stay.
            tx.inner.commit().await?;
        }
        Ok(ids)
    }

    /// Approved comments of an article, oldest or newest first.
    pub async fn approved_comments(
        &self,
        article: ArticleId,
        newest_first: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<PublicComment>> {
        let query = if newest_first {
            "SELECT c.id, c.author_name, c.title, c.body, c.created_at, p.id, p.author_name FROM comments c \
             LEFT JOIN comments p ON p.id = c.parent_id AND p.status = 'approved' \
             WHERE c.article_id = $1 AND c.status = 'approved' ORDER BY c.created_at DESC, c.id DESC LIMIT $2 OFFSET $3"
        } else {
            "SELECT c.id, c.author_name, c.title, c.body, c.created_at, p.id, p.author_name FROM comments c \
             LEFT JOIN comments p ON p.id = c.parent_id AND p.status = 'approved' \
             WHERE c.article_id = $1 AND c.status = 'approved' ORDER BY c.created_at, c.id LIMIT $2 OFFSET $3"
        };
        type Row = (
            i64,
            String,
            String,
            String,
            OffsetDateTime,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = on_read!(self, cx => sqlx::query_as(query)
            .bind(article.0)
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(cx)
            .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, title, body, created_at, parent, parent_name)| PublicComment {
                    id,
                    name,
                    title,
                    body,
                    created_at,
                    reply_to: parent.zip(parent_name),
                },
            )
            .collect())
    }

    /// The moderation queue: a site's comments in one status, newest first,
    /// optionally of one article (`article` 0: all) and with a classifier
    /// score of at least `min_score` (0..1; 0: any).
    pub async fn comment_queue(
        &self,
        site: SiteId,
        status: CommentStatus,
        article: i64,
        min_score: f64,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<QueuedComment>> {
        let rows: Vec<QueueRow> = on_read!(self, cx => sqlx::query_as(QUEUE)
            .bind(site.0)
            .bind(status.as_str())
            .bind(article)
            .bind(i64::from(limit))
            .bind(offset)
            .bind(min_score)
            .fetch_all(cx)
            .await)?;
        rows.into_iter().map(QueueRow::into_queued).collect()
    }

    /// How many comments of a site are in each status.
    pub async fn comment_counts(&self, site: SiteId) -> Result<Vec<(CommentStatus, i64)>> {
        let rows: Vec<(String, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT status, COUNT(*) FROM comments WHERE site_id = $1 GROUP BY status",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, n)| Some((CommentStatus::parse(&s)?, n)))
            .collect())
    }

    /// Approves, rejects or deletes comments of a site; who decided, when
    /// and why are kept. Returns the articles whose pages changed: those
    /// that gained or lost an approved comment.
    pub async fn decide_comments(
        &self,
        site: SiteId,
        ids: &[i64],
        status: CommentStatus,
        reason: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<Vec<ArticleId>> {
        let mut tx = self.begin().await?;
        let mut articles = Vec::new();
        for id in ids {
            let before: Option<String> = on_tx!(tx, cx => sqlx::query_scalar("SELECT status FROM comments WHERE id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site.0)
                    .fetch_optional(cx)
                    .await)?;
            let article: Option<i64> = on_tx!(tx, cx => sqlx::query_scalar(
                "UPDATE comments SET status = $1, decision_reason = $2, decided_by = $3, decided_at = $4 \
                 WHERE id = $5 AND site_id = $6 RETURNING article_id",
            )
            .bind(status.as_str())
            .bind(reason)
            .bind(user.0)
            .bind(stored_time(now))
            .bind(id)
            .bind(site.0)
            .fetch_optional(cx)
            .await)?;
            if let Some(article) = article {
                // A decision answers the readers' reports on the comment.
                on_tx!(tx, cx => sqlx::query(
                    "UPDATE comment_reports SET resolved_at = $1, resolved_by = $2 \
                     WHERE comment_id = $3 AND resolved_at IS NULL",
                )
                .bind(stored_time(now))
                .bind(user.0)
                .bind(id)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
                tx.audit(
                    Some(site),
                    Some(user),
                    status.as_str(),
                    &format!("comment:{id}"),
                    reason,
                    now,
                )
                .await?;
                // Readers see approved comments only: other moves change no page.
                let was_shown = before.as_deref() == Some(CommentStatus::Approved.as_str());
                let shown = status == CommentStatus::Approved;
                if was_shown != shown && !articles.contains(&ArticleId(article)) {
                    articles.push(ArticleId(article));
                }
            }
        }
        tx.commit().await?;
        Ok(articles)
    }
}

/// What became of a reader's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    Recorded,
    /// This client already reported this comment.
    AlreadyReported,
    /// No published comment of that number on the site.
    NoSuchComment,
}

/// Mail waiting in the outbox.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

impl OutgoingMail {
    fn from_row(
        (id, recipient, subject, body, attempts): (i64, String, String, String, i64),
    ) -> Self {
        OutgoingMail {
            id,
            recipient,
            subject,
            body,
            attempts,
        }
    }
}

impl Db {
    /// Records a reader's report on a published comment of the site.
    pub async fn report_comment(
        &self,
        site: SiteId,
        comment: i64,
        reason: &str,
        note: &str,
        client_ip: &str,
        now: OffsetDateTime,
    ) -> Result<ReportOutcome> {
        let exists: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT id FROM comments WHERE id = $1 AND site_id = $2 AND status = 'approved'",
        )
        .bind(comment)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?;
        if exists.is_none() {
            return Ok(ReportOutcome::NoSuchComment);
        }
        let inserted = on_write!(self, cx => sqlx::query(
            "INSERT INTO comment_reports (comment_id, reason, note, client_ip, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (comment_id, client_ip) DO NOTHING",
        )
        .bind(comment)
        .bind(reason)
        .bind(note)
        .bind(client_ip)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(if inserted == 0 {
            ReportOutcome::AlreadyReported
        } else {
            ReportOutcome::Recorded
        })
    }

    /// Reports sent from a client address since a time, for rate limits.
    pub async fn reports_since(&self, client_ip: &str, since: OffsetDateTime) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT COUNT(*) FROM comment_reports WHERE client_ip = $1 AND created_at > $2",
        )
        .bind(client_ip)
        .bind(stored_time(since))
        .fetch_one(cx)
        .await)?)
    }

    /// Comments of a site with open reports, most reported first, with the
    /// reasons readers gave (as `reason: note` lines in `hold_reasons`).
    pub async fn reported_comments(
        &self,
        site: SiteId,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<QueuedComment>> {
        let ids: Vec<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT c.id FROM comments c JOIN comment_reports r ON r.comment_id = c.id \
             WHERE c.site_id = $1 AND r.resolved_at IS NULL \
             GROUP BY c.id ORDER BY COUNT(*) DESC, MAX(r.created_at) DESC LIMIT $2 OFFSET $3",
        )
        .bind(site.0)
        .bind(i64::from(limit))
        .bind(offset)
        .fetch_all(cx)
        .await)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row: Option<QueueRow> = on_read!(self, cx => sqlx::query_as(
                "SELECT c.id, c.article_id, a.headline AS article_headline, c.author_name, c.author_email, \
                 c.title, c.body, c.status, c.hold_reasons, c.client_ip, c.terms_version, c.created_at, \
                 u.name AS decided_by, c.decision_reason, c.score \
                 FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN users u ON u.id = c.decided_by \
                 WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(cx)
            .await)?;
            let reports: Vec<(String, String)> = on_read!(self, cx => sqlx::query_as(
                "SELECT reason, note FROM comment_reports WHERE comment_id = $1 AND resolved_at IS NULL \
                 ORDER BY created_at",
            )
            .bind(id)
            .fetch_all(cx)
            .await)?;
            if let Some(row) = row {
                let mut item = row.into_queued()?;
                item.reports = reports
                    .into_iter()
                    .map(|(reason, note)| {
                        if note.is_empty() {
                            reason
                        } else {
                            format!("{reason}: {note}")
                        }
                    })
                    .collect();
                out.push(item);
            }
        }
        Ok(out)
    }

    /// Comments of a site with open reports.
    pub async fn open_report_count(&self, site: SiteId) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT COUNT(DISTINCT r.comment_id) FROM comment_reports r JOIN comments c ON c.id = r.comment_id \
             WHERE c.site_id = $1 AND r.resolved_at IS NULL",
        )
        .bind(site.0)
        .fetch_one(cx)
        .await)?)
    }

    /// Uses a confirmation link once: the address counts as confirmed, and
    /// the browser that followed it gets the key `key_hash` (the newest
    /// few per address are kept).
    pub async fn confirm_email(
        &self,
        token_hash: &str,
        key_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(SiteId, String)>> {
        let mut tx = self.begin().await?;
        let found: Option<(i64, String)> = on_tx!(tx, cx => sqlx::query_as(
            "UPDATE email_verifications SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL \
             AND expires_at > $2 RETURNING site_id, email",
        )
        .bind(token_hash)
        .bind(stored_time(now))
        .fetch_optional(cx)
        .await)?;
        let Some((site, email)) = found else {
            return Ok(None);
        };
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO commenters (site_id, email, verified_at) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, email) DO UPDATE SET verified_at = excluded.verified_at",
        )
        .bind(site)
        .bind(&email)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO commenter_keys (token_hash, site_id, email, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key_hash)
        .bind(site)
        .bind(&email)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "DELETE FROM commenter_keys WHERE site_id = $1 AND email = $2 AND token_hash NOT IN \
             (SELECT token_hash FROM commenter_keys WHERE site_id = $1 AND email = $2 \
              ORDER BY created_at DESC, rowid DESC LIMIT $3)",
        )
        .bind(site)
        .bind(&email)
        .bind(KEYS_PER_COMMENTER)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.inner.commit().await?;
        Ok(Some((SiteId(site), email)))
    }

    /// Mail due for a (first or next) attempt, as the outbox holds it now
    /// (for a look at the outbox; senders use [`Db::claim_due_mail`]).
    pub async fn due_mail(&self, now: OffsetDateTime, limit: u32) -> Result<Vec<OutgoingMail>> {
        let rows: Vec<(i64, String, String, String, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, recipient, subject, body, attempts FROM outbox \
             WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
        )
        .bind(stored_time(now))
        .bind(i64::from(limit))
        .fetch_all(cx)
        .await)?;
        Ok(rows.into_iter().map(OutgoingMail::from_row).collect())
    }

    /// Claims up to `limit` mails that are due: each is held until
    /// `hold_until` (a sender that dies while sending leaves it to be
    /// tried again then) and returned to this caller alone. One statement,
    /// re-checked row by row, so two instances claiming at once never get
    /// the same mail.
    pub async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        hold_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutgoingMail>> {
        let mut rows: Vec<(i64, String, String, String, i64)> = on_write!(self, cx => sqlx::query_as(
            "UPDATE outbox SET next_attempt_at = $2 \
             WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
                          ORDER BY id LIMIT $3) \
             AND sent_at IS NULL AND next_attempt_at <= $1 \
             RETURNING id, recipient, subject, body, attempts",
        )
        .bind(stored_time(now))
        .bind(stored_time(hold_until))
        .bind(i64::from(limit))
        .fetch_all(cx)
        .await)?;
        rows.sort_by_key(|row| row.0);
        Ok(rows.into_iter().map(OutgoingMail::from_row).collect())
    }

    /// When the next unsent mail is due.
    pub async fn next_mail_due(&self) -> Result<Option<OffsetDateTime>> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL")
                .fetch_one(cx)
                .await)?,
        )
    }

    pub async fn mail_sent(&self, id: i64, now: OffsetDateTime) -> Result<()> {
        on_write!(self, cx => sqlx::query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn mail_failed(&self, id: i64, error: &str, retry_at: OffsetDateTime) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .bind(stored_time(retry_at))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The texts of a site's decided comments, newest first, for the
    /// classifier: `(title and body, rejected)`.
    pub async fn moderation_examples(
        &self,
        site: SiteId,
        limit: u32,
    ) -> Result<Vec<(String, bool)>> {
        let rows: Vec<(String, String, String)> = on_read!(self, cx => sqlx::query_as(
            "SELECT title, body, status FROM comments WHERE site_id = $1 AND decided_at IS NOT NULL \
             AND status IN ('approved', 'rejected') ORDER BY decided_at DESC LIMIT $2",
        )
        .bind(site.0)
        .bind(i64::from(limit))
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(title, body, status)| (format!("{title}\n{body}"), status == "rejected"))
            .collect())
    }
}

/// Queues a mail in the outbox, inside the transaction that made what it
/// tells of, so the two exist together.
pub(crate) async fn queue_mail(
    tx: &mut crate::Tx,
    recipient: &str,
    subject: &str,
    body: &str,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, cx => sqlx::query(
        "INSERT INTO outbox (recipient, recipient_domain, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(recipient)
    .bind(dateline_core::comments::mail_domain(recipient))
    .bind(subject)
    .bind(body)
    .bind(stored_time(now))
    .execute(cx)
    .await.map(|done| done.rows_affected()))?;
    Ok(())
}
