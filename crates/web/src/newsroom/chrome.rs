//! What every newsroom page shares: the menu and title (`NewsroomChrome`),
//! rendering a page that is never cached, translated texts and local times,
//! and the options of `<select>`s.

use crate::AppState;
use crate::error::AppError;
use crate::http::CacheKind;
use crate::network::Edition;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dateline_core::accounts::Role;
use dateline_core::editing::FieldError;
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;

/// What every newsroom page needs.
#[derive(Serialize)]
pub(crate) struct NewsroomChrome {
    lang: &'static str,
    dir: &'static str,
    pub title: String,
    site_name: String,
    site_url: String,
    css_url: String,
    js_url: String,
    icon_url: String,
    logout_url: String,
    /// Links of the newsroom's menu.
    dashboard_url: String,
    articles_url: String,
    new_article_url: String,
    media_url: String,
    comments_url: String,
    sections_url: String,
    tags_url: String,
    authors_url: String,
    users_url: String,
    settings_url: String,
    account_url: String,
    audit_url: String,
    wire_url: String,
    redirects_url: String,
    user: Option<String>,
    /// The user's role on this site: which menu links to show.
    role: Option<&'static str>,
}

impl NewsroomChrome {
    pub(crate) fn with_role_opt(self, role: Option<Role>) -> NewsroomChrome {
        match role {
            Some(role) => self.with_role(role),
            None => self,
        }
    }

    /// Shows the menu links this role may follow.
    pub(crate) fn with_role(mut self, role: Role) -> NewsroomChrome {
        self.role = Some(role.as_str());
        self
    }

    pub(crate) fn new(
        app: &AppState,
        edition: &Edition,
        title_id: &str,
        user: Option<String>,
    ) -> NewsroomChrome {
        let site = edition.site();
        NewsroomChrome {
            lang: site.lang.code(),
            dir: site.lang.direction().as_str(),
            title: app
                .translations
                .text(site.lang, title_id, None)
                .into_owned(),
            site_name: site.name.clone(),
            site_url: edition.url("/"),
            css_url: app.assets.url("newsroom.css"),
            js_url: app.assets.url("newsroom.js"),
            icon_url: app.assets.url("favicon.svg"),
            logout_url: edition.url("/newsroom/logout"),
            dashboard_url: edition.url("/newsroom"),
            articles_url: edition.url("/newsroom/articles"),
            new_article_url: edition.url("/newsroom/articles/new"),
            media_url: edition.url("/newsroom/media"),
            comments_url: edition.url("/newsroom/comments"),
            sections_url: edition.url("/newsroom/sections"),
            tags_url: edition.url("/newsroom/tags"),
            authors_url: edition.url("/newsroom/authors"),
            users_url: edition.url("/newsroom/users"),
            settings_url: edition.url("/newsroom/settings"),
            account_url: edition.url("/newsroom/account"),
            audit_url: edition.url("/newsroom/audit"),
            wire_url: edition.url("/newsroom/wire"),
            redirects_url: edition.url("/newsroom/redirects"),
            user,
            role: None,
        }
    }
}

pub(crate) fn newsroom_page<P: Serialize>(
    app: &AppState,
    edition: &Edition,
    template: &str,
    view: &P,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = app.views.render(template, edition.site().lang, view)?;
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    // Newsroom pages are personal: never stored by browsers or CDNs.
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    Ok(response)
}

/// An option of a `<select>`.
#[derive(Serialize)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

impl Choice {
    /// An image of the media library, labelled by file name and size.
    pub(crate) fn media(m: &dateline_store::MediaChoice, selected: &str) -> Choice {
        Choice {
            selected: selected == m.id.0.to_string(),
            value: m.id.0.to_string(),
            label: format!(
                "{} ({}×{})",
                m.path.rsplit('/').next().unwrap_or(&m.path),
                m.width,
                m.height
            ),
        }
    }
}

/// Translated messages of field errors, by field name.
pub(crate) fn field_messages(
    app: &AppState,
    edition: &Edition,
    errors: &[FieldError],
) -> HashMap<&'static str, String> {
    errors
        .iter()
        .map(|e| (e.field, field_message(app, edition, e)))
        .collect()
}

pub(crate) fn local_time(edition: &Edition, at: OffsetDateTime) -> String {
    edition.site().time_zone.local_input(at).replace('T', " ")
}

pub(crate) fn text(app: &AppState, edition: &Edition, id: &str) -> String {
    app.translations
        .text(edition.site().lang, id, None)
        .into_owned()
}

pub(crate) fn field_message(app: &AppState, edition: &Edition, error: &FieldError) -> String {
    app.translations
        .problem(edition.site().lang, "", error.problem)
}
