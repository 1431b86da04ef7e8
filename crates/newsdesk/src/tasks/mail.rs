//! Dateline's mail: an outbox in the database and one task that sends it.
//!
//! Whoever needs to mail (a commenter's confirmation link) writes to the
//! `outbox` table in the same transaction as the data the mail is about,
//! so nothing acknowledged is lost in a crash. The sender task (one per
//! instance) claims due mail in order, so that instances sharing a
//! database never send one mail twice, and delivers it over SMTP
//! (lettre), retrying with growing pauses; without a configured server
//! the mail waits, and a warning says so once.

use super::Stop;
use crate::Wakers;
use dateline_core::redact;
use dateline_store::Db;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Longest sleep between looks at the outbox.
const MAX_SLEEP: Duration = Duration::from_secs(30);
/// How long a claimed mail is held for its sender: one that dies while
/// sending leaves it to be sent again after this.
const CLAIM_HOLD: time::Duration = time::Duration::minutes(5);
/// Attempts before a mail is left for an operator to look at.
const MAX_ATTEMPTS: i64 = 8;

/// The configured way out, if any.
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
    /// Why mail cannot go out, said once in the log.
    problem: Option<String>,
}

impl Mailer {
    /// Reads `smtp_url` and `mail_from`; a bad value is logged and mail
    /// waits in the outbox rather than stopping the server.
    pub fn new(smtp_url: &str, mail_from: &str) -> Mailer {
        let from = mail_from.parse::<Mailbox>();
        let transport = if smtp_url.trim().is_empty() {
            Err("no smtp_url is configured".to_owned())
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url.trim())
                .map(|b| b.timeout(Some(Duration::from_secs(20))).build())
                .map_err(|e| format!("smtp_url {:?}: {e}", redact::url(smtp_url)))
        };
        let problem = match (&transport, &from) {
            (Err(e), _) => Some(e.clone()),
            (_, Err(e)) => Some(format!("mail_from {mail_from:?}: {e}")),
            _ => None,
        };
        Mailer {
            transport: transport.ok(),
            from: from.ok(),
            problem,
        }
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let (Some(transport), Some(from)) = (&self.transport, &self.from) else {
            return Err(self.problem.clone().unwrap_or_default());
        };
        let to: Mailbox = to.parse().map_err(|e| format!("recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_owned())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Sends due mail until `stop`; a mail being sent is finished first.
pub async fn run(db: Db, mailer: Mailer, wakers: Arc<Wakers>, mut stop: Stop) {
    if let Some(problem) = &mailer.problem {
        tracing::warn!(%problem, "mail will wait in the outbox until SMTP is configured");
        // Nothing to do until a restart with SMTP: no look at the outbox
        // after every comment that queues a mail.
        stop.requested().await;
        return;
    }
    while !stop.is_requested() {
        send_due(&db, &mailer, &stop).await;
        let wait = match db.next_mail_due().await {
            Ok(Some(at)) => Duration::try_from(at - OffsetDateTime::now_utc())
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(200), MAX_SLEEP),
            _ => MAX_SLEEP,
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = wakers.outbox.notified() => {}
            () = stop.requested() => {}
        }
    }
}

async fn send_due(db: &Db, mailer: &Mailer, stop: &Stop) {
    let now = OffsetDateTime::now_utc();
    // Every instance sends; the claim gives each mail to one of them.
    let due = match db.claim_due_mail(now, now + CLAIM_HOLD, 20).await {
        Ok(due) => due,
        Err(error) => {
            tracing::warn!(%error, "cannot read the outbox");
            return;
        }
    };
    for mail in due {
        if stop.is_requested() {
            return;
        }
        let outcome = mailer
            .send(&mail.recipient, &mail.subject, &mail.body)
            .await;
        let recorded = match outcome {
            Ok(()) => db.mail_sent(mail.id, OffsetDateTime::now_utc()).await,
            Err(error) => {
                tracing::warn!(mail = mail.id, attempt = mail.attempts + 1, %error, "mail not sent");
                // 30 s, 1 min, 2 min … then every few hours for an operator.
                let pause = if mail.attempts + 1 >= MAX_ATTEMPTS {
                    time::Duration::hours(6)
                } else {
                    time::Duration::seconds(30 << mail.attempts.clamp(0, 10))
                };
                db.mail_failed(mail.id, &error, OffsetDateTime::now_utc() + pause)
                    .await
            }
        };
        if let Err(error) = recorded {
            tracing::warn!(%error, "cannot record a mail's outcome");
        }
    }
}
