//! The authorization matrix. Every state-changing route is read from the
//! `routes()` source of the web crate, so a new route cannot be added
//! without saying here who may use it; each is then tried as nobody, as
//! every role of the English site, and as the administrator of the Arabic
//! edition alone, and only the allowed get past authorization. Posts from
//! another site are refused whoever sends them.

use dateline_testkit::{Person, TestApp, raw_client};
use reqwest::StatusCode;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allowed {
    /// Anyone, without an account: logins, reader comments, the hub.
    Public,
    /// Staff of the site with one of these roles (by session).
    Roles(&'static [&'static str]),
    /// Clients with an API token of one of these roles on the site.
    Tokens(&'static [&'static str]),
}

const WRITERS: &[&str] = &["reporter", "editor", "admin"];
const EDITORS: &[&str] = &["editor", "admin"];
const MODERATORS: &[&str] = &["moderator", "editor", "admin"];
const ADMINS: &[&str] = &["admin"];
const STAFF: &[&str] = &["reporter", "editor", "moderator", "admin"];

/// The expectation for every state-changing route, with the form sent.
/// `{draft}` is an editor's draft of the English site, `{article}` a
/// published one, `{term}` one of its sections, tags or authors, `{user}`
/// a journalist's account kept for the purpose.
const MATRIX: &[(&str, &str, Allowed, &str)] = &[
    (
        "POST",
        "/newsroom/login",
        Allowed::Public,
        "email=x%40example.com&password=x",
    ),
    ("POST", "/newsroom/setup", Allowed::Public, ""),
    ("POST", "/newsroom/logout", Allowed::Public, ""),
    (
        "POST",
        "/newsroom/invitation",
        Allowed::Public,
        "token=none",
    ),
    ("POST", "/comments/verify", Allowed::Public, "token=none"),
    ("POST", "/comments/{article}", Allowed::Public, ""),
    (
        "POST",
        "/comments/report/{comment}",
        Allowed::Public,
        "reason=spam",
    ),
    ("POST", "/websub", Allowed::Public, ""),
    (
        "POST",
        "/newsroom/articles",
        Allowed::Roles(WRITERS),
        "headline=Matrix&body=Text",
    ),
    (
        "POST",
        "/newsroom/articles/{draft}",
        Allowed::Roles(EDITORS),
        "headline=Matrix&body=Text&version=1",
    ),
    (
        "POST",
        "/newsroom/articles/{draft}/autosave",
        Allowed::Roles(EDITORS),
        "headline=Matrix&body=Text",
    ),
    (
        "POST",
        "/newsroom/articles/{draft}/delete",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/articles/{draft}/restore",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/articles/{draft}/revisions/1/restore",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/corrections",
        Allowed::Roles(EDITORS),
        "note=Fixed",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/live/start",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/live",
        Allowed::Roles(WRITERS),
        "body_html=Matrix",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/live/correct",
        Allowed::Roles(EDITORS),
        "seq=1&body_html=Matrix&correction=Matrix",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/live/remove",
        Allowed::Roles(EDITORS),
        "seq=1&correction=Matrix",
    ),
    (
        "POST",
        "/newsroom/articles/{article}/live/end",
        Allowed::Roles(EDITORS),
        "",
    ),
    ("POST", "/newsroom/settings", Allowed::Roles(ADMINS), ""),
    (
        "POST",
        "/newsroom/comments/decide",
        Allowed::Roles(MODERATORS),
        "decision=approve",
    ),
    (
        "POST",
        "/newsroom/comments/ban",
        Allowed::Roles(MODERATORS),
        "kind=email&value=",
    ),
    (
        "POST",
        "/newsroom/comments/bans/999999/delete",
        Allowed::Roles(MODERATORS),
        "",
    ),
    (
        "POST",
        "/newsroom/users",
        Allowed::Roles(ADMINS),
        "email=&role=reporter",
    ),
    (
        "POST",
        "/newsroom/users/{user}/role",
        Allowed::Roles(ADMINS),
        "role=reporter",
    ),
    (
        "POST",
        "/newsroom/users/{user}/remove",
        Allowed::Roles(ADMINS),
        "",
    ),
    (
        "POST",
        "/newsroom/users/invitations/999999/withdraw",
        Allowed::Roles(ADMINS),
        "",
    ),
    (
        "POST",
        "/newsroom/account",
        Allowed::Roles(STAFF),
        "current=wrong&password=&confirm=",
    ),
    (
        "POST",
        "/newsroom/account/tokens",
        Allowed::Roles(STAFF),
        "name=",
    ),
    (
        "POST",
        "/newsroom/account/tokens/revoke",
        Allowed::Roles(STAFF),
        "name=none",
    ),
    (
        "POST",
        "/newsroom/sections",
        Allowed::Roles(EDITORS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/sections/{term}",
        Allowed::Roles(EDITORS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/sections/{term}/delete",
        Allowed::Roles(EDITORS),
        "",
    ),
    ("POST", "/newsroom/tags", Allowed::Roles(EDITORS), "name="),
    (
        "POST",
        "/newsroom/tags/{term}",
        Allowed::Roles(EDITORS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/tags/{term}/delete",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/authors",
        Allowed::Roles(EDITORS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/authors/{term}",
        Allowed::Roles(EDITORS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/authors/{term}/delete",
        Allowed::Roles(EDITORS),
        "",
    ),
    ("POST", "/newsroom/media", Allowed::Roles(WRITERS), ""),
    (
        "POST",
        "/newsroom/redirects",
        Allowed::Roles(EDITORS),
        "old=&target=",
    ),
    (
        "POST",
        "/newsroom/redirects/delete",
        Allowed::Roles(EDITORS),
        "old=/nowhere",
    ),
    (
        "POST",
        "/newsroom/wire/999999/take",
        Allowed::Roles(WRITERS),
        "take=draft",
    ),
    (
        "POST",
        "/newsroom/wire/999999/apply",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/wire/999999/dismiss",
        Allowed::Roles(EDITORS),
        "",
    ),
    (
        "POST",
        "/newsroom/wire/sources",
        Allowed::Roles(ADMINS),
        "name=",
    ),
    (
        "POST",
        "/newsroom/wire/sources/none/subjects",
        Allowed::Roles(ADMINS),
        "subject=",
    ),
    ("POST", "/api/v1/articles", Allowed::Tokens(WRITERS), "{}"),
    (
        "POST",
        "/api/v1/articles/{article}/live/entries",
        Allowed::Tokens(WRITERS),
        "{\"body_html\":\"Matrix\"}",
    ),
    (
        "PUT",
        "/api/v1/articles/{draft}",
        Allowed::Tokens(EDITORS),
        "{}",
    ),
];

fn web_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text inside the parentheses that open at `start`.
fn balanced(text: &str, start: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[start..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[start + 1..start + i];
                }
            }
            _ => {}
        }
    }
    &text[start + 1..]
}

/// Every `(METHOD, path)` the web crate routes with `post` or `put`, read
/// from its source: `.route(PATH, …)` calls, where PATH is a literal, a
/// constant, or the term routes' `base` (one per kind of term).
fn state_changing_routes() -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(&web_source(), &mut files);
    let sources: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let constant = |name: &str| {
        sources.iter().find_map(|s| {
            let at = s.find(&format!("const {name}: &str = \""))?;
            let rest = &s[at..];
            let open = rest.find('"')? + 1;
            let close = rest[open..].find('"')?;
            Some(rest[open..open + close].to_owned())
        })
    };
    let mut routes = BTreeSet::new();
    for source in &sources {
        let mut from = 0;
        while let Some(at) = source[from..].find(".route(") {
            let open = from + at + ".route".len();
            let call = balanced(source, open);
            from = open + 1;
            let first = call.split(',').next().unwrap_or_default().trim();
            let handlers = &call[first.len()..];
            let methods: Vec<&str> = [("POST", "post("), ("PUT", "put(")]
                .into_iter()
                .filter(|(_, token)| handlers.contains(token))
                .map(|(method, _)| method)
                .collect();
            if methods.is_empty() {
                continue;
            }
            let paths: Vec<String> = if let Some(literal) = first.strip_prefix('"') {
                vec![literal.trim_end_matches('"').to_owned()]
            } else if first.contains("base") {
                let suffix = first
                    .split("{base}")
                    .nth(1)
                    .map(|s| {
                        s.split('"')
                            .next()
                            .unwrap_or_default()
                            .replace("{{", "{")
                            .replace("}}", "}")
                    })
                    .unwrap_or_default();
                ["sections", "tags", "authors"]
                    .iter()
                    .map(|kind| format!("/newsroom/{kind}{suffix}"))
                    .collect()
            } else {
                vec![constant(first).unwrap_or_else(|| panic!("route path {first} not found"))]
            };
            for method in methods {
                for path in &paths {
                    routes.insert((method.to_owned(), path.clone()));
                }
            }
        }
    }
    routes
}

#[test]
fn every_state_changing_route_says_who_may_use_it() {
    let routed = state_changing_routes();
    assert!(routed.len() > 25, "the routes were read: {routed:?}");
    let expected: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(method, path, _, _)| {
            let path = path
                .replace("{draft}", "{id}")
                .replace(
                    "{article}",
                    if path.starts_with("/comments") {
                        "{article}"
                    } else {
                        "{id}"
                    },
                )
                .replace("{term}", "{id}")
                .replace("{user}", "{id}")
                .replace("/bans/999999/", "/bans/{id}/")
                .replace("/invitations/999999/", "/invitations/{id}/")
                .replace("/revisions/1/", "/revisions/{number}/")
                .replace("/wire/999999/", "/wire/{id}/")
                .replace("/sources/none/", "/sources/{name}/");
            (method.to_string(), path)
        })
        .collect();
    let unlisted: Vec<_> = routed.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&routed).collect();
    assert!(
        unlisted.is_empty(),
        "routes missing from the matrix: {unlisted:?}"
    );
    assert!(stale.is_empty(), "matrix rows for no route: {stale:?}");
}

/// Runs `dateline` with `args` on the server's data directory.
fn cli(app: &TestApp, args: &[&str]) -> String {
    let out = app.command().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn token_of(app: &TestApp, email: &str) -> String {
    let out = cli(app, &["token", "add", "--email", email, "--name", "matrix"]);
    out.split_whitespace()
        .find(|w| w.starts_with("dl_"))
        .unwrap()
        .to_owned()
}

/// Whether an answer is a refusal by authorization: 401, 403, or the way
/// to the login page.
fn refused(status: StatusCode, location: &str) -> bool {
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || (status == StatusCode::SEE_OTHER && location.contains("/newsroom/login"))
}

#[tokio::test]
async fn only_the_allowed_get_past_authorization_on_any_state_changing_route() {
    let app = dateline_testkit::TestApp::start(crate::BINARY);
    let editor = app.editor().await;
    let draft = editor.write_draft("A draft for the matrix").await;
    let (article, _) = app.an_article("").await;
    let admin = app.admin_a().await;
    let mut sessions = vec![
        ("nobody", None),
        ("editor", Some(editor.cookie.clone())),
        ("admin", Some(admin.cookie.clone())),
    ];
    for (name, person) in [
        ("reporter", Person::REPORTER),
        ("moderator", Person::MODERATOR),
        ("other site's admin", Person::ADMIN_B),
    ] {
        sessions.push((name, Some(app.join(person).await.cookie)));
    }
    let mut tokens = vec![("nobody", None)];
    for (name, email) in [
        ("reporter", Person::REPORTER.email),
        ("editor", Person::EDITOR.email),
        ("moderator", Person::MODERATOR.email),
        ("admin", Person::ADMIN_A.email),
        ("other site's admin", Person::ADMIN_B.email),
    ] {
        tokens.push((name, Some(token_of(&app, email))));
    }
    app.add(Person {
        email: "target@example.com",
        name: "Matrix Target",
        role: "reporter",
        site: Some("courier-en"),
    });
    let (_, _, people) = admin.get("/newsroom/users").await;
    let row = &people[people.find("target@example.com").unwrap()..];
    let user = crate::between(row, "/newsroom/users/", "/role").to_owned();
    assert!(user.parse::<i64>().is_ok(), "the target's id: {user}");
    let (_, _, sections) = admin.get("/newsroom/sections").await;
    let term = crate::between(&sections, "/newsroom/sections/", "\"").to_owned();
    assert!(term.parse::<i64>().is_ok(), "a section id: {term}");

    let client = raw_client();
    let mut wrong = Vec::new();
    for (method, pattern, allowed, body) in MATRIX {
        let path = pattern
            .replace("{draft}", &draft.to_string())
            .replace("{article}", &article.to_string())
            .replace("{term}", &term)
            .replace("{user}", &user);
        let (actors, api) = match allowed {
            Allowed::Public => continue,
            Allowed::Roles(_) => (&sessions, false),
            Allowed::Tokens(_) => (&tokens, true),
        };
        let roles = match allowed {
            Allowed::Roles(r) | Allowed::Tokens(r) => *r,
            Allowed::Public => &[][..],
        };
        // Those refused go first: a refusal changes nothing, while an
        // allowed delete would hide the article from those after it.
        let mut actors: Vec<_> = actors.iter().collect();
        actors.sort_by_key(|(name, _)| roles.contains(name));
        for (name, credential) in actors {
            let request = client
                .request(method.parse().unwrap(), app.url(&path))
                .header("origin", &app.base);
            let mut request = if api {
                request
                    .header("content-type", "application/json")
                    .body(body.to_string())
            } else if path == "/newsroom/media" {
                request
                    .header("content-type", "multipart/form-data; boundary=matrix")
                    .body("--matrix--\r\n")
            } else {
                request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.to_string())
            };
            if let Some(credential) = credential {
                request = if api {
                    request.header("authorization", format!("Bearer {credential}"))
                } else {
                    request.header("cookie", credential)
                };
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let may = roles.contains(name);
            if status.is_server_error() || refused(status, &location) == may {
                wrong.push(format!("{method} {path} as {name}: {status} {location}"));
            }
        }
    }
    assert!(wrong.is_empty(), "wrong answers:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn posts_from_another_site_are_refused_on_every_form() {
    let app = dateline_testkit::TestApp::start(crate::BINARY);
    let admin = app.admin_a().await;
    let draft = admin.write_draft("A draft for the cross-site check").await;
    let (article, _) = app.an_article("").await;
    let client = raw_client();
    let mut wrong = Vec::new();
    for (method, pattern, allowed, body) in MATRIX {
        // Machines post to the API and the hub from anywhere, with tokens
        // or signatures, never with cookies.
        if matches!(allowed, Allowed::Tokens(_)) || *pattern == "/websub" {
            continue;
        }
        let path = pattern
            .replace("{draft}", &draft.to_string())
            .replace("{article}", &article.to_string())
            .replace("{comment}", "1")
            .replace("{term}", "1")
            .replace("{user}", "1");
        for headers in [
            [
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
            [("origin", "https://evil.example"), ("x-none", "")],
        ] {
            let mut request = client
                .request(method.parse().unwrap(), app.url(&path))
                .header("cookie", &admin.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_string());
            for (name, value) in headers {
                request = request.header(name, value);
            }
            let status = request.send().await.unwrap().status();
            if status != StatusCode::FORBIDDEN {
                wrong.push(format!("{method} {path} {headers:?}: {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "not refused:\n{}", wrong.join("\n"));
}
