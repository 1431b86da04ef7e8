//! Logging in under attack: bursts of guesses, the bound on password
//! checks, and backing off without shutting anyone out.

use crate::app;
use crate::newsroom::editor;
use dateline_testkit::{PASSWORD, TestApp, form, log_in, raw_client};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

#[tokio::test]
async fn a_burst_of_guesses_at_one_account_checks_no_more_passwords_than_the_throttle_allows() {
    let app = app();
    editor(&app);
    let guesses = (0..20)
        .map(|i| ("rana@example.com".to_owned(), format!("guess number {i}")))
        .collect();
    let answers = burst(&app, guesses).await;
    let checked = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 20, "every guess answered 401 or 429");
    assert!(
        checked <= 5,
        "{checked} passwords were checked for one account in one burst"
    );
}

#[tokio::test]
async fn a_burst_of_logins_past_the_hashing_bound_is_told_to_retry() {
    let app = app();
    // Different addresses, so only the bound on password checks running
    // at once (not the per-account throttle) can refuse them.
    let logins = (0..40)
        .map(|i| (format!("reader{i}@example.com"), "a guess at it".to_owned()))
        .collect();
    let answers = burst(&app, logins).await;
    assert!(
        answers.iter().all(|(status, _, _)| matches!(
            *status,
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
        )),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let busy: Vec<_> = answers
        .iter()
        .filter(|(_, headers, _)| headers.contains_key("retry-after"))
        .collect();
    assert!(!busy.is_empty(), "no login was told to retry");
    for (status, _, _) in &busy {
        assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
    }
    // Past the bound on password checks: retry in a moment. (From one
    // client, the rest are slowed by its back-off instead.)
    assert!(
        busy.iter()
            .any(|(_, headers, body)| headers["retry-after"] == "1"
                && body.contains("Try again in a moment")),
        "no login was refused for the bound on password checks"
    );
}

/// Posts these login forms all at once, as separate clients would, and
/// gathers the answers: status, headers, page.
async fn burst(
    app: &TestApp,
    logins: Vec<(String, String)>,
) -> Vec<(StatusCode, HeaderMap, String)> {
    let url = app.url("/newsroom/login");
    let origin = app.base.clone();
    let mut set = tokio::task::JoinSet::new();
    for (email, password) in logins {
        let (url, origin) = (url.clone(), origin.clone());
        set.spawn(async move {
            let response = raw_client()
                .post(url)
                .header("origin", origin)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(&[("email", &email), ("password", &password)]))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            (status, headers, response.text().await.unwrap())
        });
    }
    set.join_all().await
}

/// The known-browser cookie an answer sets, as `name=value`.
fn browser_cookie(headers: &HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dateline_browser="))
        .expect("a browser that logs in is given a known-browser cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Logs in from a browser that sends `cookie`.
async fn log_in_with(app: &TestApp, email: &str, cookie: &str) -> dateline_testkit::Answer {
    dateline_testkit::post(
        app,
        "/newsroom/login",
        form(&[("email", email), ("password", PASSWORD)]),
        &[("origin", &app.base), ("cookie", cookie)],
    )
    .await
}

#[tokio::test]
async fn guessing_at_a_journalists_account_slows_strangers_but_never_keeps_her_browser_out() {
    let app = app();
    editor(&app);
    let (status, headers, _) = log_in(&app, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let browser = browser_cookie(&headers);

    // A colleague logs in on the same computer: the cookie keeps both.
    app.add(dateline_testkit::Person::EDITOR);
    let (status, headers, _) = log_in_with(&app, "eda@example.com", &browser).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let shared = browser_cookie(&headers);
    assert!(shared.starts_with(&format!("{browser}.")), "{shared}");
    let browser = shared;

    // Someone guesses from the same address (as everyone behind one proxy
    // would look): once past the free tries, they wait, with Retry-After.
    let mut waited = None;
    for n in 0..30 {
        let (status, headers, _) = log_in(&app, "rana@example.com", &format!("guess {n}")).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            waited = Some(
                headers["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            );
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert!(waited.is_some_and(|s| (1..=900).contains(&s)), "{waited:?}");
    // A stranger's browser with the right password waits too...
    let (status, _, body) = log_in(&app, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Try again in"), "{body}");
    // ...but hers goes straight in.
    let (status, _, _) = log_in_with(&app, "rana@example.com", &browser).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
