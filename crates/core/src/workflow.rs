//! The editorial workflow: who may do what to an article, and what each
//! step does to its state and to the times readers see.
//!
//! ```text
//! draft ──submit──> in review ──publish──> published ──unpublish──> unpublished
//!   │                   │   └──schedule──> scheduled ──(its time)──> published
//!   └──publish/schedule─┘        (editors and admins only)
//! ```
//!
//! Reporters write their own drafts and submit them; editors and admins
//! publish, schedule and unpublish any article of their site; moderators
//! never touch articles. Every rule is checked again on the server for
//! every request, whatever buttons the page showed.

use crate::ArticleState;
use crate::accounts::Role;
use serde::Serialize;
use time::OffsetDateTime;

/// What a newsroom user asks to do with an article when they save it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Keep the state; a published article is updated in place.
    Save,
    /// Hand a draft to the editors.
    Submit,
    /// Take an article back to draft (withdraw, unschedule).
    ReturnToDraft,
    /// Make it public now.
    Publish,
    /// Make it public at a later time, without anyone present.
    Schedule,
    /// Take a published article off the site.
    Unpublish,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Save,
        Action::Submit,
        Action::ReturnToDraft,
        Action::Publish,
        Action::Schedule,
        Action::Unpublish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Save => "save",
            Action::Submit => "submit",
            Action::ReturnToDraft => "return_to_draft",
            Action::Publish => "publish",
            Action::Schedule => "schedule",
            Action::Unpublish => "unpublish",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// Why a workflow step was refused. `message_id` names the translated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("your role may not do this to this article")]
    NotAllowed,
    #[error("an article in this state cannot take this step")]
    WrongState,
    #[error("a scheduled time must be in the future")]
    ScheduleInPast,
    #[error("choose when to publish the article")]
    ScheduleMissing,
}

impl WorkflowError {
    pub fn message_id(self) -> &'static str {
        match self {
            WorkflowError::NotAllowed => "workflow-not-allowed",
            WorkflowError::WrongState => "workflow-wrong-state",
            WorkflowError::ScheduleInPast => "workflow-schedule-past",
            WorkflowError::ScheduleMissing => "workflow-schedule-missing",
        }
    }
}

/// May this role create articles on a site?
pub fn may_create(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Editor | Role::Reporter)
}

/// May this role open the article in the editor and save it?
/// Reporters edit their own copy until an editor takes it over.
pub fn may_edit(role: Role, own: bool, state: ArticleState) -> bool {
    match role {
        Role::Admin | Role::Editor => true,
        Role::Reporter => own && matches!(state, ArticleState::Draft | ArticleState::InReview),
        Role::Moderator => false,
    }
}

/// May this role move the article to the trash? Never a published one
/// (unpublish it first); reporters only their own drafts.
pub fn may_delete(role: Role, own: bool, state: ArticleState) -> bool {
    state != ArticleState::Published
        && match role {
            Role::Admin | Role::Editor => true,
            Role::Reporter => own && state == ArticleState::Draft,
            Role::Moderator => false,
        }
}

/// May this role read the article in the newsroom (lists, preview,
/// revisions)? Everyone who writes may read the site's copy.
pub fn may_read(role: Role) -> bool {
    may_create(role)
}

/// The steps this role may take from this state: the buttons the editor
/// shows. [`apply`] enforces the same rules.
pub fn available_actions(role: Role, own: bool, state: ArticleState) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|&a| check(role, own, state, a).is_ok())
        .collect()
}

fn check(role: Role, own: bool, state: ArticleState, action: Action) -> Result<(), WorkflowError> {
    use ArticleState::*;
    if !may_edit(role, own, state) {
        return Err(WorkflowError::NotAllowed);
    }
    let publisher = matches!(role, Role::Admin | Role::Editor);
    let (allowed_from, needs_publisher): (&[ArticleState], bool) = match action {
        Action::Save => (&[Draft, InReview, Scheduled, Published, Unpublished], false),
        Action::Submit => (&[Draft, Unpublished], false),
        Action::ReturnToDraft => (&[InReview, Scheduled, Unpublished], false),
        Action::Publish => (&[Draft, InReview, Scheduled, Unpublished], true),
        Action::Schedule => (&[Draft, InReview, Scheduled, Unpublished], true),
        Action::Unpublish => (&[Published], true),
    };
    if needs_publisher && !publisher {
        return Err(WorkflowError::NotAllowed);
    }
    if !allowed_from.contains(&state) {
        return Err(WorkflowError::WrongState);
    }
    Ok(())
}

/// The state and reader-facing times of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub state: ArticleState,
    /// When it was (or will be) first published; `None` until then.
    pub published_at: Option<OffsetDateTime>,
    /// The "Last Updated" time readers see.
    pub updated_at: OffsetDateTime,
}

/// One step asked for by a user.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub role: Role,
    /// The user wrote the article (reporters may edit only their own).
    pub own: bool,
    pub action: Action,
    /// A minor edit (a typo) does not move "Last Updated".
    pub minor: bool,
    /// For [`Action::Schedule`]: when to publish.
    pub publish_at: Option<OffsetDateTime>,
}

/// Applies a step to an article's status: the rules for published and
/// "Last Updated" times live here and nowhere else.
pub fn apply(current: Status, step: Step, now: OffsetDateTime) -> Result<Status, WorkflowError> {
    check(step.role, step.own, current.state, step.action)?;
    // An article that readers have seen keeps its first publication time.
    let seen_by_readers = current.published_at.is_some()
        && matches!(
            current.state,
            ArticleState::Published | ArticleState::Unpublished
        );
    let touched = if step.minor { current.updated_at } else { now };
    Ok(match step.action {
        Action::Save => match current.state {
            ArticleState::Published | ArticleState::Unpublished => Status {
                updated_at: touched,
                ..current
            },
            ArticleState::Scheduled => current,
            // Not public yet: the times are set when it goes out.
            ArticleState::Draft | ArticleState::InReview => Status {
                updated_at: now,
                ..current
            },
        },
        Action::Submit => Status {
            state: ArticleState::InReview,
            ..current
        },
        Action::ReturnToDraft => Status {
            state: ArticleState::Draft,
            published_at: if seen_by_readers {
                current.published_at
            } else {
                None
            },
            ..current
        },
        Action::Publish if seen_by_readers => Status {
            state: ArticleState::Published,
            published_at: current.published_at,
            updated_at: touched,
        },
        Action::Publish => Status {
            state: ArticleState::Published,
            published_at: Some(now),
            updated_at: now,
        },
        Action::Schedule => {
            let at = step.publish_at.ok_or(WorkflowError::ScheduleMissing)?;
            if at <= now {
                return Err(WorkflowError::ScheduleInPast);
            }
            Status {
                state: ArticleState::Scheduled,
                published_at: Some(at),
                updated_at: at,
            }
        }
        Action::Unpublish => Status {
            state: ArticleState::Unpublished,
            ..current
        },
    })
}

/// May this role kill a story (take it down for good, as an agency's
/// kill notice asks)? Those who may unpublish.
pub fn may_kill(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Editor)
}

/// The status after a kill: readers no longer see it (a published story
/// is unpublished, a scheduled one goes back to draft so it never goes
/// out); its text and history stay for editors.
pub fn kill(current: Status) -> Status {
    match current.state {
        ArticleState::Published => Status {
            state: ArticleState::Unpublished,
            ..current
        },
        ArticleState::Scheduled => Status {
            state: ArticleState::Draft,
            published_at: None,
            ..current
        },
        ArticleState::Draft | ArticleState::InReview | ArticleState::Unpublished => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-01 08:00 UTC);
    const NOW: OffsetDateTime = datetime!(2026-11-30 10:00 UTC);

    fn draft() -> Status {
        Status {
            state: ArticleState::Draft,
            published_at: None,
            updated_at: T0,
        }
    }

    fn step(role: Role, action: Action) -> Step {
        Step {
            role,
            own: true,
            action,
            minor: false,
            publish_at: None,
        }
    }

    #[test]
    fn reporters_submit_but_never_publish() {
        let submitted = apply(draft(), step(Role::Reporter, Action::Submit), NOW).unwrap();
        assert_eq!(submitted.state, ArticleState::InReview);
        for action in [Action::Publish, Action::Schedule, Action::Unpublish] {
            assert_eq!(
                apply(submitted, step(Role::Reporter, action), NOW),
                Err(WorkflowError::NotAllowed),
                "{action:?}"
            );
        }
        assert_eq!(
            available_actions(Role::Reporter, true, ArticleState::Draft),
            vec![Action::Save, Action::Submit]
        );
    }

    #[test]
    fn reporters_edit_only_their_own_unpublished_copy() {
        assert!(may_edit(Role::Reporter, true, ArticleState::InReview));
        assert!(!may_edit(Role::Reporter, false, ArticleState::Draft));
        assert!(!may_edit(Role::Reporter, true, ArticleState::Published));
        assert!(!may_edit(Role::Moderator, true, ArticleState::Draft));
        assert!(may_edit(Role::Editor, false, ArticleState::Published));
        assert!(!may_create(Role::Moderator));
        assert!(may_delete(Role::Reporter, true, ArticleState::Draft));
        assert!(!may_delete(Role::Reporter, true, ArticleState::InReview));
        assert!(!may_delete(Role::Editor, false, ArticleState::Published));
    }

    #[test]
    fn publishing_sets_the_published_time_and_later_edits_move_last_updated() {
        let published = apply(draft(), step(Role::Editor, Action::Publish), NOW).unwrap();
        assert_eq!(published.published_at, Some(NOW));
        assert_eq!(published.updated_at, NOW);

        let later = NOW + time::Duration::hours(3);
        let edited = apply(published, step(Role::Editor, Action::Save), later).unwrap();
        assert_eq!(edited.published_at, Some(NOW));
        assert_eq!(edited.updated_at, later);

        let minor = Step {
            minor: true,
            ..step(Role::Editor, Action::Save)
        };
        let typo = apply(edited, minor, later + time::Duration::hours(1)).unwrap();
        assert_eq!(typo.updated_at, later);
    }

    #[test]
    fn republishing_keeps_the_first_publication_time() {
        let published = apply(draft(), step(Role::Editor, Action::Publish), NOW).unwrap();
        let pulled = apply(published, step(Role::Editor, Action::Unpublish), NOW).unwrap();
        assert_eq!(pulled.state, ArticleState::Unpublished);
        let later = NOW + time::Duration::days(1);
        let back = apply(pulled, step(Role::Editor, Action::Publish), later).unwrap();
        assert_eq!(back.published_at, Some(NOW));
        assert_eq!(back.updated_at, later);
    }

    #[test]
    fn scheduling_needs_a_future_time() {
        let mut schedule = step(Role::Editor, Action::Schedule);
        assert_eq!(
            apply(draft(), schedule, NOW),
            Err(WorkflowError::ScheduleMissing)
        );
        schedule.publish_at = Some(NOW - time::Duration::minutes(1));
        assert_eq!(
            apply(draft(), schedule, NOW),
            Err(WorkflowError::ScheduleInPast)
        );
        let at = NOW + time::Duration::hours(2);
        schedule.publish_at = Some(at);
        let scheduled = apply(draft(), schedule, NOW).unwrap();
        assert_eq!(scheduled.state, ArticleState::Scheduled);
        assert_eq!(scheduled.published_at, Some(at));
        // Unscheduling returns it to draft with no publication time.
        let back = apply(scheduled, step(Role::Editor, Action::ReturnToDraft), NOW).unwrap();
        assert_eq!(back.state, ArticleState::Draft);
        assert_eq!(back.published_at, None);
    }

    #[test]
    fn published_articles_cannot_be_submitted_or_published_again() {
        let published = apply(draft(), step(Role::Editor, Action::Publish), NOW).unwrap();
        for action in [Action::Submit, Action::Publish, Action::ReturnToDraft] {
            assert_eq!(
                apply(published, step(Role::Admin, action), NOW),
                Err(WorkflowError::WrongState),
                "{action:?}"
            );
        }
        assert_eq!(Action::parse("publish"), Some(Action::Publish));
        assert_eq!(Action::parse("delete"), None);
    }

    #[test]
    fn a_kill_takes_a_story_from_readers_and_stops_a_scheduled_one() {
        let published = Status {
            state: ArticleState::Published,
            published_at: Some(T0),
            updated_at: T0,
        };
        let killed = kill(published);
        assert_eq!(killed.state, ArticleState::Unpublished);
        assert_eq!(killed.published_at, Some(T0));
        let scheduled = Status {
            state: ArticleState::Scheduled,
            published_at: Some(NOW),
            updated_at: NOW,
        };
        assert_eq!(kill(scheduled).state, ArticleState::Draft);
        assert_eq!(kill(scheduled).published_at, None);
        assert_eq!(kill(draft()), draft());
        assert!(may_kill(Role::Editor) && may_kill(Role::Admin));
        assert!(!may_kill(Role::Reporter) && !may_kill(Role::Moderator));
    }
}
