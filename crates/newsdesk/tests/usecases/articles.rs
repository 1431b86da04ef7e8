//! Writing and changing articles as the newsroom and the API do.

use crate::newsroom;
use dateline_core::ArticleState;
use dateline_core::workflow::{Action, WorkflowError};
use dateline_newsdesk::{ArticleCommand, ArticleError, Origin, Schedule};
use time::{Duration, OffsetDateTime};

fn command(input: &dateline_core::editing::ArticleInput, action: Action) -> ArticleCommand<'_> {
    ArticleCommand {
        input,
        action,
        schedule: Schedule::AsTyped,
        origin: Origin::Newsroom,
    }
}

#[tokio::test]
async fn a_reporter_writes_a_draft_that_readers_do_not_see() {
    let n = newsroom().await;
    let input = n.input("Rain returns to the valley");
    let id = n
        .desk
        .create_article(n.on(n.reporter), command(&input, Action::Save))
        .await
        .unwrap();
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.status.state, ArticleState::Draft);
    assert_eq!(stored.content.headline, "Rain returns to the valley");
    assert_eq!(stored.created_by, Some(n.reporter.user));
    assert_eq!(n.db.revisions(id).await.unwrap().len(), 1);
    // Nothing readers see changed: no list or page key was announced.
    assert!(
        n.purged().iter().all(|k| !k.starts_with("latest-")),
        "a draft changes no public list"
    );
}

#[tokio::test]
async fn a_form_without_headline_or_section_is_refused_at_those_fields() {
    let n = newsroom().await;
    let mut input = n.input("");
    input.section = String::new();
    let refused = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Save))
        .await;
    let Err(ArticleError::Invalid(errors)) = refused else {
        panic!("expected field errors, got {refused:?}");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert!(fields.contains(&"headline"), "{fields:?}");
    assert!(fields.contains(&"section"), "{fields:?}");
    assert!(
        n.db.desk_articles(n.site, None, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_reporter_may_not_publish_and_a_moderator_may_not_write() {
    let n = newsroom().await;
    let input = n.input("Council votes");
    let by_reporter = n
        .desk
        .create_article(n.on(n.reporter), command(&input, Action::Publish))
        .await;
    assert!(
        matches!(
            by_reporter,
            Err(ArticleError::Workflow(WorkflowError::NotAllowed))
        ),
        "{by_reporter:?}"
    );
    let by_moderator = n
        .desk
        .create_article(n.on(n.moderator), command(&input, Action::Save))
        .await;
    assert!(matches!(by_moderator, Err(ArticleError::NotAllowed)));
}

#[tokio::test]
async fn an_editor_publishes_and_every_page_showing_it_is_dropped_from_caches() {
    let n = newsroom().await;
    let input = n.input("Port reopens");
    let id = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Publish))
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let public = n.db.published_article(n.site, id, now).await.unwrap();
    assert!(public.is_some(), "readers see it");
    let purged = n.purged();
    for key in [
        format!("article-{id}"),
        format!("latest-{}", n.site),
        format!("section-{}", n.section),
    ] {
        assert!(purged.contains(&key), "{key} not in {purged:?}");
    }
}

#[tokio::test]
async fn a_save_from_an_old_version_is_refused_with_who_saved_meanwhile() {
    let n = newsroom().await;
    let input = n.input("Bridge closes");
    let id = n
        .desk
        .create_article(n.on(n.reporter), command(&input, Action::Save))
        .await
        .unwrap();
    let version =
        n.db.editable_article(n.site, id)
            .await
            .unwrap()
            .unwrap()
            .version;
    let mut first = input.clone();
    first.standfirst = "The editor's words".into();
    n.desk
        .save_article(n.on(n.editor), id, version, command(&first, Action::Save))
        .await
        .unwrap();
    let mut late = input.clone();
    late.standfirst = "The reporter's words".into();
    let refused = n
        .desk
        .save_article(n.on(n.reporter), id, version, command(&late, Action::Save))
        .await;
    let Err(ArticleError::Conflict(conflict)) = refused else {
        panic!("expected a conflict, got {refused:?}");
    };
    assert_eq!(conflict.saved_by.as_deref(), Some("eda@example.com"));
    assert_eq!(conflict.current_version, version + 1);
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.content.standfirst, "The editor's words");
}

#[tokio::test]
async fn a_scheduled_story_goes_out_when_its_time_comes() {
    let n = newsroom().await;
    let input = n.input("Budget day");
    let at = OffsetDateTime::now_utc() + Duration::seconds(2);
    let id = n
        .desk
        .create_article(
            n.on(n.editor),
            ArticleCommand {
                input: &input,
                action: Action::Schedule,
                schedule: Schedule::At(Some(at)),
                origin: Origin::Api,
            },
        )
        .await
        .unwrap();
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.status.state, ArticleState::Scheduled);
    assert_eq!(
        n.desk.publish_due(OffsetDateTime::now_utc()).await.unwrap(),
        0
    );
    n.purged();
    // Readers see it from its time on: wait for it.
    tokio::time::sleep(std::time::Duration::from_millis(2_300)).await;
    assert_eq!(
        n.desk.publish_due(OffsetDateTime::now_utc()).await.unwrap(),
        1
    );
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.status.state, ArticleState::Published);
    assert!(n.purged().contains(&format!("article-{id}")));
}

#[tokio::test]
async fn an_old_revision_is_restored_as_the_newest() {
    let n = newsroom().await;
    let input = n.input("First headline");
    let id = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Save))
        .await
        .unwrap();
    let mut changed = input.clone();
    changed.headline = "Second headline".into();
    n.desk
        .save_article(n.on(n.editor), id, 1, command(&changed, Action::Save))
        .await
        .unwrap();
    n.desk
        .restore_revision(n.on(n.editor), id, 1, 2)
        .await
        .unwrap();
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.content.headline, "First headline");
    assert_eq!(stored.version, 3);
    let missing = n.desk.restore_revision(n.on(n.editor), id, 99, 3).await;
    assert!(matches!(missing, Err(ArticleError::NotFound)));
}

#[tokio::test]
async fn corrections_go_on_published_stories_only_and_only_from_editors() {
    let n = newsroom().await;
    let input = n.input("Election count");
    let draft = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Save))
        .await
        .unwrap();
    let refused = n
        .desk
        .add_correction(n.on(n.editor), draft, "A figure was wrong.")
        .await;
    assert!(matches!(refused, Err(ArticleError::NotPublished)));
    let published = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Publish))
        .await
        .unwrap();
    let by_reporter = n
        .desk
        .add_correction(n.on(n.reporter), published, "A figure was wrong.")
        .await;
    assert!(matches!(by_reporter, Err(ArticleError::NotAllowed)));
    let empty = n.desk.add_correction(n.on(n.editor), published, "  ").await;
    assert!(matches!(empty, Err(ArticleError::InvalidCorrection)));
    n.desk
        .add_correction(n.on(n.editor), published, "A figure was wrong.")
        .await
        .unwrap();
    let corrections = n.db.corrections(published).await.unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].note, "A figure was wrong.");
}

#[tokio::test]
async fn the_trash_takes_drafts_and_gives_them_back_to_editors() {
    let n = newsroom().await;
    let input = n.input("Draft to bin");
    let id = n
        .desk
        .create_article(n.on(n.reporter), command(&input, Action::Save))
        .await
        .unwrap();
    n.desk.trash_article(n.on(n.reporter), id).await.unwrap();
    assert!(n.db.editable_article(n.site, id).await.unwrap().is_none());
    let by_reporter = n.desk.untrash_article(n.on(n.reporter), id).await;
    assert!(matches!(by_reporter, Err(ArticleError::NotAllowed)));
    n.desk.untrash_article(n.on(n.editor), id).await.unwrap();
    assert!(n.db.editable_article(n.site, id).await.unwrap().is_some());
    let published = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Publish))
        .await
        .unwrap();
    let refused = n.desk.trash_article(n.on(n.editor), published).await;
    assert!(matches!(refused, Err(ArticleError::NotAllowed)));
}

#[tokio::test]
async fn typing_is_kept_for_new_articles_and_for_articles_the_user_may_edit() {
    let n = newsroom().await;
    let input = n.input("Half written");
    let at = n
        .desk
        .keep_typing(n.on(n.reporter), None, &input, 0)
        .await
        .unwrap();
    let kept =
        n.db.autosave(n.reporter.user, n.site, None)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(kept.saved_at, dateline_store::stored_time(at));
    assert!(kept.content.contains("Half written"));
    let editors = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Save))
        .await
        .unwrap();
    let refused = n
        .desk
        .keep_typing(n.on(n.reporter), Some(editors), &input, 1)
        .await;
    assert!(matches!(refused, Err(ArticleError::NotAllowed)));
    // Creating from the newsroom ends the unsaved typing of a new article.
    n.desk
        .create_article(n.on(n.reporter), command(&input, Action::Save))
        .await
        .unwrap();
    assert!(
        n.db.autosave(n.reporter.user, n.site, None)
            .await
            .unwrap()
            .is_none()
    );
}
