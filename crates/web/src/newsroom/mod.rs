//! The newsroom: where editors, reporters and moderators log in and work.
//! Served under `/newsroom` of every site; its language is the language of
//! the edition it is reached through (`/ar/newsroom` is in Arabic).

mod auth;
mod pages;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsroom", get(pages::dashboard))
        .route("/newsroom/", get(pages::dashboard))
        .route("/newsroom/login", get(pages::login_form).post(pages::login))
        .route("/newsroom/logout", post(pages::logout))
}
