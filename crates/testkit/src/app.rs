//! Ready actors on a running server, so that a test reads as the story it
//! tells: a reader of each edition and the newsroom's people (a reporter,
//! an editor, a moderator, an admin of each site), logged in through the
//! login form. Accounts are made the way operators make them, with
//! `dateline user add` on the server's data directory; nothing reaches
//! around the server.

use crate::page::{article_links, between, form};
use crate::{ServerOptions, TestServer, raw_client};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::process::{Output, Stdio};

/// The password of every account the actors use.
pub const PASSWORD: &str = "correct horse battery";

/// Status, headers and body text of an answer, exactly as sent: no
/// redirect followed, nothing decompressed.
pub type Answer = (StatusCode, HeaderMap, String);

/// Someone the newsroom knows, made with `dateline user add`.
#[derive(Clone, Copy, Debug)]
pub struct Person {
    pub email: &'static str,
    pub name: &'static str,
    /// `admin`, `editor`, `reporter` or `moderator`.
    pub role: &'static str,
    /// The one site the role holds on (`courier-en`); `None` for every
    /// site of the network.
    pub site: Option<&'static str>,
}

impl Person {
    /// Rami, reporter on every site.
    pub const REPORTER: Person = Person {
        email: "rami@example.com",
        name: "Rami Reporter",
        role: "reporter",
        site: None,
    };
    /// Eda, editor on every site.
    pub const EDITOR: Person = Person {
        email: "eda@example.com",
        name: "Eda Editor",
        role: "editor",
        site: None,
    };
    /// Mona, moderator on every site.
    pub const MODERATOR: Person = Person {
        email: "mona@example.com",
        name: "Mona Moderator",
        role: "moderator",
        site: None,
    };
    /// Ada, admin of the English site (site A) only.
    pub const ADMIN_A: Person = Person {
        email: "ada@example.com",
        name: "Ada Admin",
        role: "admin",
        site: Some("courier-en"),
    };
    /// Basma, admin of the Arabic edition (site B) only.
    pub const ADMIN_B: Person = Person {
        email: "basma@example.com",
        name: "Basma Admin",
        role: "admin",
        site: Some("courier-ar"),
    };

    /// Someone else with `role` on every site.
    pub const fn new(email: &'static str, name: &'static str, role: &'static str) -> Person {
        Person {
            email,
            name,
            role,
            site: None,
        }
    }
}

/// A running server with its actors. Dereferences to the [`TestServer`]
/// (URLs, restarts, the data directory).
pub struct TestApp {
    server: TestServer,
}

impl TestApp {
    /// Starts `binary serve` with the demo network on a free port.
    pub fn start(binary: &str) -> TestApp {
        TestApp::on(TestServer::start(binary))
    }

    /// Starts the server with `options` (settings in the environment,
    /// no demo).
    pub fn start_with(binary: &str, options: ServerOptions) -> TestApp {
        TestApp::on(TestServer::start_with(binary, options))
    }

    /// Actors for a server already started.
    pub fn on(server: TestServer) -> TestApp {
        TestApp { server }
    }

    /// A reader of the English site (site A).
    pub fn reader(&self) -> Reader<'_> {
        self.reader_of("")
    }

    /// A reader of the edition under `prefix` (`""`, or `"/ar"` for the
    /// Arabic edition).
    pub fn reader_of<'a>(&'a self, prefix: &'a str) -> Reader<'a> {
        Reader {
            server: &self.server,
            prefix,
        }
    }

    /// [`Person::REPORTER`], logged in.
    pub async fn reporter(&self) -> Staff<'_> {
        self.join(Person::REPORTER).await
    }

    /// [`Person::EDITOR`], logged in.
    pub async fn editor(&self) -> Staff<'_> {
        self.join(Person::EDITOR).await
    }

    /// [`Person::MODERATOR`], logged in.
    pub async fn moderator(&self) -> Staff<'_> {
        self.join(Person::MODERATOR).await
    }

    /// [`Person::ADMIN_A`], admin of the English site, logged in.
    pub async fn admin_a(&self) -> Staff<'_> {
        self.join(Person::ADMIN_A).await
    }

    /// [`Person::ADMIN_B`], admin of the Arabic edition, logged in.
    pub async fn admin_b(&self) -> Staff<'_> {
        self.join(Person::ADMIN_B).await
    }

    /// Makes `person`'s account with [`PASSWORD`] and logs in through the
    /// English newsroom's login form.
    pub async fn join(&self, person: Person) -> Staff<'_> {
        self.add(person);
        let (status, headers, body) = log_in(&self.server, person.email, PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        Staff {
            server: &self.server,
            cookie: session_cookie(&headers),
        }
    }

    /// Makes `person`'s account with [`PASSWORD`] on the command line,
    /// without logging in (for browser tests, which log in themselves).
    pub fn add(&self, person: Person) {
        let mut args = vec![
            "--email",
            person.email,
            "--name",
            person.name,
            "--role",
            person.role,
        ];
        if let Some(site) = person.site {
            args.extend(["--site", site]);
        }
        args.push("--password-stdin");
        let out = self.add_user(&args, Some(&format!("{PASSWORD}\n")));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `dateline user add ARGS` on the server's data directory, with
    /// `stdin` as its input.
    pub fn add_user(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = self
            .server
            .command()
            .args(["user", "add"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run dateline user add");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(input.as_bytes())
                .expect("write to dateline user add");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("dateline user add ends")
    }

    /// Makes an account with `role` on every site and an API token for
    /// it (`dateline token add`); returns the token.
    pub fn api_token(&self, email: &str, role: &str) -> String {
        let out = self.add_user(
            &["--email", email, "--role", role, "--password-stdin"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = self
            .server
            .command()
            .args(["token", "add", "--email", email, "--name", "importer"])
            .output()
            .expect("run dateline token add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        stdout
            .split_whitespace()
            .find(|word| word.starts_with("dl_"))
            .unwrap_or_else(|| panic!("no token printed: {stdout}"))
            .to_owned()
    }

    /// Posts a form from the server's own pages (same origin), with
    /// `headers` added, and no cookie.
    pub async fn post_form(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut all = vec![("origin", self.server.base.as_str())];
        all.extend_from_slice(headers);
        post(&self.server, path, form(pairs), &all).await
    }

    /// The first article listed on the politics page of the edition
    /// under `prefix` (its newest there): its id and path.
    pub async fn an_article(&self, prefix: &str) -> (i64, String) {
        let path = self
            .first_article_on(&format!("{prefix}/politics"), prefix)
            .await;
        (crate::page::article_id(&path), path)
    }

    /// The path of the first article linked from the page at `path` of
    /// the edition under `prefix`.
    pub async fn first_article_on(&self, path: &str, prefix: &str) -> String {
        let (status, _, page) = get(&self.server, path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        article_links(&page, prefix)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no article linked from {path}"))
    }
}

impl Deref for TestApp {
    type Target = TestServer;

    fn deref(&self) -> &TestServer {
        &self.server
    }
}

impl DerefMut for TestApp {
    fn deref_mut(&mut self) -> &mut TestServer {
        &mut self.server
    }
}

/// A member of the newsroom with a session. The session cookie is the one
/// the login gave and stays as it was: a test that ends sessions sees
/// the server refuse it rather than a quietly renewed one.
pub struct Staff<'a> {
    pub server: &'a TestServer,
    /// `name=value` of the session cookie.
    pub cookie: String,
}

impl Staff<'_> {
    /// GET with the session.
    pub async fn get(&self, path: &str) -> Answer {
        get(self.server, path, &[("cookie", &self.cookie)]).await
    }

    /// Posts a newsroom form with the session, from the server's own
    /// pages (same origin).
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        post(
            self.server,
            path,
            form(pairs),
            &[("cookie", &self.cookie), ("origin", &self.server.base)],
        )
        .await
    }

    /// Writes an article in the English newsroom's first section with a
    /// one-paragraph body, and takes the workflow `action` (`save`,
    /// `submit`, `publish`, `schedule`); `extra` adds or replaces fields.
    /// Returns its id.
    pub async fn write_article(&self, headline: &str, action: &str, extra: &[(&str, &str)]) -> i64 {
        let section = self.first_section().await;
        let mut pairs = vec![
            ("headline", headline),
            ("section", section.as_str()),
            ("body_html", "<p>First paragraph.</p>"),
            ("action", action),
            ("version", "0"),
        ];
        pairs.extend_from_slice(extra);
        let (status, headers, body) = self.post("/newsroom/articles", &pairs).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        crate::page::saved_article_id(headers["location"].to_str().unwrap())
    }

    /// Writes and saves a draft; returns its id.
    pub async fn write_draft(&self, headline: &str) -> i64 {
        self.write_article(headline, "save", &[]).await
    }

    /// Writes and publishes an article; returns its id.
    pub async fn publish_article(&self, headline: &str) -> i64 {
        self.write_article(headline, "publish", &[]).await
    }

    /// The value of the first section offered by the English newsroom's
    /// article form.
    pub async fn first_section(&self) -> String {
        let (status, _, body) = self.get("/newsroom/articles/new").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        first_option(&body, r#"<select id="section""#)
    }

    /// Saves the article's editor form with `pairs`, starting from the
    /// version and section the editor shows now.
    pub async fn edit(&self, id: i64, pairs: &[(&str, &str)]) -> Answer {
        let version = self.version(id).await;
        let section = self.first_section().await;
        let mut all = vec![("version", version.as_str()), ("section", section.as_str())];
        all.extend_from_slice(pairs);
        self.post(&format!("/newsroom/articles/{id}"), &all).await
    }

    /// The version field of the article's editor.
    pub async fn version(&self, id: i64) -> String {
        let (_, _, body) = self.get(&format!("/newsroom/articles/{id}")).await;
        between(&body, r#"name="version" value=""#, "\"").to_owned()
    }

    /// Takes `decision` (`approve`, `reject`) on every comment waiting in
    /// the English site's moderation queue.
    pub async fn decide_all(&self, decision: &str) {
        let (_, _, queue) = self.get("/newsroom/comments").await;
        let ids: Vec<String> = queue
            .split(r#"name="ids" value=""#)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect();
        let mut pairs: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", id.as_str())).collect();
        pairs.push(("decision", decision));
        let (status, _, _) = self.post("/newsroom/comments/decide", &pairs).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
}

/// The value of the first non-empty option of the select that `select`
/// opens (`<select id="section"`).
pub fn first_option(page: &str, select: &str) -> String {
    between(
        &between(page, select, "</select>").replace(r#"<option value="">"#, ""),
        r#"<option value=""#,
        "\"",
    )
    .to_owned()
}

/// The fields of the comment form the [`Reader`] sends unless told
/// otherwise: Samir Haddad's fair point.
pub const COMMENT: [(&str, &str); 5] = [
    ("name", "Samir Haddad"),
    ("email", "samir@example.com"),
    ("title", "A fair point"),
    ("body", "The council should publish the budget in full."),
    ("agree", "1"),
];

/// A reader's browser without a script engine: it solves the comment
/// form's proof of work as the page's script does and sends the form.
pub struct Reader<'a> {
    server: &'a TestServer,
    /// `""` for the English site, `"/ar"` for the Arabic edition.
    prefix: &'a str,
}

impl<'a> Reader<'a> {
    /// A reader of the edition under `prefix` of `server`.
    pub fn on(server: &'a TestServer, prefix: &'a str) -> Reader<'a> {
        Reader { server, prefix }
    }

    /// Asks for a proof-of-work challenge and solves it: returns the
    /// cookie naming the code and the proof.
    pub async fn solve_code(&self) -> (String, String) {
        self.solve_code_with(&[]).await
    }

    /// [`Reader::solve_code`] with `headers` added to the request (the
    /// reader's address behind a proxy).
    pub async fn solve_code_with(&self, headers: &[(&str, &str)]) -> (String, String) {
        let mut request = raw_client().get(
            self.server
                .url(&format!("{}/comments/challenge", self.prefix)),
        );
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "a challenge is handed out"
        );
        assert_eq!(response.headers()["cache-control"], "no-store");
        let cookie = session_cookie(response.headers());
        let challenge: serde_json::Value = response.json().await.unwrap();
        let salt = challenge["salt"].as_str().unwrap();
        let wanted = challenge["challenge"].as_str().unwrap();
        let max = challenge["max"].as_u64().unwrap();
        let proof = (0..max)
            .find(|n| {
                let digest = Sha256::digest(format!("{salt}{n}").as_bytes());
                digest
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
                    == wanted
            })
            .expect("the challenge has an answer");
        (cookie, proof.to_string())
    }

    /// Comments on an article with a freshly solved code: [`COMMENT`]
    /// with `fields` replacing its defaults.
    pub async fn comment_on(&self, article: i64, fields: &[(&str, &str)]) -> Answer {
        self.comment_with(article, fields, &[]).await
    }

    /// [`Reader::comment_on`] with `headers` added to the request.
    pub async fn comment_with(
        &self,
        article: i64,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let (cookie, proof) = self.solve_code_with(headers).await;
        self.send(article, fields, &cookie, &proof, headers).await
    }

    /// Sends the comment form of an article with the given code cookie
    /// and proof, right or wrong.
    pub async fn send_comment(
        &self,
        article: i64,
        fields: &[(&str, &str)],
        cookie: &str,
        proof: &str,
    ) -> Answer {
        self.send(article, fields, cookie, proof, &[]).await
    }

    async fn send(
        &self,
        article: i64,
        fields: &[(&str, &str)],
        cookie: &str,
        proof: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut pairs: Vec<(&str, &str)> = COMMENT.to_vec();
        pairs.push(("proof", proof));
        for (key, value) in fields {
            pairs.retain(|(k, _)| k != key);
            pairs.push((key, value));
        }
        let mut all = vec![("cookie", cookie), ("origin", self.server.base.as_str())];
        all.extend_from_slice(headers);
        post(
            self.server,
            &format!("{}/comments/{article}", self.prefix),
            form(&pairs),
            &all,
        )
        .await
    }
}

/// GET `path` with `headers`, without following redirects.
pub async fn get(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = raw_client().get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    (status, headers, body)
}

/// POSTs a URL-encoded `body` with exactly `headers` (no origin added),
/// without following redirects.
pub async fn post(
    server: &TestServer,
    path: &str,
    body: String,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = raw_client()
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

/// Posts the English newsroom's login form from its own page.
pub async fn log_in(server: &TestServer, email: &str, password: &str) -> Answer {
    post(
        server,
        "/newsroom/login",
        form(&[("email", email), ("password", password)]),
        &[("origin", &server.base)],
    )
    .await
}

/// `name=value` of the first cookie an answer sets.
pub fn session_cookie(headers: &HeaderMap) -> String {
    headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The public path of an article, from the permanent redirect of its
/// bare-id URL `/{section}/{id}` (any section); `None` when readers
/// cannot see it.
pub async fn public_path(server: &TestServer, id: i64, section: &str) -> Option<String> {
    let (status, headers, _) = get(server, &format!("/{section}/{id}"), &[]).await;
    (status == StatusCode::MOVED_PERMANENTLY)
        .then(|| headers["location"].to_str().unwrap().to_owned())
}
