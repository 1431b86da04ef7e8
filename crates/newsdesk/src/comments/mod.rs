//! Reader comments: the whole submission pipeline, reader reports, the
//! one-time security codes, address confirmation, and moderators'
//! decisions and bans.
//!
//! A submission passes, in order: the honeypot (bots are thanked and
//! nothing is kept), whether the article takes comments, the form's rules
//! (`core::comments`), the security code (used up whatever the answer),
//! bans, rate limits per client and per address, then screening: banned
//! terms, links, duplicates, the commenter's reputation and the site's
//! trained classifier decide between publishing at once and holding for
//! moderators (`docs/comments.md`). New addresses are sent a
//! confirmation link through the outbox, in the same run.

mod intake;

pub(crate) use intake::{Intake, IntakeError};

use crate::{Failure, Newsdesk, OnSite};
use dateline_core::accounts::{Role, random_token, token_hash};
use dateline_core::comments::{
    self, BanKind, CommentInput, CommentMode, CommentStatus, HoldReason, ReportReason,
    ScreenContext,
};
use dateline_core::editing::{FieldError, Problem};
use dateline_core::security_code::{self, CODE_LIFETIME_MINUTES, NewCode};
use dateline_core::{Article, Site, SiteId};
use dateline_store::{MailPressure, ReportOutcome, ScreeningQuery};
use intake::{Checked, Confirmation};
use std::sync::atomic::{AtomicI64, Ordering};
use time::{Duration, OffsetDateTime};

/// Comments one client address, or one e-mail address, may send per window.
const MAX_COMMENTS_PER_WINDOW: i64 = 5;
const RATE_WINDOW: Duration = Duration::minutes(10);
/// How far back the same text counts as a duplicate.
const DUPLICATE_WINDOW: Duration = Duration::hours(24);
/// How long a confirmation link works.
const VERIFICATION_LIFETIME: Duration = Duration::days(7);
/// One confirmation mail per address per day at most.
const VERIFICATION_PAUSE: Duration = Duration::hours(24);
/// Reports one client address may send per hour.
const MAX_REPORTS_PER_HOUR: i64 = 20;
/// Longest user agent kept with a comment.
const MAX_USER_AGENT_CHARS: usize = 300;
/// Longest note of a report or reason of a decision.
pub const MAX_NOTE_CHARS: usize = 500;

/// A mail that carries a one-time link (an address to confirm, an
/// invitation), in the site's language; the caller knows how the site's
/// links are written.
pub trait ConfirmationLetter: Send + Sync {
    /// Subject and body of the mail for the link with this token.
    fn write(&self, token: &str) -> Letter;
}

/// A mail's subject and text.
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// A comment as sent by a reader.
pub struct Submission<'a> {
    /// The published article it is for.
    pub article: &'a Article,
    pub input: &'a CommentInput,
    pub client_ip: &'a str,
    pub user_agent: &'a str,
    /// The security code the reader's browser was given, if any.
    pub code_id: Option<&'a str>,
    /// The key the reader's browser was given when it followed a
    /// confirmation link, if any: trust needs it.
    pub commenter_key: Option<&'a str>,
    pub letter: &'a dyn ConfirmationLetter,
}

/// What became of a comment that was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// Shown to readers now.
    Published(i64),
    /// Waiting for a moderator.
    Held,
    /// Sent by a bot (the field people never see was filled): nothing
    /// was kept, and the bot is told it is held.
    Ignored,
}

/// Why a comment was not taken; the reader may fix the first four.
#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("comments are closed on this article")]
    Closed,
    #[error("the form has problems at {} field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("this commenter is banned on this site")]
    Banned,
    #[error("too many comments from this address; try again later")]
    TooMany,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Why no security code was handed out.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// Codes are asked for faster than [`security_code::MAX_CODES_PER_MINUTE`].
    #[error("too many security codes were asked for; try again in a minute")]
    Busy,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Why a report or a moderation step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("this role may not moderate comments")]
    NotAllowed,
    #[error("no such comment or ban on this site")]
    NotFound,
    #[error("choose at least one comment")]
    NoneChosen,
    #[error("not a valid address or range for this kind of ban")]
    BadBan,
    #[error("too many reports from this address; try again later")]
    TooMany,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Who may moderate comments.
pub fn may_moderate(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Editor | Role::Moderator)
}

/// The article's comment mode, after its section's and the site's.
pub fn mode_of(site: &Site, article: &Article, now: OffsetDateTime) -> CommentMode {
    comments::effective_mode(
        &site.comments.policy,
        article.section.comment_mode,
        article.comment_mode,
        article.published_at,
        now,
    )
}

crate::store_failure!(CommentError, ModerationError, CodeError);

impl From<IntakeError> for CommentError {
    fn from(error: IntakeError) -> CommentError {
        CommentError::Failed(error.into())
    }
}

impl Newsdesk {
    /// Takes a reader's comment in: checks, screens and stores it, or
    /// says why not.
    pub async fn submit_comment(&self, sent: Submission<'_>) -> Result<Accepted, CommentError> {
        let Submission {
            article,
            input,
            client_ip,
            ..
        } = sent;
        // Bots fill the field people never see: thank them and keep nothing.
        if input.is_bot() {
            return Ok(Accepted::Ignored);
        }
        let network = self.network();
        let entry = network
            .entry(article.site_id)
            .ok_or(Failure::UnknownSite(article.site_id))?;
        let site = &entry.site;
        let now = OffsetDateTime::now_utc();
        let mode = mode_of(site, article, now);
        if mode == CommentMode::Closed {
            return Err(CommentError::Closed);
        }
        let checked = match input.check(site.comments.policy.max_chars) {
            Ok(checked) => checked,
            Err(mut errors) => {
                // The code is checked even so: a wrong one is named at once.
                if !self.code_is_right(site, sent.code_id, input, now).await? {
                    errors.push(wrong_code());
                }
                return Err(CommentError::Invalid(errors));
            }
        };
        if !self.code_is_right(site, sent.code_id, input, now).await? {
            return Err(CommentError::Invalid(vec![wrong_code()]));
        }
        let email = checked.email.as_str();
        let bans = self.db().comment_bans(site.id).await?;
        if comments::is_banned(&bans, email, client_ip) {
            return Err(CommentError::Banned);
        }
        // In flight before the stored comments are read (`intake`): a
        // burst from one sender sees itself.
        let (_in_flight, flying) =
            self.intake()
                .in_flight
                .enter(site.id, client_ip, email, &checked.body);
        let key_hash = sent.commenter_key.map(token_hash);
        let facts = self
            .db()
            .screening_facts(&ScreeningQuery {
                site: site.id,
                client_ip,
                email,
                body: &checked.body,
                key_hash: key_hash.as_deref(),
                rate_since: now - RATE_WINDOW,
                duplicate_since: now - DUPLICATE_WINDOW,
                verification_since: now - VERIFICATION_PAUSE,
                recipient_since: now - Duration::days(1),
                domain_since: now - Duration::hours(1),
            })
            .await?;
        if facts.by_ip + flying.by_ip >= MAX_COMMENTS_PER_WINDOW
            || facts.by_email + flying.by_email >= MAX_COMMENTS_PER_WINDOW
        {
            return Err(CommentError::TooMany);
        }
        // Knowing a confirmed address is not enough: the browser must hold
        // the key its reader got by following the confirmation link.
        let holds_key = facts.holds_key;
        let score = self
            .classifiers()
            .score(site.id, &format!("{}\n{}", checked.title, checked.body));
        let reasons = comments::screen(
            &checked,
            &ScreenContext {
                mode,
                banned_terms: &site.comments.banned_terms,
                duplicate: facts.duplicate || flying.duplicate,
                trusted: holds_key
                    && comments::is_trusted(&facts.record, &site.comments.reputation),
                score,
                hold_at: f64::from(site.comments.classifier_hold_percent) / 100.0,
            },
        );
        let status = if reasons.is_empty() {
            CommentStatus::Approved
        } else {
            CommentStatus::Pending
        };
        // Another comment of this address in flight offers the mail if
        // one is due.
        let confirmation = if holds_key || facts.verification_sent || flying.by_email > 0 {
            None
        } else {
            confirmation(email, facts.mail, sent.letter, now)?
        };
        let user_agent: String = sent.user_agent.chars().take(MAX_USER_AGENT_CHARS).collect();
        let id = self
            .intake()
            .store(Checked {
                site: site.id,
                article: article.id,
                name: checked.name.clone(),
                email: email.to_owned(),
                title: checked.title.clone(),
                body: checked.body.clone(),
                status,
                hold_reasons: reasons
                    .iter()
                    .map(HoldReason::describe)
                    .collect::<Vec<_>>()
                    .join("\n"),
                client_ip: client_ip.to_owned(),
                user_agent,
                terms_version: comments::terms_version(&site.terms_of_use),
                score,
                at: now,
                confirmation,
            })
            .await?;
        Ok(match status {
            CommentStatus::Approved => Accepted::Published(id),
            _ => Accepted::Held,
        })
    }

    /// A fresh one-time security code (an image code and a proof-of-work
    /// challenge), kept until it is used or expires. The work asked for
    /// grows with the rate codes are asked for
    /// (`core::security_code::work_for_load`).
    pub async fn issue_security_code(&self, client_ip: &str) -> Result<NewCode, CodeError> {
        let now = OffsetDateTime::now_utc();
        let (load, by_client) = self
            .db()
            .security_codes_issued_since(client_ip, now - Duration::minutes(1))
            .await?;
        if load >= security_code::MAX_CODES_PER_MINUTE
            || by_client >= security_code::MAX_CODES_PER_CLIENT_MINUTE
        {
            return Err(CodeError::Busy);
        }
        let code = NewCode::generate(security_code::work_for_load(load)).map_err(|source| {
            Failure::Randomness {
                what: "a security code",
                source,
            }
        })?;
        self.db()
            .insert_security_code(
                &code,
                client_ip,
                now + Duration::minutes(CODE_LIFETIME_MINUTES),
                now,
            )
            .await?;
        Ok(code)
    }

    /// Confirms a commenter's address from the link in their mail, and
    /// returns the key for the browser that followed it (trust goes with
    /// the key); `None` when the link is unknown, used or expired.
    pub async fn confirm_commenter(&self, token: &str) -> Result<Option<String>, Failure> {
        if token.is_empty() {
            return Ok(None);
        }
        let key = random_token().map_err(|source| Failure::Randomness {
            what: "a commenter key",
            source,
        })?;
        let confirmed = self
            .db()
            .confirm_email(
                &token_hash(token),
                &token_hash(&key),
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(confirmed.map(|_| key))
    }

    /// A reader flags a published comment for the moderators.
    pub async fn report_comment(
        &self,
        site: SiteId,
        comment: i64,
        reason: ReportReason,
        note: &str,
        client_ip: &str,
    ) -> Result<(), ModerationError> {
        let now = OffsetDateTime::now_utc();
        if self
            .db()
            .reports_since(client_ip, now - Duration::hours(1))
            .await?
            >= MAX_REPORTS_PER_HOUR
        {
            return Err(ModerationError::TooMany);
        }
        let note: String = note.trim().chars().take(MAX_NOTE_CHARS).collect();
        let outcome = self
            .db()
            .report_comment(site, comment, reason.as_str(), &note, client_ip, now)
            .await?;
        match outcome {
            ReportOutcome::NoSuchComment => Err(ModerationError::NotFound),
            ReportOutcome::Recorded | ReportOutcome::AlreadyReported => Ok(()),
        }
    }

    /// A moderator's decision on one or more comments of the site: pages
    /// showing them change, and the classifier learns from it.
    pub async fn decide_comments(
        &self,
        on: OnSite,
        ids: &[i64],
        status: CommentStatus,
        reason: &str,
    ) -> Result<(), ModerationError> {
        if !may_moderate(on.actor.role) {
            return Err(ModerationError::NotAllowed);
        }
        if ids.is_empty() {
            return Err(ModerationError::NoneChosen);
        }
        let reason: String = reason.trim().chars().take(MAX_NOTE_CHARS).collect();
        let changed = self
            .db()
            .decide_comments(
                on.site,
                ids,
                status,
                &reason,
                on.actor.user,
                OffsetDateTime::now_utc(),
            )
            .await?;
        self.changes().comments_changed(on.site, &changed).await;
        self.classifiers().retrain.notify_one();
        Ok(())
    }

    /// Bans an e-mail address or a client address range from commenting
    /// on the site.
    pub async fn ban_commenter(
        &self,
        on: OnSite,
        kind: BanKind,
        value: &str,
        reason: &str,
    ) -> Result<(), ModerationError> {
        if !may_moderate(on.actor.role) {
            return Err(ModerationError::NotAllowed);
        }
        let value = kind.normalise(value).ok_or(ModerationError::BadBan)?;
        self.db()
            .add_comment_ban(
                on.site,
                kind,
                &value,
                reason.trim(),
                on.actor.user,
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(())
    }

    /// Lifts a ban.
    pub async fn lift_ban(&self, on: OnSite, id: i64) -> Result<(), ModerationError> {
        if !may_moderate(on.actor.role) {
            return Err(ModerationError::NotAllowed);
        }
        let lifted = self
            .db()
            .remove_comment_ban(on.site, id, on.actor.user, OffsetDateTime::now_utc())
            .await?;
        if lifted {
            Ok(())
        } else {
            Err(ModerationError::NotFound)
        }
    }

    /// Uses up the browser's security code and checks the answer as the
    /// site's mode asks: the image code typed by the reader, or (where the
    /// site chose it) the proof of work.
    async fn code_is_right(
        &self,
        site: &Site,
        code_id: Option<&str>,
        input: &CommentInput,
        now: OffsetDateTime,
    ) -> Result<bool, Failure> {
        if self.config().insecure_skip_security_code {
            return Ok(true);
        }
        let Some(id) = code_id else {
            return Ok(false);
        };
        let Some(stored) = self.db().consume_security_code(id, now).await? else {
            return Ok(false);
        };
        let by_image = !input.code.trim().is_empty()
            && security_code::code_hash(id, &input.code) == stored.code_hash;
        let by_work = !input.proof.trim().is_empty()
            && security_code::verify_pow(
                &stored.pow_salt,
                &stored.pow_challenge,
                &input.proof,
                stored.pow_max,
            );
        Ok(site.comments.security.accepts(by_image, by_work))
    }
}

/// A link for a commenter to confirm their address (once a day per site
/// at most, and within the outbox's bounds per recipient, per domain and
/// in all: `core::comments::may_queue_mail`), with its mail: confirmed
/// commenters build the reputation that lets them skip pre-moderation.
/// It is stored with the comment, so nothing acknowledged is lost.
fn confirmation(
    email: &str,
    pressure: MailPressure,
    letter: &dyn ConfirmationLetter,
    now: OffsetDateTime,
) -> Result<Option<Confirmation>, Failure> {
    if !comments::may_queue_mail(pressure.to_recipient, pressure.to_domain, pressure.unsent) {
        // Once a minute at most: past a bound, every comment of a busy
        // hour would say it again.
        static LAST_WARNED: AtomicI64 = AtomicI64::new(i64::MIN);
        let minute = now.unix_timestamp() / 60;
        if LAST_WARNED.swap(minute, Ordering::Relaxed) != minute {
            tracing::warn!(
                domain = comments::mail_domain(email),
                unsent = pressure.unsent,
                "confirmation mail not queued: the outbox's bounds are reached (said once a minute)"
            );
        }
        return Ok(None);
    }
    let token = random_token().map_err(|source| Failure::Randomness {
        what: "a confirmation link",
        source,
    })?;
    let mail = letter.write(&token);
    Ok(Some(Confirmation {
        token_hash: token_hash(&token),
        subject: mail.subject,
        body: mail.body,
        expires: now + VERIFICATION_LIFETIME,
    }))
}

fn wrong_code() -> FieldError {
    FieldError {
        field: "code",
        problem: Problem::WrongCode,
    }
}
