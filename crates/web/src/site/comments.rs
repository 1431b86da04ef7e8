//! Reader comments on the public site: the list under each article, the
//! form with its security code, and taking a comment in.
//!
//! Article pages stay the same for every reader (and cacheable): the
//! security code is not in the page but behind it. The image
//! (`/comments/code.png`) and the proof-of-work challenge
//! (`/comments/challenge`) each make a fresh one-time code and bind it to
//! the browser with a short-lived cookie; the form's answer is checked
//! against the code that cookie names, once.

use crate::AppState;
use crate::error::AppError;
use crate::http::CacheKind;
use crate::http::see_other;
use crate::network::Edition;
use crate::render::comments::{CommentsQuery, ReturnedForm, view};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_core::comments::SecurityMode;
use dateline_core::comments::{self, CommentInput};
use dateline_core::security_code::{CODE_LIFETIME_MINUTES, NewCode};
use dateline_core::{Article, ArticleId, article_path};
use dateline_newsdesk::comments::{
    Accepted, CodeError, CommentError, ConfirmationLetter, Letter, ModerationError, Submission,
};
use serde::Serialize;
use time::OffsetDateTime;

const CODE_COOKIE: &str = "dateline_code";
/// The key of a browser whose reader followed a confirmation link: what
/// trust goes with (`Newsdesk::confirm_commenter`). One per site, so the
/// editions of a network, on one host, keep their own.
fn commenter_cookie(site: &dateline_core::Site) -> String {
    format!("dateline_commenter_{}", site.id.0)
}
/// A commenter key is kept a year.
const COMMENTER_KEY_SECONDS: i64 = 365 * 24 * 3600;
/// Largest comment form accepted; more is refused with 413 before reading.
pub(super) const MAX_FORM_BYTES: usize = 64 * 1024;
/// Makes and stores a fresh code; the cookie names it.
async fn fresh_code(
    app: &AppState,
    edition: &Edition,
    client: std::net::IpAddr,
) -> Result<(NewCode, HeaderValue), AppError> {
    let code = match app.desk.issue_security_code(&client.to_string()).await {
        Ok(code) => code,
        Err(CodeError::Busy) => {
            return Err(AppError::Refused(
                StatusCode::TOO_MANY_REQUESTS,
                "comment-code-busy",
            ));
        }
        Err(CodeError::Failed(failure)) => return Err(failure.into()),
    };
    let secure = if edition.is_https() { "; Secure" } else { "" };
    // The id is hex: always a valid header value.
    let cookie = HeaderValue::from_str(&format!(
        "{CODE_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        code.id,
        CODE_LIFETIME_MINUTES * 60
    ))
    .unwrap_or(HeaderValue::from_static(""));
    Ok((code, cookie))
}

/// `GET /comments/code.png`: a new one-time code drawn as an image.
pub(super) async fn code_image(
    State(app): State<AppState>,
    edition: Edition,
    crate::http::ClientIp(client): crate::http::ClientIp,
) -> Result<Response, AppError> {
    let (code, cookie) = fresh_code(&app, &edition, client).await?;
    let seed = u64::from_str_radix(&code.id[..16], 16).unwrap_or(7);
    let text = code.code.clone();
    let png = tokio::task::spawn_blocking(move || dateline_media::captcha_png(&text, seed))
        .await
        .map_err(AppError::Blocking)?
        .map_err(AppError::Drawing)?;
    let mut response = png.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    headers.insert(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Serialize)]
struct Challenge {
    algorithm: &'static str,
    salt: String,
    challenge: String,
    max: u32,
}

/// `GET /comments/challenge`: a new one-time proof-of-work challenge;
/// none where the site chose the image code, which the work cannot pass.
pub(super) async fn challenge(
    State(app): State<AppState>,
    edition: Edition,
    crate::http::ClientIp(client): crate::http::ClientIp,
) -> Result<Response, AppError> {
    if edition.site().comments.security == SecurityMode::Image {
        return Err(AppError::NotFound);
    }
    let (code, cookie) = fresh_code(&app, &edition, client).await?;
    let mut response = Json(Challenge {
        algorithm: "SHA-256",
        salt: code.pow_salt,
        challenge: code.pow_challenge,
        max: code.pow_max,
    })
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    headers.insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The value of the cookie `wanted`, if the browser sent one.
fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == wanted && !value.is_empty()).then(|| value.to_owned())
        })
}

fn parse_form(body: &[u8]) -> CommentInput {
    let mut input = CommentInput::default();
    for (key, value) in form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "name" => input.name = value,
            "email" => input.email = value,
            "title" => input.title = value,
            "body" => input.body = value,
            "agree" => input.agree = value,
            "code" => input.code = value,
            "proof" => input.proof = value,
            "website" => input.website = value,
            _ => {}
        }
    }
    input
}

/// `POST /comments/{article}`: hands the comment to the application,
/// then sends the reader back to the article to see what became of it. A
/// refusal shows the article again with the form as typed.
pub(super) async fn submit(
    State(app): State<AppState>,
    edition: Edition,
    Path(article_id): Path<i64>,
    crate::http::ClientIp(peer): crate::http::ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let site = edition.site();
    let text = |id: &str| app.translations.text(site.lang, id, None).into_owned();
    if !crate::http::is_same_origin(&headers) {
        return Err(AppError::Forbidden(text("comment-cross-site")));
    }
    let now = OffsetDateTime::now_utc();
    let article = app
        .db
        .published_article(site.id, ArticleId(article_id), now)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = parse_form(&body);
    let client = peer.to_string();
    let code_id = cookie(&headers, CODE_COOKIE);
    let commenter_key = cookie(&headers, &commenter_cookie(site));
    let letter = VerificationLetter {
        app: &app,
        edition: &edition,
    };
    let sent = Submission {
        article: &article,
        input: &input,
        client_ip: &client,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
        code_id: code_id.as_deref(),
        commenter_key: commenter_key.as_deref(),
        letter: &letter,
    };
    let path = article_path(&article.section.slug, article.id, &article.slug);
    let back = |notice: &str, anchor: &str| {
        Ok(see_other(
            &edition.url(&format!("{path}?comment={notice}#{anchor}")),
        ))
    };
    let (errors, message, status) = match app.desk.submit_comment(sent).await {
        Ok(Accepted::Published(id)) => return back("published", &format!("comment-{id}")),
        Ok(Accepted::Held | Accepted::Ignored) => return back("pending", "comment-status"),
        Err(CommentError::Closed) => (Vec::new(), Some("comment-closed"), StatusCode::FORBIDDEN),
        Err(CommentError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(CommentError::Banned) => (Vec::new(), Some("comment-banned"), StatusCode::FORBIDDEN),
        Err(CommentError::TooMany) => (
            Vec::new(),
            Some("comment-too-many"),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(CommentError::Failed(failure)) => return Err(failure.into()),
    };
    let returned = ReturnedForm {
        input,
        errors,
        form_error: message.map(text),
    };
    article_with_form(&app, &edition, &article, returned, status, now).await
}

/// The confirmation mail in the site's language, with the link as this
/// request writes the site's addresses.
struct VerificationLetter<'a> {
    app: &'a AppState,
    edition: &'a Edition,
}

impl ConfirmationLetter for VerificationLetter<'_> {
    fn write(&self, token: &str) -> Letter {
        let site = self.edition.site();
        let link = self
            .edition
            .canonical(&format!("/comments/verify?token={token}"));
        self.app.translations.letter(
            site.lang,
            "verify",
            &[("site", site.name.clone()), ("link", link)],
        )
    }
}

#[derive(Serialize)]
struct NoticePage {
    chrome: crate::render::chrome::Chrome,
    heading: String,
    message: String,
    /// A button that sends the link's token back (the confirmation page).
    confirm: Option<ConfirmButton>,
}

#[derive(Serialize)]
struct ConfirmButton {
    action: String,
    token: String,
    label: String,
}

/// A notice page in the site's language, never cached.
fn notice(
    app: &AppState,
    edition: &Edition,
    status: StatusCode,
    (heading, message): (&str, &str),
    confirm: Option<ConfirmButton>,
) -> Result<Response, AppError> {
    let lang = edition.site().lang;
    let title = app.translations.text(lang, heading, None).into_owned();
    let view = NoticePage {
        chrome: crate::render::chrome::Chrome::new(app, edition, title.clone(), None, "/")?,
        heading: title,
        message: app.translations.text(lang, message, None).into_owned(),
        confirm,
    };
    let html = app.views.render("notice.html", lang, &view)?;
    let mut response = (status, axum::response::Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    Ok(response)
}

/// `GET /comments/verify?token=…`: the link from the confirmation mail
/// shows a button and uses nothing up, since mail scanners open links
/// before their readers do.
pub(super) async fn verify(
    State(app): State<AppState>,
    edition: Edition,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, AppError> {
    let token = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let lang = edition.site().lang;
    let button = ConfirmButton {
        action: edition.url("/comments/verify"),
        token,
        label: app
            .translations
            .text(lang, "verify-button", None)
            .into_owned(),
    };
    notice(
        &app,
        &edition,
        StatusCode::OK,
        ("verify-title", "verify-ask"),
        Some(button),
    )
}

#[derive(serde::Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    token: String,
}

/// `POST /comments/verify`: the button on that page confirms the address
/// and gives this browser the key trust goes with.
pub(super) async fn confirm(
    State(app): State<AppState>,
    edition: Edition,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let site = edition.site();
    if !crate::http::is_same_origin(&headers) {
        let text = app.translations.text(site.lang, "comment-cross-site", None);
        return Err(AppError::Forbidden(text.into_owned()));
    }
    let Some(key) = app.desk.confirm_commenter(&form.token).await? else {
        return notice(
            &app,
            &edition,
            StatusCode::BAD_REQUEST,
            ("verify-failed-title", "verify-failed"),
            None,
        );
    };
    let mut response = notice(
        &app,
        &edition,
        StatusCode::OK,
        ("verify-done-title", "verify-done"),
        None,
    )?;
    let secure = if edition.is_https() { "; Secure" } else { "" };
    // The key is base64url: always a valid header value.
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age={COMMENTER_KEY_SECONDS}{secure}",
        commenter_cookie(site)
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// `POST /comments/report/{comment}`: a reader flags a published comment
/// for the moderators, with a reason.
pub(super) async fn report(
    State(app): State<AppState>,
    edition: Edition,
    Path(comment): Path<i64>,
    crate::http::ClientIp(peer): crate::http::ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = edition.site().lang;
    let text = |id: &str| app.translations.text(lang, id, None).into_owned();
    if !crate::http::is_same_origin(&headers) {
        return Err(AppError::Forbidden(text("comment-cross-site")));
    }
    let mut reason = None;
    let mut note = String::new();
    let mut back = String::new();
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "reason" => reason = comments::ReportReason::parse(&value),
            "note" => note = value.into_owned(),
            "back" => back = value.into_owned(),
            _ => {}
        }
    }
    let Some(reason) = reason else {
        return Err(AppError::BadRequest(text("report-reason-needed")));
    };
    let reported = app
        .desk
        .report_comment(edition.site().id, comment, reason, &note, &peer.to_string())
        .await;
    match reported {
        Ok(()) => {}
        Err(ModerationError::TooMany) => {
            return Err(AppError::TooManyRequests(text("report-too-many")));
        }
        Err(ModerationError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    }
    // Back to the article the reader came from (a path of this site only).
    let path = back
        .split('?')
        .next()
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or("/");
    Ok(see_other(&format!(
        "{path}?comment=reported#comment-{comment}"
    )))
}

async fn article_with_form(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    returned: ReturnedForm,
    status: StatusCode,
    now: OffsetDateTime,
) -> Result<Response, AppError> {
    let comments = view(
        app,
        edition,
        article,
        &CommentsQuery {
            page: 1,
            ..CommentsQuery::default()
        },
        Some(returned),
        true,
        now,
    )
    .await?;
    let mut response = crate::render::article::render(
        app,
        edition,
        article,
        now,
        crate::render::article::Audience::Readers,
        comments,
    )
    .await?;
    *response.status_mut() = status;
    // A page with a reader's own text is theirs alone.
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    headers.remove(header::ETAG);
    headers.remove(header::LAST_MODIFIED);
    headers.remove("surrogate-key");
    headers.remove("cache-tag");
    Ok(response)
}
