//! Reader comments through the whole pipeline, and moderators' decisions.

use crate::{Newsroom, newsroom, newsroom_with};
use dateline_core::comments::{BanKind, CommentInput, CommentStatus, ReportReason};
use dateline_core::editing::Problem;
use dateline_core::workflow::Action;
use dateline_core::{Article, ArticleId};
use dateline_newsdesk::comments::{
    Accepted, CommentError, ConfirmationLetter, Letter, ModerationError, Submission,
};
use dateline_newsdesk::tasks::Tasks;
use dateline_newsdesk::tasks::classify::{self, Classifiers};
use dateline_newsdesk::{ArticleCommand, NewsdeskConfig, Origin, Schedule};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// The client address the tests' codes are handed to.
fn client_of_test() -> &'static str {
    "192.0.2.200"
}

struct Letters;

impl ConfirmationLetter for Letters {
    fn write(&self, token: &str) -> Letter {
        Letter {
            subject: "Confirm your address".into(),
            body: format!("https://courier.example.com/comments/verify?token={token}"),
        }
    }
}

/// A published article whose comments appear at once (`post`) or wait
/// for moderators (`pre`).
async fn article(n: &Newsroom, mode: &str) -> Arc<Article> {
    let mut input = n.input("Open debate");
    input.comment_mode = mode.into();
    let id = n
        .desk
        .create_article(
            n.on(n.editor),
            ArticleCommand {
                input: &input,
                action: Action::Publish,
                schedule: Schedule::AsTyped,
                origin: Origin::Newsroom,
            },
        )
        .await
        .unwrap();
    published(n, id).await
}

async fn published(n: &Newsroom, id: ArticleId) -> Arc<Article> {
    n.db.published_article(n.site, id, OffsetDateTime::now_utc() + Duration::seconds(1))
        .await
        .unwrap()
        .unwrap()
}

fn comment(name: &str, body: &str) -> CommentInput {
    CommentInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        title: "A thought".into(),
        body: body.into(),
        agree: "yes".into(),
        ..CommentInput::default()
    }
}

/// Sends a comment with a right answer to a fresh security code.
async fn send(
    n: &Newsroom,
    article: &Article,
    input: &CommentInput,
    client: &str,
) -> Result<Accepted, CommentError> {
    let code = n.desk.issue_security_code(client).await.unwrap();
    let input = CommentInput {
        code: code.code.clone(),
        ..input.clone()
    };
    n.desk
        .submit_comment(Submission {
            article,
            input: &input,
            client_ip: client,
            user_agent: "test",
            code_id: Some(&code.id),
            commenter_key: None,
            letter: &Letters,
        })
        .await
}

#[tokio::test]
async fn a_civil_comment_on_an_open_article_is_published_and_its_page_is_dropped() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    n.purged();
    let accepted = send(
        &n,
        &article,
        &comment("Lina", "Thank you for this report."),
        "192.0.2.1",
    )
    .await
    .unwrap();
    let Accepted::Published(id) = accepted else {
        panic!("expected published, got {accepted:?}");
    };
    let shown =
        n.db.approved_comments(article.id, false, 10, 0)
            .await
            .unwrap();
    assert_eq!(shown.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
    assert!(n.purged().contains(&format!("article-{}", article.id)));
    // A new address is sent a confirmation link through the outbox.
    let mail = n.db.due_mail(OffsetDateTime::now_utc(), 10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipient, "lina@example.com");
    assert!(mail[0].body.contains("/comments/verify?token="));
}

#[tokio::test]
async fn insults_are_held_for_moderators_who_decide_and_the_page_changes() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let held = send(
        &n,
        &article,
        &comment("Troll", "You are an idiot."),
        "192.0.2.2",
    )
    .await
    .unwrap();
    assert_eq!(held, Accepted::Held);
    let queue =
        n.db.comment_queue(n.site, CommentStatus::Pending, 0, 0.0, 10, 0)
            .await
            .unwrap();
    assert_eq!(queue.len(), 1);
    assert!(!queue[0].hold_reasons.is_empty());
    let by_reporter = n
        .desk
        .decide_comments(
            n.on(n.reporter),
            &[queue[0].id],
            CommentStatus::Approved,
            "",
        )
        .await;
    assert!(matches!(by_reporter, Err(ModerationError::NotAllowed)));
    n.purged();
    n.desk
        .decide_comments(
            n.on(n.moderator),
            &[queue[0].id],
            CommentStatus::Approved,
            "fine",
        )
        .await
        .unwrap();
    assert!(n.purged().contains(&format!("article-{}", article.id)));
    assert_eq!(
        n.db.approved_comments(article.id, false, 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_arabic_banned_term_is_caught_as_a_broken_plural_or_with_a_stacked_suffix() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    for (i, body) in ["جمعوا الأسلحة من البيوت", "تركوا أسلحتهم في الشارع"]
        .into_iter()
        .enumerate()
    {
        let sender = comment(&format!("Reader{i}"), body);
        let held = send(&n, &article, &sender, &format!("192.0.2.{}", 30 + i)).await;
        assert_eq!(held.unwrap(), Accepted::Held, "{body}");
    }
    let queue =
        n.db.comment_queue(n.site, CommentStatus::Pending, 0, 0.0, 10, 0)
            .await
            .unwrap();
    assert_eq!(queue.len(), 2);
    assert!(
        queue
            .iter()
            .all(|c| c.hold_reasons.iter().any(|r| r == "banned_term: سلاح")),
        "{queue:?}"
    );
    // A word that only shares letters with it goes out.
    let fine = comment("Salma", "صلاحيات المجلس واسعة");
    let sent = send(&n, &article, &fine, "192.0.2.40").await.unwrap();
    assert!(matches!(sent, Accepted::Published(_)), "{sent:?}");
}

#[tokio::test]
async fn a_wrong_or_reused_security_code_is_named_at_its_field() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let code = n.desk.issue_security_code(client_of_test()).await.unwrap();
    let wrong = CommentInput {
        code: "nope".into(),
        ..comment("Sami", "Well reported.")
    };
    let sent = |input: CommentInput| {
        let n = &n;
        let article = &article;
        let id = code.id.clone();
        async move {
            n.desk
                .submit_comment(Submission {
                    article,
                    input: &input,
                    client_ip: "192.0.2.3",
                    user_agent: "",
                    code_id: Some(&id),
                    commenter_key: None,
                    letter: &Letters,
                })
                .await
        }
    };
    let refused = sent(wrong).await;
    let Err(CommentError::Invalid(errors)) = refused else {
        panic!("expected a field error, got {refused:?}");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].field, errors[0].problem),
        ("code", Problem::WrongCode)
    );
    // The code was used up by the wrong answer: the right one fails too.
    let right = CommentInput {
        code: code.code.clone(),
        ..comment("Sami", "Well reported.")
    };
    assert!(matches!(sent(right).await, Err(CommentError::Invalid(_))));
}

#[tokio::test]
async fn bots_are_thanked_and_nothing_is_kept() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let bot = CommentInput {
        website: "http://spam.example".into(),
        ..comment("Bot", "Buy now")
    };
    assert_eq!(
        send(&n, &article, &bot, "192.0.2.4").await.unwrap(),
        Accepted::Ignored
    );
    assert!(
        n.db.approved_comments(article.id, false, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn banned_readers_and_floods_are_refused() {
    let n = newsroom_with(NewsdeskConfig::default()).await;
    let article = article(&n, "post").await;
    n.desk
        .ban_commenter(
            n.on(n.moderator),
            BanKind::Ip,
            "198.51.100.0/24",
            "spam wave",
        )
        .await
        .unwrap();
    let banned = send(
        &n,
        &article,
        &comment("Spammer", "Hello there"),
        "198.51.100.7",
    )
    .await;
    assert!(matches!(banned, Err(CommentError::Banned)));
    let bad_ban = n
        .desk
        .ban_commenter(n.on(n.moderator), BanKind::Email, "not an address", "")
        .await;
    assert!(matches!(bad_ban, Err(ModerationError::BadBan)));
    for i in 0..5 {
        let text = format!("Comment number {i} on the story.");
        send(&n, &article, &comment("Busy", &text), "203.0.113.9")
            .await
            .unwrap();
    }
    let flood = send(&n, &article, &comment("Busy", "One more."), "203.0.113.9").await;
    assert!(matches!(flood, Err(CommentError::TooMany)));
}

#[tokio::test]
async fn readers_report_published_comments_within_a_limit() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let Accepted::Published(id) =
        send(&n, &article, &comment("Nour", "A fair point."), "192.0.2.5")
            .await
            .unwrap()
    else {
        panic!("published");
    };
    n.desk
        .report_comment(
            n.site,
            id,
            ReportReason::Spam,
            "looks like an ad",
            "192.0.2.6",
        )
        .await
        .unwrap();
    assert_eq!(n.db.open_report_count(n.site).await.unwrap(), 1);
    let missing = n
        .desk
        .report_comment(n.site, id + 1000, ReportReason::Spam, "", "192.0.2.6")
        .await;
    assert!(matches!(missing, Err(ModerationError::NotFound)));
}

#[tokio::test]
async fn comments_on_a_closed_article_are_refused() {
    let n = newsroom().await;
    let article = article(&n, "closed").await;
    let refused = send(&n, &article, &comment("Late", "Too late?"), "192.0.2.8").await;
    assert!(matches!(refused, Err(CommentError::Closed)));
}

#[tokio::test]
async fn where_the_site_chose_the_image_a_proof_of_work_does_not_pass() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let code = n.desk.issue_security_code(client_of_test()).await.unwrap();
    let number = (0..code.pow_max)
        .find(|k| {
            dateline_core::security_code::pow_challenge(&code.pow_salt, *k) == code.pow_challenge
        })
        .unwrap();
    let input = CommentInput {
        proof: number.to_string(),
        ..comment("Bot", "Solved, not read.")
    };
    let refused = n
        .desk
        .submit_comment(Submission {
            article: &article,
            input: &input,
            client_ip: "192.0.2.40",
            user_agent: "",
            code_id: Some(&code.id),
            commenter_key: None,
            letter: &Letters,
        })
        .await;
    let Err(CommentError::Invalid(errors)) = refused else {
        panic!("expected the code refused, got {refused:?}");
    };
    assert_eq!(
        (errors[0].field, errors[0].problem),
        ("code", Problem::WrongCode)
    );
}

#[tokio::test]
async fn confirmation_mail_to_one_domain_stays_within_its_hourly_bound() {
    use dateline_core::comments::MAX_MAIL_PER_DOMAIN_PER_HOUR;
    let n = newsroom().await;
    let article = article(&n, "post").await;
    for i in 0..MAX_MAIL_PER_DOMAIN_PER_HOUR + 5 {
        let client = format!("10.0.{}.{}", i / 200, i % 200 + 1);
        send(
            &n,
            &article,
            &comment(&format!("Reader{i}"), "Noted."),
            &client,
        )
        .await
        .unwrap();
    }
    let queued =
        n.db.due_mail(OffsetDateTime::now_utc(), 10_000)
            .await
            .unwrap();
    assert_eq!(queued.len() as i64, MAX_MAIL_PER_DOMAIN_PER_HOUR);
    // The comments were all taken; another domain still gets its mail.
    let other = CommentInput {
        email: "lina@elsewhere.example".into(),
        ..comment("Lina", "Noted too.")
    };
    send(&n, &article, &other, "192.0.2.77").await.unwrap();
    let queued =
        n.db.due_mail(OffsetDateTime::now_utc(), 10_000)
            .await
            .unwrap();
    assert!(
        queued
            .iter()
            .any(|m| m.recipient == "lina@elsewhere.example")
    );
}

#[tokio::test]
async fn a_flood_of_requests_for_codes_is_refused_before_it_fills_the_database() {
    use dateline_core::security_code::{MAX_CODES_PER_MINUTE, NewCode, POW_MAX};
    let n = newsroom().await;
    let now = OffsetDateTime::now_utc();
    for _ in 0..MAX_CODES_PER_MINUTE {
        let code = NewCode::generate(POW_MAX).unwrap();
        n.db.insert_security_code(&code, "192.0.2.250", now + Duration::minutes(30), now)
            .await
            .unwrap();
    }
    let refused = n.desk.issue_security_code("192.0.2.251").await;
    assert!(
        matches!(refused, Err(dateline_newsdesk::comments::CodeError::Busy)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn one_client_asks_for_only_so_many_codes_a_minute() {
    use dateline_core::security_code::MAX_CODES_PER_CLIENT_MINUTE;
    let n = newsroom().await;
    for _ in 0..MAX_CODES_PER_CLIENT_MINUTE {
        n.desk.issue_security_code("203.0.113.9").await.unwrap();
    }
    let refused = n.desk.issue_security_code("203.0.113.9").await;
    assert!(
        matches!(refused, Err(dateline_newsdesk::comments::CodeError::Busy)),
        "{refused:?}"
    );
    // Other readers are not held back.
    assert!(n.desk.issue_security_code("198.51.100.4").await.is_ok());
}

/// Instances sharing a database train the classifier once between them:
/// the holder of the lease trains and stores the models, another loads
/// them instead of training.
#[tokio::test]
async fn one_instance_trains_the_classifier_and_the_others_load_it() {
    let n = newsroom().await;
    let article = article(&n, "pre").await;
    let decided = |ids: Vec<i64>, status| {
        let n = &n;
        async move {
            n.desk
                .decide_comments(n.on(n.moderator), &ids, status, "")
                .await
                .unwrap();
        }
    };
    for (i, (text, status)) in [
        ("Thank you for this careful report", CommentStatus::Approved),
        ("You worthless liar, shut up", CommentStatus::Rejected),
    ]
    .into_iter()
    .cycle()
    .take(24)
    .enumerate()
    {
        let client = format!("192.0.2.{}", 10 + i);
        send(
            &n,
            &article,
            &comment(&format!("Reader{i}"), &format!("{text} {i}")),
            &client,
        )
        .await
        .unwrap();
        let queue =
            n.db.comment_queue(n.site, CommentStatus::Pending, 0, 0.0, 10, 0)
                .await
                .unwrap();
        decided(queue.iter().map(|c| c.id).collect(), status).await;
    }

    let start = |name: &'static str, classifiers: &Arc<Classifiers>, tasks: &mut Tasks| {
        tasks.spawn(
            "classifier training",
            classify::run(
                n.db.clone(),
                n.desk.sites().clone(),
                classifiers.clone(),
                Some(name.into()),
                tasks.stop_signal(),
            ),
        );
    };
    let mut tasks = Tasks::default();
    let first = Arc::new(Classifiers::default());
    start("instance-a", &first, &mut tasks);
    let stored = loop {
        let stored = n.db.classifier_models_since(None).await.unwrap();
        if !stored.is_empty() {
            break stored;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let second = Arc::new(Classifiers::default());
    start("instance-b", &second, &mut tasks);
    let text = "Shut up, liar";
    while second.score(n.site, text).is_none() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(second.score(n.site, text), first.score(n.site, text));
    assert!(first.score(n.site, text).unwrap() > 0.5);
    // Loaded, not trained again: the stored model is the first one's.
    assert_eq!(n.db.classifier_models_since(None).await.unwrap(), stored);
    tasks.stop().await;
}

/// Comments sent at the same moment are checked before any of them is
/// stored (they are written together, `comments::intake`): a burst from
/// one sender still meets the rate limit and gets one confirmation mail.
#[tokio::test]
async fn a_burst_from_one_sender_at_the_same_moment_meets_the_limit_and_gets_one_mail() {
    let n = newsroom().await;
    let article = article(&n, "post").await;
    let mut inputs = Vec::new();
    for i in 0..12 {
        let code = n.desk.issue_security_code(client_of_test()).await.unwrap();
        let input = CommentInput {
            code: code.code.clone(),
            ..comment("Rami", &format!("Point number {i} of my argument."))
        };
        inputs.push((code.id, input));
    }
    let mut senders = tokio::task::JoinSet::new();
    for (id, input) in inputs {
        let (desk, article) = (n.desk.clone(), article.clone());
        senders.spawn(async move {
            desk.submit_comment(Submission {
                article: &article,
                input: &input,
                client_ip: "192.0.2.77",
                user_agent: "test",
                code_id: Some(&id),
                commenter_key: None,
                letter: &Letters,
            })
            .await
        });
    }
    let answers = senders.join_all().await;
    let accepted = answers.iter().filter(|a| a.is_ok()).count();
    let slowed = answers
        .iter()
        .filter(|a| matches!(a, Err(CommentError::TooMany)))
        .count();
    // Counting a comment both in flight and stored, in the moment it
    // lands, may refuse one early; never late.
    assert!((1..=5).contains(&accepted), "{answers:?}");
    assert_eq!(accepted + slowed, 12, "{answers:?}");
    let stored =
        n.db.approved_comments(article.id, false, 50, 0)
            .await
            .unwrap();
    assert_eq!(stored.len(), accepted);
    let mail = n.db.due_mail(OffsetDateTime::now_utc(), 50).await.unwrap();
    let to_rami = mail
        .iter()
        .filter(|m| m.recipient == "rami@example.com")
        .count();
    assert_eq!(to_rami, 1, "one confirmation mail for the burst");
}
