//! Reader comments on the public site: the list under each article, the
//! form with its security code, and taking a comment in.
//!
//! Article pages stay the same for every reader (and cacheable): the
//! security code is not in the page but behind it. The image
//! (`/comments/code.png`) and the proof-of-work challenge
//! (`/comments/challenge`) each make a fresh one-time code and bind it to
//! the browser with a short-lived cookie; the form's answer is checked
//! against the code that cookie names, once.

use super::chrome::{Stamps, iso};
use crate::AppState;
use crate::error::AppError;
use crate::middleware::CacheKind;
use crate::network::Edition;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_core::comments::{self, CommentInput, CommentMode};
use dateline_core::editing::FieldError;
use dateline_core::security_code::{CODE_LIFETIME_MINUTES, NewCode, POW_MAX};
use dateline_core::{Article, ArticleId, article_path};
use dateline_newsdesk::comments::{
    Accepted, CommentError, ConfirmationLetter, Letter, ModerationError, Submission,
};
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;

const CODE_COOKIE: &str = "dateline_code";
/// Largest comment form accepted; more is refused with 413 before reading.
pub(super) const MAX_FORM_BYTES: usize = 64 * 1024;
/// Comments shown per page under an article.
pub(crate) const COMMENTS_PER_PAGE: u32 = 50;

/// How the reader asked to see the comments (`?comments=newest&cpage=2`),
/// and what became of the comment they just sent (`?comment=pending`).
#[derive(Debug, Clone, Default)]
pub(crate) struct CommentsQuery {
    pub newest_first: bool,
    pub page: u32,
    pub notice: Option<&'static str>,
}

impl CommentsQuery {
    pub fn parse(query: Option<&str>) -> CommentsQuery {
        let mut parsed = CommentsQuery {
            page: 1,
            ..CommentsQuery::default()
        };
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match (key.as_ref(), value.as_ref()) {
                ("comments", "newest") => parsed.newest_first = true,
                ("cpage", n) => parsed.page = n.parse().unwrap_or(1).clamp(1, 10_000),
                ("comment", "pending") => parsed.notice = Some("pending"),
                ("comment", "published") => parsed.notice = Some("published"),
                ("comment", "reported") => parsed.notice = Some("reported"),
                _ => {}
            }
        }
        parsed
    }
}

/// The form as it comes back after a problem: what was typed and why.
pub(crate) struct ReturnedForm {
    pub input: CommentInput,
    pub errors: Vec<FieldError>,
    pub form_error: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct CommentsView {
    mode: &'static str,
    count: i64,
    items: Vec<CommentItem>,
    newest_first: bool,
    oldest_url: String,
    newest_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    notice: Option<&'static str>,
    /// Where report forms send the reader back to.
    back: String,
    /// The empty form, rendered once per site (see `Layouts`); absent when
    /// the form comes back with a reader's text or is not shown.
    form_html: Option<minijinja::Value>,
    reasons: [&'static str; 4],
    form: FormView,
}

#[derive(Serialize)]
struct CommentItem {
    anchor: String,
    report_url: String,
    name: String,
    title: String,
    paragraphs: Vec<String>,
    datetime: String,
    stamp: String,
}

#[derive(Serialize)]
struct FormView {
    action: String,
    values: CommentInput,
    errors: HashMap<&'static str, String>,
    form_error: Option<String>,
    max_chars: usize,
    chars_left: usize,
    terms: Vec<String>,
    security: &'static str,
    code_url: String,
    challenge_url: String,
    /// The preview shows the form but never takes a comment.
    enabled: bool,
}

/// Stands for the article's number in the form rendered once per site.
const ARTICLE_PLACEHOLDER: &str = "__article__";

#[derive(Serialize)]
struct FormContext<'a> {
    f: &'a FormView,
}

/// The article's comment mode, after its section's and the site's.
pub(crate) fn mode_of(edition: &Edition, article: &Article, now: OffsetDateTime) -> CommentMode {
    dateline_newsdesk::comments::mode_of(edition.site(), article, now)
}

/// Everything the article page shows of comments.
pub(crate) async fn view(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    query: &CommentsQuery,
    returned: Option<ReturnedForm>,
    enabled: bool,
    now: OffsetDateTime,
) -> Result<CommentsView, AppError> {
    let site = edition.site();
    let stamps = Stamps::new(app, site);
    let offset = i64::from(query.page.saturating_sub(1)) * i64::from(COMMENTS_PER_PAGE);
    let rows = if article.comment_count > 0 {
        app.db
            .approved_comments(article.id, query.newest_first, COMMENTS_PER_PAGE, offset)
            .await?
    } else {
        Vec::new()
    };
    let path = article_path(&article.section.slug, article.id, &article.slug);
    let page_url = |newest: bool, page: u32| {
        let mut params = Vec::new();
        if newest {
            params.push("comments=newest".to_owned());
        }
        if page > 1 {
            params.push(format!("cpage={page}"));
        }
        let query = if params.is_empty() {
            String::new()
        } else {
            format!("?{}", params.join("&"))
        };
        edition.url(&format!("{path}{query}#comments"))
    };
    let shown = offset + rows.len() as i64;
    // The order links show only above comments.
    let has_items = !rows.is_empty();
    let returned_nothing = returned.is_none();
    let (input, errors, form_error) = match returned {
        Some(r) => (r.input, r.errors, r.form_error),
        None => (CommentInput::default(), Vec::new(), None),
    };
    let max_chars = site.comments.policy.max_chars;
    let errors = errors
        .iter()
        .map(|e| (e.field, field_message(app, edition, e)))
        .collect();
    let mode = mode_of(edition, article, now);
    // The form as every reader first sees it is the same on every article:
    // rendered once per site, with the article's number put in.
    let form_html = if returned_nothing && enabled && mode != CommentMode::Closed {
        let html = app.layouts.comment_form(edition, || {
            let empty = empty_form(edition);
            app.views
                .render("_comment_form.html", site.lang, &FormContext { f: &empty })
        })?;
        Some(minijinja::Value::from_safe_string(
            html.replace(ARTICLE_PLACEHOLDER, &article.id.to_string()),
        ))
    } else {
        None
    };
    // With the form already rendered, the template reads only `enabled`.
    let terms = if form_html.is_some() {
        Vec::new()
    } else {
        terms_lines(site)
    };
    Ok(CommentsView {
        mode: mode.as_str(),
        count: article.comment_count,
        items: rows
            .into_iter()
            .map(|c| CommentItem {
                anchor: format!("comment-{}", c.id),
                report_url: edition.url(&format!("/comments/report/{}", c.id)),
                name: c.name,
                title: c.title,
                paragraphs: c
                    .body
                    .split('\n')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                datetime: iso(c.created_at),
                stamp: stamps.list(c.created_at),
            })
            .collect(),
        newest_first: query.newest_first,
        oldest_url: if has_items {
            page_url(false, 1)
        } else {
            String::new()
        },
        newest_url: if has_items {
            page_url(true, 1)
        } else {
            String::new()
        },
        prev_url: (query.page > 1).then(|| page_url(query.newest_first, query.page - 1)),
        next_url: (shown < article.comment_count)
            .then(|| page_url(query.newest_first, query.page + 1)),
        notice: query.notice,
        back: edition.url(&path),
        reasons: comments::ReportReason::ALL.map(comments::ReportReason::as_str),
        form_html,
        form: FormView {
            action: edition.url(&format!("/comments/{}", article.id)),
            chars_left: max_chars.saturating_sub(comments::char_count(&input.body)),
            values: CommentInput {
                code: String::new(),
                proof: String::new(),
                ..input
            },
            errors,
            form_error,
            max_chars,
            terms,
            security: site.comments.security.as_str(),
            code_url: edition.url("/comments/code.png"),
            challenge_url: edition.url("/comments/challenge"),
            enabled,
        },
    })
}

/// The form before anyone typed, for the placeholder article.
fn empty_form(edition: &Edition) -> FormView {
    let site = edition.site();
    let max_chars = site.comments.policy.max_chars;
    FormView {
        action: edition.url(&format!("/comments/{ARTICLE_PLACEHOLDER}")),
        values: CommentInput::default(),
        errors: HashMap::new(),
        form_error: None,
        max_chars,
        chars_left: max_chars,
        terms: terms_lines(site),
        security: site.comments.security.as_str(),
        code_url: edition.url("/comments/code.png"),
        challenge_url: edition.url("/comments/challenge"),
        enabled: true,
    }
}

fn terms_lines(site: &dateline_core::Site) -> Vec<String> {
    site.terms_of_use
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn field_message(app: &AppState, edition: &Edition, error: &FieldError) -> String {
    app.translations
        .problem(edition.site().lang, "comment-error-", error.problem)
}

/// Makes and stores a fresh code; the cookie names it.
async fn fresh_code(app: &AppState, edition: &Edition) -> Result<(NewCode, HeaderValue), AppError> {
    let code = app.desk.issue_security_code().await?;
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
) -> Result<Response, AppError> {
    let (code, cookie) = fresh_code(&app, &edition).await?;
    let seed = u64::from_str_radix(&code.id[..16], 16).unwrap_or(7);
    let text = code.code.clone();
    let png = tokio::task::spawn_blocking(move || dateline_media::captcha_png(&text, seed))
        .await
        .map_err(|e| AppError::Internal(format!("drawing stopped: {e}")))?
        .map_err(|e| AppError::Internal(format!("cannot draw a security code: {e}")))?;
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

/// `GET /comments/challenge`: a new one-time proof-of-work challenge.
pub(super) async fn challenge(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, AppError> {
    let (code, cookie) = fresh_code(&app, &edition).await?;
    let mut response = Json(Challenge {
        algorithm: "SHA-256",
        salt: code.pow_salt,
        challenge: code.pow_challenge,
        max: POW_MAX,
    })
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    headers.insert(header::SET_COOKIE, cookie);
    Ok(response)
}

fn code_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == CODE_COOKIE && !value.is_empty()).then(|| value.to_owned())
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
    crate::middleware::ClientIp(peer): crate::middleware::ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let site = edition.site();
    let text = |id: &str| app.translations.text(site.lang, id, None).into_owned();
    if !crate::middleware::is_same_origin(&headers) {
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
    let code_id = code_cookie(&headers);
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
        letter: &letter,
    };
    let path = article_path(&article.section.slug, article.id, &article.slug);
    let back = |notice: &str, anchor: &str| {
        Err(AppError::SeeOther(
            edition.url(&format!("{path}?comment={notice}#{anchor}")),
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
        let args = crate::i18n::args_from([
            (
                "site".to_owned(),
                fluent_bundle::FluentValue::from(site.name.clone()),
            ),
            ("link".to_owned(), fluent_bundle::FluentValue::from(link)),
        ]);
        let text = |id: &str| {
            self.app
                .translations
                .text(site.lang, id, Some(&args))
                .into_owned()
        };
        Letter {
            subject: text("verify-mail-subject"),
            body: text("verify-mail-body"),
        }
    }
}

#[derive(Serialize)]
struct NoticePage {
    chrome: super::Chrome,
    heading: String,
    message: String,
}

/// `GET /comments/verify?token=…`: the link from the confirmation mail.
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
    let confirmed = app.desk.confirm_commenter(&token).await?;
    let (status, heading, message) = match confirmed {
        true => (StatusCode::OK, "verify-done-title", "verify-done"),
        false => (
            StatusCode::BAD_REQUEST,
            "verify-failed-title",
            "verify-failed",
        ),
    };
    let title = app.translations.text(lang, heading, None).into_owned();
    let view = NoticePage {
        chrome: super::Chrome::new(&app, &edition, title.clone(), None, "/")?,
        heading: title,
        message: app.translations.text(lang, message, None).into_owned(),
    };
    let html = app.views.render("notice.html", lang, &view)?;
    let mut response = (status, axum::response::Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    Ok(response)
}

/// `POST /comments/report/{comment}`: a reader flags a published comment
/// for the moderators, with a reason.
pub(super) async fn report(
    State(app): State<AppState>,
    edition: Edition,
    Path(comment): Path<i64>,
    crate::middleware::ClientIp(peer): crate::middleware::ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let lang = edition.site().lang;
    let text = |id: &str| app.translations.text(lang, id, None).into_owned();
    if !crate::middleware::is_same_origin(&headers) {
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
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or("/");
    Err(AppError::SeeOther(format!(
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
    let mut response = super::articles::render(
        app,
        edition,
        article,
        now,
        super::Audience::Readers,
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
