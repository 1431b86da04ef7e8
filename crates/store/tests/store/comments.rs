//! Reader comments: one-time security codes, storing and listing, moderation
//! decisions, reports, bans, rate and duplicate checks, commenters' records,
//! address confirmation and the mail outbox.

use crate::StoreOneComment;
use crate::{Newsroom, T0, add_site, minutes, newsroom};
use dateline_core::comments::{BanKind, CommentStatus, NewComment};
use dateline_core::security_code::NewCode;
use dateline_core::{ArticleId, Lang, SiteId};
use dateline_store::{
    CommentToStore, ConfirmationMail, ReportOutcome, ScreeningFacts, ScreeningQuery,
};
use time::OffsetDateTime;

fn comment<'a>(
    site: SiteId,
    article: ArticleId,
    email: &'a str,
    ip: &'a str,
    body: &'a str,
    status: CommentStatus,
) -> NewComment<'a> {
    NewComment {
        site,
        article,
        name: "Karim",
        email,
        title: "A reader's view",
        body,
        status,
        hold_reasons: "",
        client_ip: ip,
        user_agent: "Firefox",
        terms_version: "2026-01",
        score: None,
    }
}

/// A newsroom with one published article to comment on.
async fn commented() -> (Newsroom, ArticleId) {
    let desk = newsroom().await;
    let article = desk.published("Debate", T0 - minutes(60)).await;
    (desk, article)
}

/// Stores a comment from Karim at `at`.
async fn post(
    desk: &Newsroom,
    article: ArticleId,
    body: &str,
    status: CommentStatus,
    at: OffsetDateTime,
) -> i64 {
    desk.insert_comment(
        &comment(
            desk.site,
            article,
            "karim@example.com",
            "203.0.113.7",
            body,
            status,
        ),
        at,
    )
    .await
    .unwrap()
}

/// What screening sees of a sender and a text, every window opening at
/// `since`.
async fn facts(
    desk: &Newsroom,
    ip: &str,
    email: &str,
    body: &str,
    key_hash: Option<&str>,
    since: OffsetDateTime,
) -> ScreeningFacts {
    desk.screening_facts(&ScreeningQuery {
        site: desk.site,
        client_ip: ip,
        email,
        body,
        key_hash,
        rate_since: since,
        duplicate_since: since,
        verification_since: since,
        recipient_since: since,
        domain_since: since,
    })
    .await
    .unwrap()
}

/// Stores a held comment from `email` with a confirmation link (by its
/// token's hash) and its mail, sent at `at`.
async fn with_confirmation(
    desk: &Newsroom,
    article: ArticleId,
    email: &str,
    token_hash: &str,
    at: OffsetDateTime,
    expires: OffsetDateTime,
) {
    let body = format!("Comment with {token_hash}");
    desk.store_comments(&[CommentToStore {
        comment: comment(
            desk.site,
            article,
            email,
            "192.0.2.1",
            &body,
            CommentStatus::Pending,
        ),
        at,
        confirmation: Some(ConfirmationMail {
            token_hash,
            subject: "Confirm your address",
            body: "Open this link: …",
            expires,
        }),
    }])
    .await
    .unwrap();
}

fn code(id: &str) -> NewCode {
    NewCode {
        id: id.to_owned(),
        code: "K7P2Q".to_owned(),
        code_hash: format!("hash-of-{id}"),
        pow_salt: "salt".to_owned(),
        pow_challenge: "challenge".to_owned(),
        pow_max: 240_000,
    }
}

#[tokio::test]
async fn a_security_code_answers_once_and_only_before_it_expires() {
    let store = crate::fresh_store().await;
    store
        .insert_security_code(&code("c1"), "203.0.113.7", T0 + minutes(10), T0)
        .await
        .unwrap();

    let used = store
        .consume_security_code("c1", T0 + minutes(1))
        .await
        .unwrap();
    let used = used.unwrap();
    assert_eq!(used.code_hash, "hash-of-c1");
    assert_eq!(used.pow_salt, "salt");
    assert_eq!(used.pow_challenge, "challenge");
    assert_eq!(used.pow_max, 240_000, "each code keeps its own bound");
    assert!(
        store
            .consume_security_code("c1", T0 + minutes(2))
            .await
            .unwrap()
            .is_none(),
        "a second answer with the same code is refused"
    );
    assert!(
        store
            .consume_security_code("nope", T0)
            .await
            .unwrap()
            .is_none()
    );

    store
        .insert_security_code(&code("c2"), "198.51.100.2", T0 + minutes(10), T0)
        .await
        .unwrap();
    let late = store.consume_security_code("c2", T0 + minutes(10)).await;
    assert!(late.unwrap().is_none(), "a code is dead at its expiry time");
    // Both were asked for at T0: the load the work adapts to.
    assert_eq!(
        store
            .security_codes_issued_since("203.0.113.7", T0 - minutes(1))
            .await
            .unwrap(),
        (2, 1),
        "in all, and by this client"
    );
    assert_eq!(
        store
            .security_codes_issued_since("203.0.113.7", T0)
            .await
            .unwrap(),
        (0, 0)
    );
}

#[tokio::test]
async fn approved_comments_are_listed_oldest_or_newest_first_and_held_ones_are_not() {
    let (desk, article) = commented().await;
    let first = post(&desk, article, "First", CommentStatus::Approved, T0).await;
    post(
        &desk,
        article,
        "Held",
        CommentStatus::Pending,
        T0 + minutes(1),
    )
    .await;
    let second = post(
        &desk,
        article,
        "Second",
        CommentStatus::Approved,
        T0 + minutes(2),
    )
    .await;
    let third = post(
        &desk,
        article,
        "Third",
        CommentStatus::Approved,
        T0 + minutes(3),
    )
    .await;

    let ids = |list: Vec<dateline_store::PublicComment>| {
        list.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(desk.approved_comments(article, false, 10, 0).await.unwrap()),
        [first, second, third]
    );
    assert_eq!(
        ids(desk.approved_comments(article, true, 2, 0).await.unwrap()),
        [third, second]
    );
    assert_eq!(
        ids(desk.approved_comments(article, true, 2, 2).await.unwrap()),
        [first]
    );
    let shown = &desk.approved_comments(article, false, 1, 0).await.unwrap()[0];
    assert_eq!(
        (
            shown.name.as_str(),
            shown.title.as_str(),
            shown.body.as_str(),
            shown.created_at
        ),
        ("Karim", "A reader's view", "First", T0)
    );
    let count = desk
        .published_article(desk.site, article, T0 + minutes(5))
        .await
        .unwrap()
        .unwrap()
        .comment_count;
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_decision_keeps_who_and_why_and_names_the_articles_whose_page_changed() {
    let (desk, article) = commented().await;
    let held = post(&desk, article, "Held", CommentStatus::Pending, T0).await;
    let spam = post(&desk, article, "Buy now", CommentStatus::Pending, T0).await;
    let later = T0 + minutes(5);

    let approved = desk
        .decide_comments(
            desk.site,
            &[held],
            CommentStatus::Approved,
            "",
            desk.editor,
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        approved,
        [article],
        "an approval adds a comment to the page"
    );
    let rejected = desk
        .decide_comments(
            desk.site,
            &[spam],
            CommentStatus::Rejected,
            "advertising",
            desk.editor,
            later,
        )
        .await
        .unwrap();
    assert!(
        rejected.is_empty(),
        "a held comment rejected changes no page"
    );

    let queue = desk
        .comment_queue(desk.site, CommentStatus::Rejected, 0, 0.0, 10, 0)
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].id, spam);
    assert_eq!(queue[0].status, CommentStatus::Rejected);
    assert_eq!(queue[0].decided_by.as_deref(), Some("Rana Haddad"));
    assert_eq!(queue[0].decision_reason, "advertising");
    assert_eq!(queue[0].article_headline, "Debate");
    let mut counts = desk.comment_counts(desk.site).await.unwrap();
    counts.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(
        counts,
        [(CommentStatus::Approved, 1), (CommentStatus::Rejected, 1)]
    );
    let log = desk.audit_log(desk.site, 1).await.unwrap();
    assert_eq!(
        (
            log[0].action.as_str(),
            log[0].subject.clone(),
            log[0].detail.as_str()
        ),
        ("rejected", format!("comment:{spam}"), "advertising")
    );

    // Removing a shown comment changes the page again; another site's
    // moderator cannot touch it.
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let foreign = desk
        .decide_comments(
            other,
            &[held],
            CommentStatus::Deleted,
            "",
            desk.editor,
            later,
        )
        .await
        .unwrap();
    assert!(foreign.is_empty());
    let deleted = desk
        .decide_comments(
            desk.site,
            &[held, held],
            CommentStatus::Deleted,
            "",
            desk.editor,
            later,
        )
        .await
        .unwrap();
    assert_eq!(deleted, [article]);
    assert!(
        desk.approved_comments(article, false, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_moderation_queue_filters_by_status_article_and_score_newest_first() {
    let (desk, article) = commented().await;
    let other_article = desk.published("Other debate", T0 - minutes(60)).await;
    let mut ids = Vec::new();
    for (i, (on, score)) in [
        (article, Some(0.2)),
        (article, Some(0.95)),
        (other_article, Some(0.7)),
        (article, None),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = comment(
            desk.site,
            on,
            "karim@example.com",
            "203.0.113.7",
            "Text",
            CommentStatus::Pending,
        );
        c.score = score;
        c.hold_reasons = "banned term\nfirst comment";
        ids.push(
            desk.insert_comment(&c, T0 + minutes(i as i64))
                .await
                .unwrap(),
        );
    }
    post(&desk, article, "Shown", CommentStatus::Approved, T0).await;

    let queue = |article: i64, min_score: f64| {
        let desk = &desk;
        async move {
            desk.comment_queue(desk.site, CommentStatus::Pending, article, min_score, 10, 0)
                .await
                .unwrap()
        }
    };
    let all: Vec<i64> = queue(0, 0.0).await.iter().map(|c| c.id).collect();
    assert_eq!(all, [ids[3], ids[2], ids[1], ids[0]]);
    let one_article: Vec<i64> = queue(article.0, 0.0).await.iter().map(|c| c.id).collect();
    assert_eq!(one_article, [ids[3], ids[1], ids[0]]);
    let likely_bad = queue(0, 0.5).await;
    let likely_bad: Vec<(i64, Option<u32>)> = likely_bad.iter().map(|c| (c.id, c.score)).collect();
    assert_eq!(likely_bad, [(ids[2], Some(70)), (ids[1], Some(95))]);

    let held = &queue(0, 0.0).await[3];
    assert_eq!(held.hold_reasons, ["banned term", "first comment"]);
    assert_eq!(held.email, "karim@example.com");
    assert_eq!(held.client_ip, "203.0.113.7");
    assert_eq!(held.terms_version, "2026-01");
    assert_eq!(held.created_at, T0);
}

#[tokio::test]
async fn a_reader_reports_a_shown_comment_once() {
    let (desk, article) = commented().await;
    let shown = post(&desk, article, "Shown", CommentStatus::Approved, T0).await;
    let held = post(&desk, article, "Held", CommentStatus::Pending, T0).await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let report = |site, id, ip: &'static str| {
        let desk = &desk;
        async move {
            desk.report_comment(site, id, "insult", "", ip, T0 + minutes(1))
                .await
                .unwrap()
        }
    };

    assert_eq!(
        report(desk.site, shown, "198.51.100.1").await,
        ReportOutcome::Recorded
    );
    assert_eq!(
        report(desk.site, shown, "198.51.100.1").await,
        ReportOutcome::AlreadyReported
    );
    assert_eq!(
        report(desk.site, shown, "198.51.100.2").await,
        ReportOutcome::Recorded
    );
    assert_eq!(
        report(desk.site, held, "198.51.100.1").await,
        ReportOutcome::NoSuchComment
    );
    assert_eq!(
        report(other, shown, "198.51.100.3").await,
        ReportOutcome::NoSuchComment
    );

    assert_eq!(desk.reports_since("198.51.100.1", T0).await.unwrap(), 1);
    assert_eq!(
        desk.reports_since("198.51.100.1", T0 + minutes(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(desk.open_report_count(desk.site).await.unwrap(), 1);
}

#[tokio::test]
async fn reported_comments_come_most_reported_first_with_the_reasons_until_decided() {
    let (desk, article) = commented().await;
    let once = post(&desk, article, "Once", CommentStatus::Approved, T0).await;
    let twice = post(&desk, article, "Twice", CommentStatus::Approved, T0).await;
    let at = T0 + minutes(1);
    desk.report_comment(desk.site, once, "spam", "", "198.51.100.1", at)
        .await
        .unwrap();
    desk.report_comment(
        desk.site,
        twice,
        "insult",
        "calls me names",
        "198.51.100.1",
        at,
    )
    .await
    .unwrap();
    desk.report_comment(
        desk.site,
        twice,
        "spam",
        "",
        "198.51.100.2",
        at + minutes(1),
    )
    .await
    .unwrap();

    let reported = desk.reported_comments(desk.site, 10, 0).await.unwrap();
    let lines: Vec<(i64, Vec<String>)> =
        reported.iter().map(|c| (c.id, c.reports.clone())).collect();
    assert_eq!(
        lines,
        [
            (
                twice,
                vec!["insult: calls me names".to_owned(), "spam".to_owned()]
            ),
            (once, vec!["spam".to_owned()]),
        ]
    );
    assert_eq!(desk.open_report_count(desk.site).await.unwrap(), 2);

    // A decision, whichever it is, answers the reports on that comment.
    desk.decide_comments(
        desk.site,
        &[twice],
        CommentStatus::Approved,
        "fine",
        desk.editor,
        at,
    )
    .await
    .unwrap();
    let left: Vec<i64> = desk
        .reported_comments(desk.site, 10, 0)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, [once]);
    assert_eq!(desk.open_report_count(desk.site).await.unwrap(), 1);
}

#[tokio::test]
async fn a_ban_is_kept_once_per_value_and_lifted_by_id_with_audit_lines() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    desk.add_comment_ban(
        desk.site,
        BanKind::Email,
        "troll@example.com",
        "insults",
        desk.editor,
        T0,
    )
    .await
    .unwrap();
    desk.add_comment_ban(
        desk.site,
        BanKind::Ip,
        "203.0.113.0/24",
        "spam wave",
        desk.editor,
        T0,
    )
    .await
    .unwrap();
    desk.add_comment_ban(
        desk.site,
        BanKind::Email,
        "troll@example.com",
        "threats",
        desk.editor,
        T0,
    )
    .await
    .unwrap();

    let bans = desk.comment_bans(desk.site).await.unwrap();
    let lines: Vec<(&str, &str, &str)> = bans
        .iter()
        .map(|b| (b.kind.as_str(), b.value.as_str(), b.reason.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("ip", "203.0.113.0/24", "spam wave"),
            ("email", "troll@example.com", "threats"),
        ],
        "newest first; banning again updates the reason"
    );
    assert!(desk.comment_bans(other).await.unwrap().is_empty());

    let email_ban = bans[1].id;
    assert!(
        !desk
            .remove_comment_ban(other, email_ban, desk.editor, T0)
            .await
            .unwrap()
    );
    assert!(
        desk.remove_comment_ban(desk.site, email_ban, desk.editor, T0 + minutes(1))
            .await
            .unwrap()
    );
    assert!(
        !desk
            .remove_comment_ban(desk.site, email_ban, desk.editor, T0)
            .await
            .unwrap()
    );
    let left: Vec<String> = desk
        .comment_bans(desk.site)
        .await
        .unwrap()
        .iter()
        .map(|b| b.value.clone())
        .collect();
    assert_eq!(left, ["203.0.113.0/24"]);

    let log = desk.audit_log(desk.site, 10).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.subject.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("unban", "email:troll@example.com"),
            ("ban", "email:troll@example.com"),
            ("ban", "ip:203.0.113.0/24"),
            ("ban", "email:troll@example.com"),
        ]
    );
}

#[tokio::test]
async fn rate_counts_cover_the_address_and_the_email_since_a_time() {
    let (desk, article) = commented().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let send = |site, email: &'static str, ip: &'static str, at| {
        let desk = &desk;
        async move {
            desk.insert_comment(
                &comment(site, article, email, ip, "Text", CommentStatus::Pending),
                at,
            )
            .await
            .unwrap()
        }
    };
    send(desk.site, "karim@example.com", "203.0.113.7", T0).await;
    send(
        desk.site,
        "karim@example.com",
        "198.51.100.9",
        T0 + minutes(1),
    )
    .await;
    send(
        desk.site,
        "nour@example.com",
        "203.0.113.7",
        T0 + minutes(2),
    )
    .await;
    send(other, "karim@example.com", "203.0.113.7", T0 + minutes(2)).await;

    let counts = |since| {
        let desk = &desk;
        async move {
            let seen = facts(desk, "203.0.113.7", "karim@example.com", "", None, since).await;
            (seen.by_ip, seen.by_email)
        }
    };
    assert_eq!(counts(T0 - minutes(1)).await, (2, 2));
    assert_eq!(counts(T0).await, (1, 1), "strictly after `since`");
    assert_eq!(counts(T0 + minutes(2)).await, (0, 0));
}

#[tokio::test]
async fn a_duplicate_is_the_same_text_from_the_same_address_or_person_lately() {
    let (desk, article) = commented().await;
    post(&desk, article, "Well said.", CommentStatus::Pending, T0).await;
    let dup = |ip: &'static str, email: &'static str, body: &'static str, since| {
        let desk = &desk;
        async move { facts(desk, ip, email, body, None, since).await.duplicate }
    };
    let lately = T0 - minutes(10);
    assert!(dup("203.0.113.7", "other@example.com", "Well said.", lately).await);
    assert!(dup("198.51.100.1", "karim@example.com", "Well said.", lately).await);
    assert!(!dup("198.51.100.1", "other@example.com", "Well said.", lately).await);
    assert!(!dup("203.0.113.7", "karim@example.com", "Something new.", lately).await);
    assert!(
        !dup("203.0.113.7", "karim@example.com", "Well said.", T0).await,
        "too long ago"
    );
}

#[tokio::test]
async fn a_commenters_record_counts_approvals_and_lists_recent_decisions_newest_first() {
    let (desk, article) = commented().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            post(
                &desk,
                article,
                &format!("Comment {i}"),
                CommentStatus::Pending,
                T0,
            )
            .await,
        );
    }
    let decide = |id, status, minute| {
        let desk = &desk;
        async move {
            desk.decide_comments(
                desk.site,
                &[id],
                status,
                "",
                desk.editor,
                T0 + minutes(minute),
            )
            .await
            .unwrap();
        }
    };
    decide(ids[0], CommentStatus::Approved, 1).await;
    decide(ids[1], CommentStatus::Rejected, 2).await;
    decide(ids[2], CommentStatus::Approved, 3).await;
    // ids[3] is still pending: no decision yet.

    let record = facts(&desk, "", "karim@example.com", "", None, T0)
        .await
        .record;
    assert!(!record.verified);
    assert_eq!(record.approved, 2);
    assert_eq!((record.recent_decisions, record.recent_rejections), (3, 1));
    let stranger = facts(&desk, "", "nour@example.com", "", None, T0)
        .await
        .record;
    assert_eq!(
        (
            stranger.verified,
            stranger.approved,
            stranger.recent_decisions
        ),
        (false, 0, 0)
    );

    // The classifier learns from the same decisions.
    let examples = desk.moderation_examples(desk.site, 10).await.unwrap();
    assert_eq!(
        examples,
        [
            ("A reader's view\nComment 2".to_owned(), false),
            ("A reader's view\nComment 1".to_owned(), true),
            ("A reader's view\nComment 0".to_owned(), false),
        ]
    );
}

#[tokio::test]
async fn a_confirmation_link_confirms_an_address_once_before_it_expires_and_its_mail_is_queued() {
    let (desk, article) = commented().await;
    let email = "karim@example.com";
    let seen = |email: &'static str, key: Option<&'static str>, since| {
        let desk = &desk;
        async move { facts(desk, "", email, "", key, since).await }
    };
    assert!(!seen(email, None, T0 - minutes(60)).await.verification_sent);
    with_confirmation(
        &desk,
        article,
        email,
        "token-hash",
        T0,
        T0 + minutes(60 * 24),
    )
    .await;

    assert!(seen(email, None, T0 - minutes(60)).await.verification_sent);
    assert!(
        !seen(email, None, T0).await.verification_sent,
        "strictly after `since`"
    );
    let mail = desk.due_mail(T0, 10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(
        (
            mail[0].recipient.as_str(),
            mail[0].subject.as_str(),
            mail[0].body.as_str(),
            mail[0].attempts
        ),
        (email, "Confirm your address", "Open this link: …", 0)
    );

    assert!(
        !seen(email, Some("key-hash"), T0).await.holds_key,
        "not yet confirmed"
    );
    let confirmed = desk
        .confirm_email("token-hash", "key-hash", T0 + minutes(5))
        .await
        .unwrap();
    assert_eq!(confirmed, Some((desk.site, email.to_owned())));
    let now = seen(email, Some("key-hash"), T0).await;
    assert!(now.record.verified);
    // The browser's key holds for this address on this site only.
    assert!(now.holds_key);
    assert!(!seen(email, Some("key-2"), T0).await.holds_key);
    assert!(!seen(email, None, T0).await.holds_key);
    assert!(
        !seen("nour@example.com", Some("key-hash"), T0)
            .await
            .holds_key
    );
    assert_eq!(
        desk.confirm_email("token-hash", "key-2", T0 + minutes(6))
            .await
            .unwrap(),
        None,
        "a link works once"
    );
    assert_eq!(
        desk.confirm_email("other-hash", "key-3", T0).await.unwrap(),
        None
    );

    with_confirmation(
        &desk,
        article,
        "nour@example.com",
        "late-hash",
        T0,
        T0 + minutes(60),
    )
    .await;
    let late = desk
        .confirm_email("late-hash", "key-4", T0 + minutes(60))
        .await;
    assert_eq!(late.unwrap(), None, "a link is dead at its expiry time");
    assert!(!seen("nour@example.com", None, T0).await.record.verified);

    // The outbox's bounds see mail per recipient, per domain and unsent.
    let pressure = seen(email, None, T0 - minutes(1)).await.mail;
    assert_eq!(
        (pressure.to_recipient, pressure.to_domain, pressure.unsent),
        (1, 2, 2)
    );
    let later = facts(&desk, "", email, "", None, T0 + minutes(1))
        .await
        .mail;
    assert_eq!(later.to_recipient, 0);
}

#[tokio::test]
async fn comments_stored_together_keep_their_order_and_their_mail() {
    let (desk, article) = commented().await;
    let emails: Vec<String> = (0..5).map(|n| format!("reader{n}@example.com")).collect();
    let tokens: Vec<String> = (0..5).map(|n| format!("token-{n}")).collect();
    let batch: Vec<CommentToStore<'_>> = (0..5)
        .map(|n| CommentToStore {
            comment: comment(
                desk.site,
                article,
                &emails[n],
                "203.0.113.7",
                &tokens[n],
                if n % 2 == 0 {
                    CommentStatus::Approved
                } else {
                    CommentStatus::Pending
                },
            ),
            at: T0 + minutes(n as i64),
            // Every other one is a new address, offered a confirmation.
            confirmation: (n % 2 == 1).then(|| ConfirmationMail {
                token_hash: &tokens[n],
                subject: "Confirm",
                body: "Link",
                expires: T0 + minutes(60),
            }),
        })
        .collect();
    let ids = desk.store_comments(&batch).await.unwrap();
    assert_eq!(ids.len(), 5);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ids in the batch's order: {ids:?}"
    );
    let shown = desk.approved_comments(article, false, 10, 0).await.unwrap();
    let bodies: Vec<(i64, &str)> = shown.iter().map(|c| (c.id, c.body.as_str())).collect();
    assert_eq!(
        bodies,
        [
            (ids[0], "token-0"),
            (ids[2], "token-2"),
            (ids[4], "token-4")
        ]
    );
    let mail: Vec<String> = desk
        .due_mail(T0 + minutes(10), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert_eq!(mail, ["reader1@example.com", "reader3@example.com"]);
    assert!(
        desk.confirm_email("token-3", "key", T0 + minutes(5))
            .await
            .unwrap()
            .is_some(),
        "the link was stored with its mail"
    );

    // A batch the store refuses leaves nothing behind.
    let mut bad = batch.clone();
    bad[3].comment.article = ArticleId(999_999);
    assert!(desk.store_comments(&bad).await.is_err());
    assert_eq!(
        desk.approved_comments(article, false, 10, 0)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_comment_stored_alone_is_counted_by_cached_reads_once_it_is_published() {
    let (desk, article) = commented().await;
    let count = || async {
        let found = desk.published_article(desk.site, article, T0).await;
        found.unwrap().unwrap().comment_count
    };
    assert_eq!(count().await, 0, "now in the read cache");
    let alone = |email: &'static str, status| CommentToStore {
        comment: comment(desk.site, article, email, "203.0.113.7", email, status),
        at: T0,
        confirmation: None,
    };
    let held = desk
        .store_comments(&[alone("held@example.com", CommentStatus::Pending)])
        .await
        .unwrap();
    assert_eq!(count().await, 0);
    let shown = desk
        .store_comments(&[alone("shown@example.com", CommentStatus::Approved)])
        .await
        .unwrap();
    assert!(held[0] < shown[0]);
    assert_eq!(count().await, 1, "the cached article was dropped");
    let listed = desk.approved_comments(article, false, 10, 0).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), shown);
}

#[tokio::test]
async fn failed_mail_waits_for_its_retry_time_and_sent_mail_leaves_the_outbox() {
    let (desk, article) = commented().await;
    for (email, token) in [("a@example.com", "t1"), ("b@example.com", "t2")] {
        with_confirmation(&desk, article, email, token, T0, T0 + minutes(60)).await;
    }
    assert_eq!(desk.next_mail_due().await.unwrap(), Some(T0));
    let due = desk.due_mail(T0, 10).await.unwrap();
    let recipients: Vec<&str> = due.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(recipients, ["a@example.com", "b@example.com"]);
    assert_eq!(desk.due_mail(T0, 1).await.unwrap().len(), 1);

    desk.mail_failed(due[0].id, "connection refused", T0 + minutes(5))
        .await
        .unwrap();
    desk.mail_sent(due[1].id, T0).await.unwrap();

    assert!(desk.due_mail(T0 + minutes(4), 10).await.unwrap().is_empty());
    assert_eq!(desk.next_mail_due().await.unwrap(), Some(T0 + minutes(5)));
    let retry = desk.due_mail(T0 + minutes(5), 10).await.unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!(
        (retry[0].recipient.as_str(), retry[0].attempts),
        ("a@example.com", 1)
    );

    desk.mail_sent(retry[0].id, T0 + minutes(5)).await.unwrap();
    assert!(
        desk.due_mail(T0 + minutes(60), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(desk.next_mail_due().await.unwrap(), None);
}

#[tokio::test]
async fn mail_claimed_by_one_instance_is_not_given_to_another_until_its_hold_runs_out() {
    let (desk, article) = commented().await;
    for n in 0..40 {
        with_confirmation(
            &desk,
            article,
            &format!("reader{n}@example.com"),
            &format!("token-{n}"),
            T0,
            T0 + minutes(60),
        )
        .await;
    }
    // Two instances claim at the same moment, in small batches.
    let other = desk.store.another_process().await;
    let claim = |db: dateline_store::Db| async move {
        let mut got = Vec::new();
        loop {
            let batch = db.claim_due_mail(T0, T0 + minutes(5), 3).await.unwrap();
            if batch.is_empty() {
                return got;
            }
            got.extend(batch.into_iter().map(|m| m.id));
        }
    };
    let (mine, theirs) = tokio::join!(claim(desk.store.db.clone()), claim(other));
    let mut all: Vec<i64> = mine.iter().chain(&theirs).copied().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 40, "every mail once");
    assert_eq!(mine.len() + theirs.len(), 40, "none twice");

    // Held: nobody gets them again until the hold runs out (the claimer
    // died); then they are due again.
    assert!(
        desk.claim_due_mail(T0 + minutes(4), T0 + minutes(9), 100)
            .await
            .unwrap()
            .is_empty()
    );
    let again = desk
        .claim_due_mail(T0 + minutes(5), T0 + minutes(10), 100)
        .await
        .unwrap();
    assert_eq!(again.len(), 40);
}
