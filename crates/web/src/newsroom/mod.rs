//! The newsroom: where editors, reporters and moderators log in and work.
//! Served under `/newsroom` of every site; its language is the language of
//! the edition it is reached through (`/ar/newsroom` is in Arabic).

mod auth;
mod desk;
mod pages;

pub(crate) use auth::{random_token, token_hash};
pub(crate) use desk::{after_step, check_input};

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsroom", get(pages::dashboard))
        .route("/newsroom/", get(pages::dashboard))
        .route("/newsroom/login", get(pages::login_form).post(pages::login))
        .route("/newsroom/logout", post(pages::logout))
        .route("/newsroom/articles", get(desk::list).post(desk::create))
        .route("/newsroom/articles/new", get(desk::new_form))
        .route(
            "/newsroom/articles/{id}",
            get(desk::edit_form).post(desk::save),
        )
        .route("/newsroom/articles/{id}/autosave", post(desk::autosave))
        .route("/newsroom/articles/{id}/preview", get(desk::preview))
        .route("/newsroom/articles/{id}/revisions", get(desk::revisions))
        .route(
            "/newsroom/articles/{id}/revisions/{number}/restore",
            post(desk::restore),
        )
        .route(
            "/newsroom/articles/{id}/corrections",
            post(desk::add_correction),
        )
        .route("/newsroom/audit", get(desk::audit))
}
