//! What an article page shows of comments: the approved list with its
//! order and pages, the form (rendered once per site while empty), and
//! the form as it comes back with a reader's text and the problems.

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::render::stamps::{Stamps, iso};
use dateline_core::comments::{self, CommentInput, CommentMode};
use dateline_core::editing::FieldError;
use dateline_core::{Article, article_path};
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;

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
    /// The comment it answers: its anchor and author.
    reply_to: Option<(String, String)>,
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
                reply_to: c.reply_to.map(|(id, name)| (format!("comment-{id}"), name)),
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
