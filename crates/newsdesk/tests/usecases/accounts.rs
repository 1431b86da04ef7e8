//! Logging in, the people of a site, passwords and API tokens.

use crate::newsroom;
use dateline_core::accounts::{Email, NewPassword, Role, TokenName};
use dateline_newsdesk::accounts::{AccessError, LoginError, MemberAdded};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn the_right_password_starts_a_session_and_guessing_backs_off_without_shutting_the_owner_out()
{
    let n = newsroom().await;
    let email = Email::parse("Lana@Example.com").unwrap();
    let user = n
        .desk
        .create_account(
            &email,
            "Lana",
            NewPassword::parse(PASSWORD).unwrap(),
            Role::Editor,
            &[n.site],
        )
        .await
        .unwrap();
    let session = n
        .desk
        .log_in(&email, PASSWORD.into(), "192.0.2.1", &[])
        .await
        .unwrap();
    assert_eq!(session.user, user);
    assert_eq!(session.token.len(), 43);
    let who = n.desk.session_user(&session.token).await.unwrap().unwrap();
    assert_eq!(who.id, user);
    n.desk.log_out(&session.token).await.unwrap();
    assert!(n.desk.session_user(&session.token).await.unwrap().is_none());
    let browser = session
        .known_browser
        .expect("a browser that logs in becomes known");
    // Another account's known browser, to try on this one later.
    let other = Email::parse("other@example.com").unwrap();
    n.desk
        .create_account(
            &other,
            "Other",
            NewPassword::parse(PASSWORD).unwrap(),
            Role::Editor,
            &[n.site],
        )
        .await
        .unwrap();
    let borrowed = n
        .desk
        .log_in(&other, PASSWORD.into(), "192.0.2.1", &[])
        .await
        .unwrap()
        .known_browser
        .unwrap();

    // One guesser: five tries go at once, then each waits.
    for _ in 0..5 {
        let wrong = n
            .desk
            .log_in(&email, "wrong password".into(), "192.0.2.2", &[])
            .await;
        assert!(matches!(wrong, Err(LoginError::WrongCredentials)));
    }
    let waiting = n
        .desk
        .log_in(&email, "wrong password".into(), "192.0.2.2", &[])
        .await;
    assert!(
        matches!(waiting, Err(LoginError::Throttled { wait }) if wait.whole_seconds() <= 2),
        "{waiting:?}"
    );
    // Guessing spread over many addresses slows the account down for
    // every unknown browser, the right password and a browser known to
    // another account included.
    for guesser in 3..8 {
        let wrong = n
            .desk
            .log_in(
                &email,
                "wrong password".into(),
                &format!("192.0.2.{guesser}"),
                &[],
            )
            .await;
        assert!(matches!(wrong, Err(LoginError::WrongCredentials)));
    }
    let stranger = n
        .desk
        .log_in(&email, PASSWORD.into(), "192.0.2.99", &[])
        .await;
    assert!(matches!(stranger, Err(LoginError::Throttled { .. })));
    let refused = n
        .desk
        .log_in(&email, PASSWORD.into(), "192.0.2.99", &[borrowed.as_str()])
        .await;
    assert!(matches!(refused, Err(LoginError::Throttled { .. })));
    // The owner's own browser is not kept out, and stays known.
    let owner = n
        .desk
        .log_in(
            &email,
            PASSWORD.into(),
            "192.0.2.1",
            &["not-a-token", browser.as_str()],
        )
        .await
        .unwrap();
    assert!(owner.known_browser.is_none());

    let nobody = Email::parse("nobody@example.com").unwrap();
    let unknown = n
        .desk
        .log_in(&nobody, PASSWORD.into(), "192.0.2.4", &[])
        .await;
    assert!(matches!(unknown, Err(LoginError::WrongCredentials)));
}

struct Invitations(std::sync::Mutex<Vec<String>>);

impl dateline_newsdesk::comments::ConfirmationLetter for Invitations {
    fn write(&self, token: &str) -> dateline_newsdesk::comments::Letter {
        self.0.lock().unwrap().push(token.to_owned());
        dateline_newsdesk::comments::Letter {
            subject: "You are invited".into(),
            body: format!("https://courier.example.com/newsroom/invitation?token={token}"),
        }
    }
}

#[tokio::test]
async fn an_admin_invites_people_who_choose_their_own_password_and_changes_roles_but_not_their_own()
{
    let n = newsroom().await;
    let letters = Invitations(std::sync::Mutex::default());
    let email = Email::parse("new.reporter@example.com").unwrap();
    let refused = n
        .desk
        .add_member(
            n.on(n.editor),
            &email,
            "New Reporter",
            Role::Reporter,
            &letters,
        )
        .await;
    assert!(matches!(refused, Err(AccessError::NotAllowed)));
    let nameless = n
        .desk
        .add_member(n.on(n.admin), &email, " ", Role::Reporter, &letters)
        .await;
    assert!(matches!(nameless, Err(AccessError::NameRequired)));
    let invited = n
        .desk
        .add_member(
            n.on(n.admin),
            &email,
            "New Reporter",
            Role::Reporter,
            &letters,
        )
        .await
        .unwrap();
    assert_eq!(invited, MemberAdded::Invited);
    // The mail is queued; no account exists until the link is followed.
    let mail =
        n.db.due_mail(time::OffsetDateTime::now_utc(), 10)
            .await
            .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].recipient, "new.reporter@example.com");
    assert!(n.db.user_by_email(&email).await.unwrap().is_none());
    let pending = n.desk.pending_invitations(n.on(n.admin)).await.unwrap();
    assert_eq!(pending.len(), 1);
    // Invited twice (an admin in doubt): using one link ends the other, so
    // it cannot give a role back after a removal.
    n.desk
        .add_member(n.on(n.admin), &email, "New Reporter", Role::Admin, &letters)
        .await
        .unwrap();
    let token = letters.0.lock().unwrap()[0].clone();
    let second = letters.0.lock().unwrap()[1].clone();
    let own = NewPassword::parse("my very own passphrase").unwrap();
    let session = n
        .desk
        .accept_invitation(&token, "New Reporter", own)
        .await
        .unwrap()
        .expect("a new account logs in");
    let again = n
        .desk
        .accept_invitation(&token, "Someone", NewPassword::parse(PASSWORD).unwrap())
        .await;
    assert!(
        matches!(again, Err(AccessError::NotFound)),
        "a link works once"
    );
    assert!(
        n.desk.invitation(&second).await.unwrap().is_none(),
        "using one invitation ends the others"
    );
    assert!(
        n.desk
            .log_in(&email, "my very own passphrase".into(), "192.0.2.9", &[])
            .await
            .is_ok()
    );
    let members = n.db.site_members(n.site).await.unwrap();
    let (_, role) = members.iter().find(|(u, _)| u.id == session.user).unwrap();
    assert_eq!(*role, Role::Reporter);
    // An existing account gets the role, and no mail.
    let again = n
        .desk
        .add_member(n.on(n.admin), &email, "", Role::Editor, &letters)
        .await
        .unwrap();
    assert_eq!(again, MemberAdded::RoleGiven);
    assert_eq!(letters.0.lock().unwrap().len(), 2);
    n.desk
        .change_role(n.on(n.admin), session.user, Role::Moderator)
        .await
        .unwrap();
    let own = n
        .desk
        .change_role(n.on(n.admin), n.admin.user, Role::Editor)
        .await;
    assert!(matches!(own, Err(AccessError::NotYourself)));
    n.desk
        .remove_member(n.on(n.admin), session.user)
        .await
        .unwrap();
    let gone = n.desk.remove_member(n.on(n.admin), session.user).await;
    assert!(matches!(gone, Err(AccessError::NotFound)));

    // A withdrawn invitation's link no longer works.
    let other = Email::parse("withdrawn@example.com").unwrap();
    n.desk
        .add_member(n.on(n.admin), &other, "Withdrawn", Role::Reporter, &letters)
        .await
        .unwrap();
    let pending = n.desk.pending_invitations(n.on(n.admin)).await.unwrap();
    n.desk
        .withdraw_invitation(n.on(n.admin), pending[0].id)
        .await
        .unwrap();
    let token = letters.0.lock().unwrap()[2].clone();
    assert!(n.desk.invitation(&token).await.unwrap().is_none());
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_other_sessions() {
    let n = newsroom().await;
    let email = Email::parse("pat@example.com").unwrap();
    n.desk
        .create_account(
            &email,
            "Pat",
            NewPassword::parse(PASSWORD).unwrap(),
            Role::Reporter,
            &[n.site],
        )
        .await
        .unwrap();
    let here = n
        .desk
        .log_in(&email, PASSWORD.into(), "192.0.2.1", &[])
        .await
        .unwrap();
    let elsewhere = n
        .desk
        .log_in(&email, PASSWORD.into(), "192.0.2.2", &[])
        .await
        .unwrap();
    let me = dateline_newsdesk::OnSite {
        site: n.site,
        actor: dateline_newsdesk::Actor {
            user: here.user,
            role: Role::Reporter,
        },
    };
    let token_name = TokenName::parse("laptop script").unwrap();
    let token = n
        .desk
        .issue_api_token(here.user, &token_name, None)
        .await
        .unwrap()
        .token;
    let new = || NewPassword::parse("a brand new passphrase").unwrap();
    let wrong = n
        .desk
        .change_password(me, "not it".into(), new(), Some(&here.token), &[])
        .await;
    assert!(matches!(wrong, Err(AccessError::WrongPassword)));
    n.desk
        .change_password(
            me,
            PASSWORD.into(),
            new(),
            Some(&here.token),
            &[here.known_browser.as_deref().unwrap()],
        )
        .await
        .unwrap();
    assert!(n.desk.session_user(&here.token).await.unwrap().is_some());
    // What was made with the old password ends with it.
    assert!(n.desk.api_token_user(&token).await.unwrap().is_none());
    // The other browser is a stranger now; the one that changed the
    // password stays known.
    let known = |token: Option<String>| {
        let n = &n;
        async move {
            let hash = dateline_core::accounts::token_hash(token.as_deref().unwrap());
            n.db.login_device_user(&hash, time::OffsetDateTime::UNIX_EPOCH)
                .await
                .unwrap()
        }
    };
    assert_eq!(known(elsewhere.known_browser.clone()).await, None);
    assert_eq!(known(here.known_browser.clone()).await, Some(here.user));
    assert!(
        n.desk
            .session_user(&elsewhere.token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        n.desk
            .log_in(&email, "a brand new passphrase".into(), "192.0.2.1", &[])
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn api_tokens_are_issued_once_by_name_and_stop_working_when_revoked() {
    let n = newsroom().await;
    let name = TokenName::parse("wire importer").unwrap();
    let token = n
        .desk
        .issue_api_token(n.editor.user, &name, None)
        .await
        .unwrap();
    assert!(token.token.starts_with("dl_"));
    let user = n.desk.api_token_user(&token.token).await.unwrap().unwrap();
    assert_eq!(user.id, n.editor.user);
    let twice = n.desk.issue_api_token(n.editor.user, &name, None).await;
    assert!(matches!(twice, Err(AccessError::TokenNameTaken)));
    assert!(n.desk.revoke_api_token(n.editor.user, &name).await.unwrap());
    assert!(n.desk.api_token_user(&token.token).await.unwrap().is_none());
    assert!(
        n.desk
            .api_token_user("dl_not-even-the-right-length")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_first_administrator_is_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dateline_store::Db::open_sqlite(&dir.path().join("dateline.db"))
        .await
        .unwrap();
    let desk = dateline_newsdesk::Newsdesk::detached(db).await.unwrap();
    let email = Email::parse("owner@example.com").unwrap();
    let session = desk
        .set_up_first_admin(&email, "Owner", NewPassword::parse(PASSWORD).unwrap())
        .await
        .unwrap();
    assert!(desk.session_user(&session.token).await.unwrap().is_some());
    let again = desk
        .set_up_first_admin(&email, "Owner", NewPassword::parse(PASSWORD).unwrap())
        .await;
    assert!(matches!(again, Err(AccessError::AlreadySetUp)));
}
