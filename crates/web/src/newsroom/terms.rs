//! Sections, tags and authors of a site (editors and admins): add,
//! rename, reorder, delete. Sections change the menu, so saving one
//! reloads the network.

use super::auth::Staff;
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::{NoFields, StaffForm};
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::editing::FieldError;
use dateline_core::terms::{TermInput, TermKind};
use dateline_newsdesk::settings::SiteError;
use dateline_newsdesk::settings::may_manage_terms;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize)]
struct TermsPage {
    chrome: NewsroomChrome,
    kind: TermKind,
    action: String,
    lines: Vec<TermView>,
    /// The add form, as typed when it came back with a problem.
    new: TermInput,
    new_errors: HashMap<&'static str, String>,
    notice: Option<String>,
    form_error: Option<String>,
    media: Vec<super::chrome::Choice>,
}

#[derive(Serialize)]
struct TermView {
    id: i64,
    input: TermInput,
    errors: HashMap<&'static str, String>,
    articles: i64,
    save_url: String,
    delete_url: String,
    public_url: String,
    photo_url: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct TermsQuery {
    done: Option<String>,
}

/// A form that came back: which line (None: the add form), what was typed.
struct Returned<'a> {
    id: Option<i64>,
    input: &'a TermInput,
    errors: &'a [FieldError],
}

async fn page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    kind: TermKind,
    returned: Option<Returned<'_>>,
    notice: Option<String>,
    form_error: Option<String>,
) -> Result<Response, AppError> {
    let site = edition.site().id;
    let base = format!("/newsroom/{}", kind.plural());
    let media_rows = if kind == TermKind::Author {
        app.db.media_choices(site).await?
    } else {
        Vec::new()
    };
    let lines = app
        .db
        .terms(site, kind)
        .await?
        .into_iter()
        .map(|line| {
            let back = returned.as_ref().filter(|r| r.id == Some(line.id));
            let photo_url = line.photo.and_then(|p| {
                media_rows
                    .iter()
                    .find(|m| m.id.0 == p)
                    .map(|m| edition.url(&format!("/media/{}", m.path)))
            });
            let public = match kind {
                TermKind::Section => format!("/{}", line.slug),
                TermKind::Tag => format!("/tag/{}", line.slug),
                TermKind::Author => format!("/author/{}", line.slug),
            };
            TermView {
                id: line.id,
                input: back.map_or_else(
                    || TermInput {
                        name: line.name.clone(),
                        slug: line.slug.clone(),
                        position: line.position.to_string(),
                        bio: line.bio.clone(),
                        photo: line.photo.map(|p| p.to_string()).unwrap_or_default(),
                        comment_mode: line.comment_mode.clone().unwrap_or_default(),
                    },
                    |r| r.input.clone(),
                ),
                errors: back.map_or_else(HashMap::new, |r| {
                    super::chrome::field_messages(app, edition, r.errors)
                }),
                articles: line.articles,
                save_url: edition.url(&format!("{base}/{}", line.id)),
                delete_url: edition.url(&format!("{base}/{}/delete", line.id)),
                public_url: edition.url(&public),
                photo_url,
            }
        })
        .collect();
    let (new, new_errors) = match returned.as_ref().filter(|r| r.id.is_none()) {
        Some(r) => (
            r.input.clone(),
            super::chrome::field_messages(app, edition, r.errors),
        ),
        None => (TermInput::default(), HashMap::new()),
    };
    let media = media_rows
        .iter()
        .map(|m| super::chrome::Choice::media(m, ""))
        .collect();
    let refused = returned.is_some() || form_error.is_some();
    let view = TermsPage {
        chrome: NewsroomChrome::new(
            app,
            edition,
            &format!("terms-{}-title", kind.plural()),
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        kind,
        action: edition.url(&base),
        lines,
        new,
        new_errors,
        notice,
        form_error,
        media,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    newsroom_page(app, edition, "newsroom/terms.html", &view, status)
}

/// `GET /newsroom/{sections,tags,authors}`
pub(super) async fn index(
    kind: TermKind,
    app: AppState,
    edition: Edition,
    staff: Staff,
    query: TermsQuery,
) -> Result<Response, AppError> {
    staff.require(may_manage_terms)?;
    let notice = query
        .done
        .filter(|d| matches!(d.as_str(), "saved" | "deleted"))
        .map(|d| super::chrome::text(&app, &edition, &format!("terms-{d}")));
    page(&app, &edition, &staff, kind, None, notice, None).await
}

/// `POST /newsroom/{kind}` (add) and `/newsroom/{kind}/{id}` (change).
pub(super) async fn save(
    kind: TermKind,
    app: AppState,
    id: Option<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(input),
    }: StaffForm<Form<TermInput>>,
) -> Result<Response, AppError> {
    staff.require(may_manage_terms)?;
    match app
        .desk
        .save_term(staff.on(&edition), kind, id, &input)
        .await
    {
        Ok(_) => {}
        Err(SiteError::Invalid(errors)) => {
            let returned = Returned {
                id,
                input: &input,
                errors: &errors,
            };
            return page(&app, &edition, &staff, kind, Some(returned), None, None).await;
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(
        &edition.url(&format!("/newsroom/{}?done=saved", kind.plural())),
    ))
}

/// `POST /newsroom/{kind}/{id}/delete`
pub(super) async fn delete(
    kind: TermKind,
    app: AppState,
    id: i64,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    staff.require(may_manage_terms)?;
    match app.desk.delete_term(staff.on(&edition), kind, id).await {
        Ok(()) => {}
        Err(SiteError::InUse) => {
            let message = super::chrome::text(&app, &edition, "field-in-use");
            return page(&app, &edition, &staff, kind, None, None, Some(message)).await;
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(
        &edition.url(&format!("/newsroom/{}?done=deleted", kind.plural())),
    ))
}

/// Routes of one kind, each handler told which kind it serves.
pub(super) fn routes(kind: TermKind) -> axum::Router<AppState> {
    use axum::routing::{get, post};
    let base = format!("/newsroom/{}", kind.plural());
    axum::Router::new()
        .route(
            &base,
            get(
                move |State(app): State<AppState>,
                      edition: Edition,
                      staff: Staff,
                      Query(query): Query<TermsQuery>| {
                    index(kind, app, edition, staff, query)
                },
            )
            .post(
                move |State(app): State<AppState>, form: StaffForm<Form<TermInput>>| {
                    save(kind, app, None, form)
                },
            ),
        )
        .route(
            &format!("{base}/{{id}}"),
            post(
                move |State(app): State<AppState>,
                      Path(id): Path<i64>,
                      form: StaffForm<Form<TermInput>>| {
                    save(kind, app, Some(id), form)
                },
            ),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            post(
                move |State(app): State<AppState>,
                      Path(id): Path<i64>,
                      form: StaffForm<NoFields>| { delete(kind, app, id, form) },
            ),
        )
}
