//! Personal API tokens: `dl_` and 256 random bits in base64url, sent as
//! `Authorization: Bearer <token>` (RFC 6750). Only the SHA-256 of a token
//! is stored, like session tokens. A token acts as its user, with the role
//! the user holds on the site the request is for.
//!
//! Cookies never authorise the API: a browser attaches the session cookie
//! to cross-site requests on its own, but never an `Authorization` header,
//! so requiring the header is what keeps the API free of cross-site request
//! forgery (and why it needs no same-origin check).

use super::ApiError;
use crate::AppState;
use crate::network::Edition;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use dateline_core::accounts::{Role, User};

/// The user a request's token belongs to, and their role on this site.
pub(crate) struct ApiUser {
    pub user: User,
    pub role: Role,
}

/// True when the request carries credentials for the API (which are then
/// checked; a bad token is refused, never ignored).
pub(crate) fn has_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
}

/// Checks the bearer token of a request: 401 without one or with an
/// unknown or revoked one, 403 when its user has no role on this site.
pub(crate) async fn authenticate(
    app: &AppState,
    headers: &HeaderMap,
    edition: &Edition,
) -> Result<ApiUser, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::MissingToken)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or(ApiError::MissingToken)?;
    let user = app
        .desk
        .api_token_user(token)
        .await?
        .ok_or(ApiError::InvalidToken)?;
    let site = edition.site().id;
    let role = app
        .db
        .memberships(user.id)
        .await?
        .into_iter()
        .find(|m| m.site == site)
        .map(|m| m.role)
        .ok_or_else(|| ApiError::Forbidden("the token's user has no role on this site".into()))?;
    Ok(ApiUser { user, role })
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let edition = parts
            .extensions
            .get::<Edition>()
            .cloned()
            .ok_or_else(|| ApiError::Internal("no site resolved for the API".into()))?;
        authenticate(app, &parts.headers, &edition).await
    }
}
