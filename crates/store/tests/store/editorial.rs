//! The newsroom's side of articles: create and save with versions, revisions,
//! autosaves, trash, corrections, scheduled publishing, translations and the
//! audit log.

use crate::{T0, add_author, add_section, add_site, add_user, content, minutes, newsroom, status};
use dateline_core::editing::ArticleContent;
use dateline_core::workflow::Status;
use dateline_core::{ArticleId, ArticleState, Lang, SiteId};
use dateline_store::{ArticleSave, Autosave, StoreError};

/// A save of `content` with `status` by `user` from `version`.
fn save<'a>(
    id: ArticleId,
    site: SiteId,
    version: i64,
    content: &'a ArticleContent,
    status: Status,
    user: dateline_core::accounts::UserId,
) -> ArticleSave<'a> {
    ArticleSave {
        id,
        site,
        expected_version: version,
        content,
        status,
        user,
        audit_action: "save",
    }
}

#[tokio::test]
async fn a_created_article_opens_in_the_editor_at_version_one_with_its_content() {
    let desk = newsroom().await;
    let lina = add_author(&desk, desk.site, "lina", "Lina").await;
    let mut written = content(desk.section, "Cabinet meets");
    written.tags = vec!["Cabinet".to_owned(), "Beirut".to_owned()];
    written.authors = vec![lina];
    written.lead_caption = "The cabinet in session".to_owned();
    let id = desk
        .create_article(
            desk.site,
            &written,
            status(ArticleState::Draft, None),
            "save",
            desk.editor,
            T0,
        )
        .await
        .unwrap();

    let article = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    assert_eq!(article.id, id);
    assert_eq!(article.site, desk.site);
    assert_eq!(article.version, 1);
    assert_eq!(article.created_by, Some(desk.editor));
    assert_eq!(article.edited_at, Some(T0));
    assert_eq!(article.status, status(ArticleState::Draft, None));
    assert_eq!(article.content, written);
    assert!(article.corrections.is_empty());
    // Tags named in the editor exist on the site from now on.
    assert!(
        desk.tag_by_slug(desk.site, "beirut")
            .await
            .unwrap()
            .is_some()
    );
    // A draft is nobody's business but the newsroom's.
    assert!(
        desk.published_article(desk.site, id, T0)
            .await
            .unwrap()
            .is_none()
    );
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    assert!(desk.editable_article(other, id).await.unwrap().is_none());
}

#[tokio::test]
async fn creating_an_article_logs_create_and_the_step_taken_with_it() {
    let desk = newsroom().await;
    let draft = desk.draft("Only saved").await;
    let published = desk.published("Published at once", T0 + minutes(1)).await;

    let log: Vec<(String, String, String)> = desk
        .audit_log(desk.site, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.subject, e.detail))
        .collect();
    assert_eq!(
        log,
        [
            (
                "publish".to_owned(),
                format!("article:{published}"),
                "Published at once".to_owned()
            ),
            (
                "create".to_owned(),
                format!("article:{published}"),
                "Published at once".to_owned()
            ),
            (
                "create".to_owned(),
                format!("article:{draft}"),
                "Only saved".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn a_save_from_the_current_version_bumps_the_version_and_keeps_a_revision() {
    let desk = newsroom().await;
    let id = desk.draft("First headline").await;
    let mut changed = content(desk.section, "Second headline");
    changed.tags = vec!["Oil".to_owned()];

    let saved = desk
        .save_article(
            &save(
                id,
                desk.site,
                1,
                &changed,
                status(ArticleState::InReview, None),
                desk.editor,
            ),
            T0 + minutes(3),
        )
        .await
        .unwrap();

    assert_eq!(saved.unwrap(), 2);
    let article = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    assert_eq!(article.version, 2);
    assert_eq!(article.status.state, ArticleState::InReview);
    assert_eq!(article.content, changed);
    assert_eq!(article.edited_at, Some(T0 + minutes(3)));
    let revisions = desk.revisions(id).await.unwrap();
    let lines: Vec<(i64, ArticleState, &str)> = revisions
        .iter()
        .map(|r| (r.number, r.state, r.headline.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (2, ArticleState::InReview, "Second headline"),
            (1, ArticleState::Draft, "First headline")
        ]
    );
    assert_eq!(revisions[0].author_name, "Rana Haddad");
    assert_eq!(revisions[0].saved_at, T0 + minutes(3));
}

#[tokio::test]
async fn a_save_from_an_old_version_is_refused_with_who_saved_and_stores_nothing() {
    let desk = newsroom().await;
    let omar = add_user(&desk, "omar@example.com", "Omar Khalil").await;
    let id = desk.draft("Original").await;
    let theirs = content(desk.section, "Omar's version");
    desk.save_article(
        &save(
            id,
            desk.site,
            1,
            &theirs,
            status(ArticleState::Draft, None),
            omar,
        ),
        T0 + minutes(2),
    )
    .await
    .unwrap()
    .unwrap();

    let mine = content(desk.section, "Rana's version");
    let refused = desk
        .save_article(
            &save(
                id,
                desk.site,
                1,
                &mine,
                status(ArticleState::Draft, None),
                desk.editor,
            ),
            T0 + minutes(3),
        )
        .await
        .unwrap();

    let conflict = refused.unwrap_err();
    assert_eq!(conflict.current_version, 2);
    assert_eq!(conflict.saved_by.as_deref(), Some("Omar Khalil"));
    assert_eq!(conflict.saved_at, Some(T0 + minutes(2)));
    let article = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    assert_eq!(article.content.headline, "Omar's version");
    assert_eq!(article.version, 2);
    assert_eq!(desk.revisions(id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn saving_an_article_that_is_not_on_the_site_is_an_error() {
    let desk = newsroom().await;
    let id = desk.draft("Here").await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    let c = content(desk.section, "There");
    for (id, site) in [(ArticleId(id.0 + 100), desk.site), (id, other)] {
        let refused = desk
            .save_article(
                &save(
                    id,
                    site,
                    1,
                    &c,
                    status(ArticleState::Draft, None),
                    desk.editor,
                ),
                T0,
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
    }
}

#[tokio::test]
async fn each_revision_keeps_the_content_saved_with_it() {
    let desk = newsroom().await;
    let id = desk.draft("Version one").await;
    let mut two = content(desk.section, "Version two");
    two.body_html = "<p>Rewritten.</p>".to_owned();
    desk.save_article(
        &save(
            id,
            desk.site,
            1,
            &two,
            status(ArticleState::Draft, None),
            desk.editor,
        ),
        T0 + minutes(1),
    )
    .await
    .unwrap()
    .unwrap();

    let first = desk.revision(id, 1).await.unwrap().unwrap();
    assert_eq!(first.number, 1);
    assert_eq!(first.author, Some(desk.editor));
    assert_eq!(first.author_name, "Rana Haddad");
    assert_eq!(first.content, content(desk.section, "Version one"));
    let second = desk.revision(id, 2).await.unwrap().unwrap();
    assert_eq!(second.content, two);
    assert!(desk.revision(id, 3).await.unwrap().is_none());
}

#[tokio::test]
async fn an_autosave_is_kept_per_user_and_article_until_cleared() {
    let desk = newsroom().await;
    let omar = add_user(&desk, "omar@example.com", "Omar").await;
    let id = desk.draft("Story").await;
    let typed = |text: &str, minute| Autosave {
        base_version: 1,
        content: format!(r#"{{"headline":"{text}"}}"#),
        saved_at: T0 + minutes(minute),
    };
    desk.put_autosave(desk.editor, desk.site, Some(id), &typed("Sto", 1))
        .await
        .unwrap();
    desk.put_autosave(desk.editor, desk.site, Some(id), &typed("Story!", 2))
        .await
        .unwrap();
    desk.put_autosave(desk.editor, desk.site, None, &typed("New piece", 3))
        .await
        .unwrap();

    let kept = desk
        .autosave(desk.editor, desk.site, Some(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.base_version, 1);
    assert_eq!(kept.content, r#"{"headline":"Story!"}"#);
    assert_eq!(kept.saved_at, T0 + minutes(2));
    let new_one = desk.autosave(desk.editor, desk.site, None).await.unwrap();
    assert_eq!(new_one.unwrap().content, r#"{"headline":"New piece"}"#);
    assert!(
        desk.autosave(omar, desk.site, Some(id))
            .await
            .unwrap()
            .is_none()
    );

    desk.clear_autosave(desk.editor, desk.site, Some(id))
        .await
        .unwrap();
    assert!(
        desk.autosave(desk.editor, desk.site, Some(id))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        desk.autosave(desk.editor, desk.site, None)
            .await
            .unwrap()
            .is_some(),
        "clearing one autosave leaves the others"
    );
}

#[tokio::test]
async fn the_desk_lists_articles_by_last_edit_and_counts_each_state() {
    let desk = newsroom().await;
    let draft = desk.draft("A draft").await;
    let out = desk.published("Out", T0 + minutes(1)).await;
    let soon = desk
        .create_article(
            desk.site,
            &content(desk.section, "Soon"),
            status(ArticleState::Scheduled, Some(T0 + minutes(60))),
            "schedule",
            desk.editor,
            T0 + minutes(2),
        )
        .await
        .unwrap();

    let all: Vec<ArticleId> = desk
        .desk_articles(desk.site, None, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(all, [soon, out, draft]);
    let page: Vec<ArticleId> = desk
        .desk_articles(desk.site, None, 1, 1)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(page, [out]);
    let published = desk
        .desk_articles(desk.site, Some(ArticleState::Published), 10, 0)
        .await
        .unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].id, out);
    assert_eq!(published[0].section_name, "Politics");
    assert_eq!(published[0].writer.as_deref(), Some("Rana Haddad"));
    assert_eq!(published[0].published_at, Some(T0 + minutes(1)));

    let scheduled: Vec<ArticleId> = desk
        .desk_scheduled(desk.site)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(scheduled, [soon]);
    let counts = desk.desk_counts(desk.site).await.unwrap();
    assert_eq!(
        (
            counts.draft,
            counts.in_review,
            counts.scheduled,
            counts.published,
            counts.unpublished
        ),
        (1, 0, 1, 1, 0)
    );
}

#[tokio::test]
async fn the_trash_hides_an_article_until_it_is_restored_and_refuses_a_published_one() {
    let desk = newsroom().await;
    let id = desk.draft("Mistake").await;

    assert!(
        desk.set_article_trashed(desk.site, id, true, desk.editor, T0 + minutes(1))
            .await
            .unwrap()
    );
    assert!(
        desk.editable_article(desk.site, id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        desk.desk_articles(desk.site, None, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(desk.desk_counts(desk.site).await.unwrap().draft, 0);
    let trash: Vec<_> = desk
        .desk_trash(desk.site)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(trash, [id]);
    assert!(
        !desk
            .set_article_trashed(desk.site, id, true, desk.editor, T0)
            .await
            .unwrap(),
        "already in the trash"
    );

    assert!(
        desk.set_article_trashed(desk.site, id, false, desk.editor, T0 + minutes(2))
            .await
            .unwrap()
    );
    let back = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    assert_eq!(back.content.headline, "Mistake");
    assert_eq!(
        desk.revisions(id).await.unwrap().len(),
        1,
        "revisions survive the trash"
    );
    assert!(desk.desk_trash(desk.site).await.unwrap().is_empty());
    let actions: Vec<String> = desk
        .audit_log(desk.site, 2)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["undelete", "delete"]);

    // A published article must be unpublished first.
    let out = desk.published("Out", T0).await;
    let trashed = desk
        .set_article_trashed(desk.site, out, true, desk.editor, T0)
        .await;
    assert!(!trashed.unwrap());
    assert!(
        desk.published_article(desk.site, out, T0)
            .await
            .unwrap()
            .is_some()
    );
    assert!(desk.desk_trash(desk.site).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_correction_is_public_moves_last_updated_and_is_logged() {
    let desk = newsroom().await;
    let id = desk.published("Casualty figures", T0).await;
    let later = T0 + minutes(90);

    desk.add_correction(
        id,
        desk.site,
        "An earlier version gave the wrong figure.",
        desk.editor,
        later,
    )
    .await
    .unwrap();

    let article = desk
        .published_article(desk.site, id, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.corrections.len(), 1);
    assert_eq!(
        article.corrections[0].note,
        "An earlier version gave the wrong figure."
    );
    assert_eq!(article.corrections[0].at, later);
    assert_eq!(article.updated_at, later);
    assert_eq!(article.published_at, Some(T0), "publication time stays");
    let editable = desk.editable_article(desk.site, id).await.unwrap().unwrap();
    assert_eq!(editable.corrections, article.corrections);
    let log = desk.audit_log(desk.site, 1).await.unwrap();
    assert_eq!(log[0].action, "correct");
    assert_eq!(log[0].detail, "An earlier version gave the wrong figure.");
}

#[tokio::test]
async fn publish_due_publishes_scheduled_articles_whose_time_has_come_and_only_those() {
    let desk = newsroom().await;
    let schedule = |headline: &'static str, at| {
        let desk = &desk;
        async move {
            desk.create_article(
                desk.site,
                &content(desk.section, headline),
                status(ArticleState::Scheduled, Some(at)),
                "schedule",
                desk.editor,
                T0,
            )
            .await
            .unwrap()
        }
    };
    let first = schedule("First", T0 + minutes(10)).await;
    let second = schedule("Second", T0 + minutes(20)).await;
    assert_eq!(desk.next_scheduled().await.unwrap(), Some(T0 + minutes(10)));
    assert!(desk.publish_due(T0 + minutes(9)).await.unwrap().is_empty());
    let mut changes = desk.article_changes();

    let due = desk.publish_due(T0 + minutes(15)).await.unwrap();

    assert_eq!(due, [(desk.site, first)]);
    assert_eq!(changes.try_recv().unwrap(), [first]);
    let article = desk
        .published_article(desk.site, first, T0 + minutes(15))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.state, ArticleState::Published);
    assert_eq!(article.published_at, Some(T0 + minutes(10)));
    let editable = desk
        .editable_article(desk.site, first)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        editable.version, 2,
        "a save from before publication conflicts"
    );
    assert_eq!(desk.next_scheduled().await.unwrap(), Some(T0 + minutes(20)));
    let log = desk.audit_log(desk.site, 1).await.unwrap();
    assert_eq!(
        (
            log[0].action.as_str(),
            log[0].subject.clone(),
            log[0].detail.as_str(),
            log[0].user_name.clone()
        ),
        ("publish", format!("article:{first}"), "scheduled", None)
    );

    assert_eq!(
        desk.publish_due(T0 + minutes(30)).await.unwrap(),
        [(desk.site, second)]
    );
    assert_eq!(desk.next_scheduled().await.unwrap(), None);
}

/// A scheduled article moved to the trash stays there: the scheduler
/// passes it by, and nothing waits for it.
#[tokio::test]
async fn a_trashed_scheduled_article_is_not_published_when_its_time_comes() {
    let desk = newsroom().await;
    let id = desk
        .create_article(
            desk.site,
            &content(desk.section, "Withdrawn"),
            status(ArticleState::Scheduled, Some(T0 + minutes(10))),
            "schedule",
            desk.editor,
            T0,
        )
        .await
        .unwrap();
    assert!(
        desk.set_article_trashed(desk.site, id, true, desk.editor, T0 + minutes(1))
            .await
            .unwrap()
    );

    assert!(desk.publish_due(T0 + minutes(15)).await.unwrap().is_empty());
    assert!(
        desk.published_article(desk.site, id, T0 + minutes(15))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(desk.next_scheduled().await.unwrap(), None);
}

#[tokio::test]
async fn translations_link_articles_of_sister_editions_only() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let stranger = add_site(&desk, "gazette", Lang::En, "gazette", "gazette").await;
    let siyasa = add_section(&desk, arabic, "siyasa", "سياسة", 0).await;
    let news = add_section(&desk, stranger, "news", "News", 0).await;
    let english = desk.draft("Summit opens").await;
    let create = |site, section, headline: &'static str| {
        let desk = &desk;
        async move {
            desk.create_article(
                site,
                &content(section, headline),
                status(ArticleState::Draft, None),
                "save",
                desk.editor,
                T0,
            )
            .await
            .unwrap()
        }
    };
    let arabic_copy = create(arabic, siyasa, "افتتاح القمة").await;
    let unrelated = create(stranger, news, "Summit opens too").await;
    let same_site = desk.draft("Another English piece").await;

    assert!(desk.can_translate(desk.site, arabic_copy).await.unwrap());
    assert!(!desk.can_translate(desk.site, unrelated).await.unwrap());
    assert!(!desk.can_translate(desk.site, same_site).await.unwrap());
    assert!(
        !desk
            .link_translation(english, desk.site, unrelated)
            .await
            .unwrap()
    );
    assert!(
        !desk
            .link_translation(english, desk.site, same_site)
            .await
            .unwrap()
    );

    assert!(
        desk.link_translation(english, desk.site, arabic_copy)
            .await
            .unwrap()
    );

    let group = desk
        .editable_article(desk.site, english)
        .await
        .unwrap()
        .unwrap()
        .translation_group
        .unwrap();
    let theirs = desk
        .editable_article(arabic, arabic_copy)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs.translation_group.as_deref(), Some(group.as_str()));
    assert_eq!(
        desk.translation_ids(&group, english).await.unwrap(),
        [arabic_copy]
    );
    assert_eq!(
        desk.translation_ids(&group, arabic_copy).await.unwrap(),
        [english]
    );
    let unlinked = desk
        .editable_article(stranger, unrelated)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unlinked.translation_group, None);
}

#[tokio::test]
async fn the_audit_log_lists_a_sites_actions_newest_first_with_who_did_them() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    desk.record_audit(
        Some(desk.site),
        Some(desk.editor),
        "user-add",
        "user:omar@example.com",
        "reporter",
        T0,
    )
    .await
    .unwrap();
    desk.record_audit(
        Some(desk.site),
        None,
        "purge",
        "site:all",
        "",
        T0 + minutes(1),
    )
    .await
    .unwrap();
    desk.record_audit(
        Some(other),
        Some(desk.editor),
        "settings",
        "site:other",
        "",
        T0,
    )
    .await
    .unwrap();
    desk.record_audit(None, Some(desk.editor), "login", "network", "", T0)
        .await
        .unwrap();

    let log = desk.audit_log(desk.site, 10).await.unwrap();
    let lines: Vec<(Option<&str>, &str, &str, &str)> = log
        .iter()
        .map(|e| {
            (
                e.user_name.as_deref(),
                e.action.as_str(),
                e.subject.as_str(),
                e.detail.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (None, "purge", "site:all", ""),
            (
                Some("Rana Haddad"),
                "user-add",
                "user:omar@example.com",
                "reporter"
            ),
        ]
    );
    assert_eq!(log[0].at, T0 + minutes(1));
    assert_eq!(desk.audit_log(desk.site, 1).await.unwrap().len(), 1);
}

/// Every instance runs a scheduler: when two look at once, each due
/// article is published by one of them, once.
#[tokio::test]
async fn two_schedulers_at_once_publish_each_due_article_once() {
    let desk = newsroom().await;
    let mut due = Vec::new();
    for n in 0..20 {
        let id = desk
            .create_article(
                desk.site,
                &content(desk.section, &format!("Scheduled story {n}")),
                status(ArticleState::Scheduled, Some(T0)),
                "schedule",
                desk.editor,
                T0,
            )
            .await
            .unwrap();
        due.push(id);
    }
    let other = desk.store.another_process().await;
    let now = T0 + minutes(1);
    let (mine, theirs) = tokio::join!(desk.publish_due(now), other.publish_due(now));
    let mut published: Vec<_> = mine
        .unwrap()
        .into_iter()
        .chain(theirs.unwrap())
        .map(|(_, id)| id)
        .collect();
    assert_eq!(published.len(), 20, "none twice");
    published.sort();
    due.sort();
    assert_eq!(published, due, "every one");
}
