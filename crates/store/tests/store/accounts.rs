//! Accounts: users, roles per site, sessions, password changes and failed logins.

use crate::{T0, add_site, add_user, fresh_store, minutes, newsroom};
use dateline_core::Lang;
use dateline_core::accounts::{Email, Membership, Role};
use dateline_store::StoreError;

#[tokio::test]
async fn a_new_user_is_found_by_email_with_the_password_hash_given() {
    let store = fresh_store().await;
    assert_eq!(store.user_count().await.unwrap(), 0);
    let email = Email::parse("rana@example.com").unwrap();
    let id = store
        .create_user(&email, "Rana Haddad", "argon2-hash", T0)
        .await
        .unwrap();

    let (user, hash) = store.user_by_email(&email).await.unwrap().unwrap();
    assert_eq!(user.id, id);
    assert_eq!(user.name, "Rana Haddad");
    assert_eq!(user.email.as_str(), "rana@example.com");
    assert_eq!(hash, "argon2-hash");
    assert_eq!(
        store.password_hash(id).await.unwrap().as_deref(),
        Some("argon2-hash")
    );
    assert_eq!(store.user_count().await.unwrap(), 1);
    let stranger = Email::parse("nobody@example.com").unwrap();
    assert!(store.user_by_email(&stranger).await.unwrap().is_none());
}

#[tokio::test]
async fn a_second_account_with_the_same_email_is_refused_as_a_conflict() {
    let store = fresh_store().await;
    add_user(&store, "rana@example.com", "Rana").await;
    let again = store
        .create_user(
            &Email::parse("rana@example.com").unwrap(),
            "Another Rana",
            "x",
            T0,
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(ref m)) if m.contains("rana@example.com")),
        "{again:?}"
    );
    assert_eq!(store.user_count().await.unwrap(), 1);
}

#[tokio::test]
async fn granting_a_role_again_replaces_the_role_held_on_that_site() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let omar = add_user(&desk, "omar@example.com", "Omar").await;
    desk.grant_role(omar, desk.site, Role::Reporter)
        .await
        .unwrap();
    desk.grant_role(omar, arabic, Role::Moderator)
        .await
        .unwrap();
    desk.grant_role(omar, desk.site, Role::Editor)
        .await
        .unwrap();

    let mut memberships = desk.memberships(omar).await.unwrap();
    memberships.sort_by_key(|m| m.site);
    let mut expected = vec![
        Membership {
            site: desk.site,
            role: Role::Editor,
        },
        Membership {
            site: arabic,
            role: Role::Moderator,
        },
    ];
    expected.sort_by_key(|m| m.site);
    assert_eq!(memberships, expected);

    // Members of a site are listed by name with their role there.
    let members: Vec<(String, Role)> = desk
        .site_members(desk.site)
        .await
        .unwrap()
        .into_iter()
        .map(|(user, role)| (user.name, role))
        .collect();
    assert_eq!(
        members,
        [
            ("Omar".to_owned(), Role::Editor),
            ("Rana Haddad".to_owned(), Role::Editor)
        ]
    );
}

#[tokio::test]
async fn revoking_a_role_keeps_the_account_and_says_whether_there_was_a_role() {
    let desk = newsroom().await;
    assert!(desk.revoke_role(desk.editor, desk.site).await.unwrap());
    assert!(!desk.revoke_role(desk.editor, desk.site).await.unwrap());
    assert!(desk.memberships(desk.editor).await.unwrap().is_empty());
    assert!(desk.site_members(desk.site).await.unwrap().is_empty());
    let email = Email::parse("rana@example.com").unwrap();
    assert!(desk.user_by_email(&email).await.unwrap().is_some());
}

#[tokio::test]
async fn a_session_finds_its_user_until_it_expires_or_is_deleted() {
    let desk = newsroom().await;
    desk.create_session("session-hash", desk.editor, T0, T0 + minutes(30))
        .await
        .unwrap();

    let user = desk
        .session_user("session-hash", T0 + minutes(29), T0 - minutes(100_000))
        .await
        .unwrap();
    assert_eq!(user.map(|u| u.id), Some(desk.editor));
    assert!(
        desk.session_user("session-hash", T0 + minutes(30), T0 - minutes(100_000))
            .await
            .unwrap()
            .is_none(),
        "a session is dead at its expiry time"
    );
    assert!(
        desk.session_user("other-hash", T0, T0 - minutes(100_000))
            .await
            .unwrap()
            .is_none()
    );

    desk.delete_session("session-hash").await.unwrap();
    assert!(
        desk.session_user("session-hash", T0, T0 - minutes(100_000))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_new_password_ends_every_other_session_of_the_user_but_the_current_one() {
    let desk = newsroom().await;
    let omar = add_user(&desk, "omar@example.com", "Omar").await;
    let later = T0 + minutes(60);
    for hash in ["laptop", "phone"] {
        desk.create_session(hash, desk.editor, T0, later)
            .await
            .unwrap();
    }
    desk.create_session("omar-laptop", omar, T0, later)
        .await
        .unwrap();

    desk.set_password(desk.editor, "new-hash", "laptop", &[], T0)
        .await
        .unwrap();

    assert_eq!(
        desk.password_hash(desk.editor).await.unwrap().as_deref(),
        Some("new-hash")
    );
    assert!(
        desk.session_user("laptop", T0, T0 - minutes(100_000))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        desk.session_user("phone", T0, T0 - minutes(100_000))
            .await
            .unwrap()
            .is_none()
    );
    // Other users keep their sessions.
    assert!(
        desk.session_user("omar-laptop", T0, T0 - minutes(100_000))
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn login_attempts_are_counted_per_key_until_a_wait_refuses_one() {
    let store = fresh_store().await;
    let attempt = |email, client, known_browser| dateline_store::LoginAttempt {
        email,
        client,
        known_browser,
    };
    let seen = std::cell::RefCell::new(Vec::new());
    let admit = |a: dateline_store::LoginAttempt<'static>, at, wait: i64| {
        let store = &store;
        let seen = &seen;
        async move {
            store
                .admit_login_attempt(&a, T0 - minutes(1), at, |h| {
                    seen.borrow_mut().push(*h);
                    time::Duration::seconds(wait)
                })
                .await
                .unwrap()
        }
    };
    use dateline_store::Admission;
    let first = admit(attempt("rana@example.com", "203.0.113.7", None), T0, 0).await;
    assert!(matches!(first, Admission::Counted(_)));
    let right = admit(
        attempt("rana@example.com", "198.51.100.2", Some("laptop")),
        T0 + minutes(1),
        0,
    )
    .await;
    let Admission::Counted(right) = right else {
        panic!("counted");
    };
    // The right password: that attempt alone is forgotten.
    store.forget_login_attempt(right).await.unwrap();
    for (client, device, at) in [
        ("198.51.100.2", Some("laptop"), T0 + minutes(2)),
        ("203.0.113.7", None, T0 + minutes(3)),
    ] {
        let email = if device.is_some() {
            "rana@example.com"
        } else {
            "omar@example.com"
        };
        let admitted = admit(attempt(email, client, device), at, 0).await;
        assert!(matches!(admitted, Admission::Counted(_)));
    }
    // A refused attempt is not counted.
    assert_eq!(
        admit(
            attempt("rana@example.com", "203.0.113.7", Some("laptop")),
            T0 + minutes(4),
            9
        )
        .await,
        Admission::Wait(time::Duration::seconds(9))
    );
    let last = *seen.borrow().last().unwrap();
    let history = |count, newest: Option<time::OffsetDateTime>| {
        dateline_core::accounts::AttemptHistory { count, newest }
    };
    assert_eq!(last.known_browser, Some(history(1, Some(T0 + minutes(2)))));
    assert_eq!(last.account_from_client, history(1, Some(T0)));
    assert_eq!(last.client, history(2, Some(T0 + minutes(3))));
    assert_eq!(last.account, history(2, Some(T0 + minutes(2))));
    let counts = seen.borrow().len();
    admit(
        attempt("rana@example.com", "203.0.113.7", None),
        T0 + minutes(4),
        9,
    )
    .await;
    assert_eq!(
        seen.borrow()[counts].client.count,
        2,
        "the refused one was not counted"
    );
}

#[tokio::test]
async fn known_browsers_belong_to_one_account_and_only_the_newest_are_kept() {
    let desk = newsroom().await;
    for n in 0..(dateline_store::MAX_LOGIN_DEVICES + 3) {
        desk.add_login_device(&format!("browser-{n}"), desk.editor, T0 + minutes(n))
            .await
            .unwrap();
    }
    assert_eq!(
        desk.login_device_user("browser-0", T0 - minutes(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        desk.login_device_user("browser-3", T0 - minutes(1))
            .await
            .unwrap(),
        Some(desk.editor)
    );
    assert_eq!(
        desk.login_device_user("nobody's", T0 - minutes(1))
            .await
            .unwrap(),
        None
    );
    // Past its lifetime a browser is a stranger again.
    assert_eq!(
        desk.login_device_user("browser-3", T0 + minutes(10))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn an_unused_session_ends_after_the_idle_limit_and_ended_ones_are_deleted() {
    let desk = newsroom().await;
    let day = minutes(24 * 60);
    desk.create_session("idle", desk.editor, T0, T0 + day * 30)
        .await
        .unwrap();
    // Used on day 1 and day 3: each use moves the idle limit on.
    for at in [T0 + day, T0 + day * 3] {
        assert!(
            desk.session_user("idle", at, at - day * 3)
                .await
                .unwrap()
                .is_some()
        );
    }
    // Unused for a week, it is over, although it has not expired.
    let later = T0 + day * 10;
    assert!(
        desk.session_user("idle", later, later - day * 3)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        desk.delete_ended_sessions(later, later - day * 3)
            .await
            .unwrap(),
        1
    );
}
