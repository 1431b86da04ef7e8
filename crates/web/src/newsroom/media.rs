//! The media library page: the site's images and the upload form.
//!
//! Uploads are checked by their content (JPEG, PNG or WebP only), resized
//! into variants for `srcset` on a blocking thread, written under the data
//! directory's `media/uploads/<site>/<year>/<month>/`, then recorded.

use super::auth::{Staff, refusal};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::StaffForm;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::workflow;
use dateline_media::MediaError;
use dateline_newsdesk::media::UploadError;
use serde::{Deserialize, Serialize};

/// Images shown on the library page.
const LIBRARY_PAGE: u32 = 120;

#[derive(Serialize)]
struct MediaPage {
    chrome: NewsroomChrome,
    action: String,
    max_mb: usize,
    error: Option<String>,
    notice: Option<String>,
    items: Vec<MediaTile>,
}

#[derive(Serialize)]
struct MediaTile {
    id: i64,
    url: String,
    thumbnail: String,
    name: String,
    width: u32,
    height: u32,
    variants: usize,
}

#[derive(Deserialize)]
pub(super) struct LibraryQuery {
    uploaded: Option<i64>,
}

async fn library(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let items = app
        .db
        .media_library(edition.site().id, LIBRARY_PAGE, 0)
        .await?
        .into_iter()
        .map(|m| MediaTile {
            id: m.id.0,
            url: edition.url(&format!("/media/{}", m.path)),
            thumbnail: edition.url(&format!(
                "/media/{}",
                m.variants.first().map_or(&m.path, |v| &v.path)
            )),
            name: if m.original_name.is_empty() {
                m.path.rsplit('/').next().unwrap_or(&m.path).to_owned()
            } else {
                m.original_name
            },
            width: m.width,
            height: m.height,
            variants: m.variants.len(),
        })
        .collect();
    let view = MediaPage {
        chrome: NewsroomChrome::new(app, edition, "media-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        action: edition.url("/newsroom/media"),
        max_mb: dateline_media::MAX_UPLOAD_BYTES / 1024 / 1024,
        error,
        notice,
        items,
    };
    newsroom_page(app, edition, "newsroom/media.html", &view, status)
}

/// `GET /newsroom/media`
pub(super) async fn index(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<LibraryQuery>,
) -> Result<Response, AppError> {
    if !workflow::may_create(staff.role) {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let notice = query.uploaded.map(|id| {
        let args = crate::render::i18n::args_from([(
            "id".to_owned(),
            fluent_bundle::FluentValue::from(id),
        )]);
        app.translations
            .text(edition.site().lang, "media-uploaded", Some(&args))
            .into_owned()
    });
    library(&app, &edition, &staff, None, notice, StatusCode::OK).await
}

/// `POST /newsroom/media`: one image in the `file` field.
pub(super) async fn upload(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: mut multipart,
    }: StaffForm<Multipart>,
) -> Result<Response, AppError> {
    if !workflow::may_create(staff.role) {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let lang = edition.site().lang;
    let refuse = |id: &str, status| {
        let message = app.translations.text(lang, id, None).into_owned();
        library(&app, &edition, &staff, Some(message), None, status)
    };
    // A place to wait for image work, before the upload is read.
    let slot = match app.desk.admit_image() {
        Ok(slot) => slot,
        Err(_) => {
            let mut page = refuse("media-busy", StatusCode::TOO_MANY_REQUESTS).await?;
            page.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
            return Ok(page);
        }
    };
    let mut upload = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return refuse("media-too-large", StatusCode::PAYLOAD_TOO_LARGE).await;
            }
            Err(_) => return refuse("media-bad-form", StatusCode::BAD_REQUEST).await,
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        match field.bytes().await {
            Ok(bytes) => upload = Some((name, bytes)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return refuse("media-too-large", StatusCode::PAYLOAD_TOO_LARGE).await;
            }
            Err(_) => return refuse("media-bad-form", StatusCode::BAD_REQUEST).await,
        }
    }
    let Some((original_name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return refuse("media-empty", StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let added = app
        .desk
        .add_image(staff.on(&edition), &original_name, bytes.to_vec(), slot)
        .await;
    let id = match added {
        Ok(id) => id,
        Err(UploadError::Refused(e)) => {
            let status = match e {
                MediaError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            return refuse(e.message_id(), status).await;
        }
        Err(UploadError::NotAllowed) => {
            return Err(refusal(&app, &edition, "workflow-not-allowed"));
        }
        Err(UploadError::Busy) => return refuse("media-busy", StatusCode::TOO_MANY_REQUESTS).await,
        Err(UploadError::Storing(cause)) => return Err(AppError::Upload(cause)),
        Err(UploadError::Failed(failure)) => return Err(failure.into()),
    };
    Ok(see_other(
        &edition.url(&format!("/newsroom/media?uploaded={}", id.0)),
    ))
}
