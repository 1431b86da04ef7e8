//! Sessions and request checks of the newsroom.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie;
//! the database keeps only its SHA-256, so a leaked database does not leak
//! live sessions. State-changing requests must come from the site's own
//! pages (Fetch Metadata, else `Origin`), which stops cross-site request
//! forgery without tokens in forms.

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dateline_core::accounts::{Role, User};
use dateline_newsdesk::{Actor, OnSite};
use time::Duration;

pub(crate) const SESSION_COOKIE: &str = "dateline_session";
/// The name over HTTPS: browsers keep a `__Host-` cookie only when it is
/// `Secure`, for this host alone and all its paths, so no other host of
/// the domain (and no plain-HTTP page) can set or replace it.
pub(crate) const SECURE_SESSION_COOKIE: &str = "__Host-dateline_session";
pub(crate) use dateline_newsdesk::accounts::SESSION_LIFETIME;

/// The cookie of a browser that logged in before (see
/// `Newsdesk::log_in`); `__Host-` over HTTPS like the session's.
pub(crate) const KNOWN_BROWSER_COOKIE: &str = "dateline_browser";
pub(crate) const SECURE_KNOWN_BROWSER_COOKIE: &str = "__Host-dateline_browser";

/// The value of the first non-empty cookie named one of `names`.
fn cookie(headers: &HeaderMap, names: [&str; 2]) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (names.contains(&name) && !value.is_empty()).then(|| value.to_owned())
        })
}

/// The session token sent by the browser, if any.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, [SESSION_COOKIE, SECURE_SESSION_COOKIE])
}

/// The known-browser tokens the browser sent (one per account it logged
/// in to, newest last, joined by `.`, which tokens never hold).
pub(crate) fn known_browser_tokens(headers: &HeaderMap) -> Vec<String> {
    cookie(headers, [KNOWN_BROWSER_COOKIE, SECURE_KNOWN_BROWSER_COOKIE])
        .map(|value| {
            let tokens: Vec<String> = value
                .split('.')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
            let start = tokens
                .len()
                .saturating_sub(dateline_newsdesk::accounts::MAX_BROWSER_TOKENS);
            tokens[start..].to_vec()
        })
        .unwrap_or_default()
}

/// `Set-Cookie` for a known browser, kept a year: the tokens it held and
/// the new one, the newest few.
pub(crate) fn known_browser_cookie(held: &[String], new: &str, secure: bool) -> HeaderValue {
    let mut tokens: Vec<&str> = held.iter().map(String::as_str).collect();
    tokens.push(new);
    let start = tokens
        .len()
        .saturating_sub(dateline_newsdesk::accounts::MAX_BROWSER_TOKENS);
    let token = tokens[start..].join(".");
    let (name, secure) = if secure {
        (SECURE_KNOWN_BROWSER_COOKIE, "; Secure")
    } else {
        (KNOWN_BROWSER_COOKIE, "")
    };
    let max_age = dateline_newsdesk::accounts::KNOWN_BROWSER_LIFETIME.whole_seconds();
    let value =
        format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value)
        .unwrap_or(HeaderValue::from_static("dateline_browser=; Max-Age=0"))
}

/// `Set-Cookie` for a session; `Secure` when the site is served over HTTPS.
pub(crate) fn session_cookie(token: &str, secure: bool, max_age: Duration) -> HeaderValue {
    let (name, secure) = if secure {
        (SECURE_SESSION_COOKIE, "; Secure")
    } else {
        (SESSION_COOKIE, "")
    };
    let value = format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.whole_seconds().max(0)
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static(
        "dateline_session=; Path=/; Max-Age=0",
    ))
}

pub(crate) use crate::http::is_same_origin;

/// The logged-in user; handlers that take it answer 401-by-redirect to
/// the login page when there is none.
pub(crate) struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let base = parts
                .extensions
                .get::<crate::network::Edition>()
                .map(|e| e.base_path.clone())
                .unwrap_or_default();
            AppError::LogInFirst(format!("{base}/newsroom/login"))
        };
        let token = session_token(&parts.headers).ok_or_else(to_login)?;
        let user = app.desk.session_user(&token).await?.ok_or_else(to_login)?;
        Ok(CurrentUser(user))
    }
}

/// The logged-in user and their role on the site the request is for.
/// Without a session the request goes to the login page; without a role
/// on this site it is refused (403).
pub(crate) struct Staff {
    pub user: User,
    pub role: Role,
}

impl Staff {
    /// The user acting, with their role on this site.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.id,
            role: self.role,
        }
    }

    /// Refuses (403) unless this user's role passes the application's
    /// `rule` (`may_moderate`, `may_manage_people` …).
    pub fn require(&self, rule: fn(Role) -> bool) -> Result<(), AppError> {
        if rule(self.role) {
            Ok(())
        } else {
            Err(AppError::Refused(
                axum::http::StatusCode::FORBIDDEN,
                "workflow-not-allowed",
            ))
        }
    }

    /// The user acting on the site of the request.
    pub fn on(&self, edition: &Edition) -> OnSite {
        OnSite {
            site: edition.site().id,
            actor: self.actor(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, app).await?;
        let edition = parts
            .extensions
            .get::<Edition>()
            .cloned()
            .ok_or_else(|| AppError::NoSite)?;
        let site = edition.site();
        let role = app
            .db
            .memberships(user.id)
            .await?
            .into_iter()
            .find(|m| m.site == site.id)
            .map(|m| m.role);
        match role {
            Some(role) => Ok(Staff { user, role }),
            None => Err(refusal(app, &edition, "newsroom-no-access")),
        }
    }
}

/// A form posted in the newsroom, checked as every such post must be: a
/// logged-in user with a role on this site (else the login page, or 403),
/// sent from the site's own pages (else 403), and its body read by `F`:
/// `Form<T>` for typed forms, `Bytes` for forms read by hand, `Multipart`
/// for uploads, `()` for buttons without fields. Refusals of what was
/// asked come from the application's use cases; a refused form comes back
/// with what was typed from the handler that knows its page.
pub(crate) struct StaffForm<F> {
    pub staff: Staff,
    pub edition: Edition,
    pub form: F,
}

impl<F> FromRequest<AppState> for StaffForm<F>
where
    F: FromRequest<AppState> + Send,
    F::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let edition = parts
            .extensions
            .get::<Edition>()
            .cloned()
            .ok_or_else(|| AppError::NoSite.into_response())?;
        require_same_origin(app, &edition, &parts.headers).map_err(IntoResponse::into_response)?;
        let form = F::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(StaffForm {
            staff,
            edition,
            form,
        })
    }
}

/// The body of a form that is only a button: nothing to read.
pub(crate) struct NoFields;

impl FromRequest<AppState> for NoFields {
    type Rejection = std::convert::Infallible;

    async fn from_request(_: Request, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(NoFields)
    }
}

/// A 403 with a translated reason.
pub(crate) fn refusal(app: &AppState, edition: &Edition, message_id: &str) -> AppError {
    let lang = edition.site().lang;
    AppError::Forbidden(app.translations.text(lang, message_id, None).into_owned())
}

/// Refuses a state-changing request that did not come from the site's
/// own pages.
pub(crate) fn require_same_origin(
    app: &AppState,
    edition: &Edition,
    headers: &HeaderMap,
) -> Result<(), AppError> {
    if is_same_origin(headers) {
        Ok(())
    } else {
        Err(refusal(app, edition, "newsroom-cross-site"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_posts_are_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://a.test:8080"),
            ("host", "a.test:8080")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "a.test:8080")
        ])));
    }
}
