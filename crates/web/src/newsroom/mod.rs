//! The newsroom: where editors, reporters and moderators log in and work.
//! Served under `/newsroom` of every site; its language is the language of
//! the edition it is reached through (`/ar/newsroom` is in Arabic).

mod account;
mod articles;
mod audit;
mod auth;
mod chrome;
mod dashboard;
mod invitation;
mod live;
mod login;
mod media;
mod moderation;
mod people;
mod redirects;
mod settings;
mod setup;
mod terms;
mod wire;
mod wire_sources;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use dateline_core::terms::TermKind;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsroom", get(dashboard::dashboard))
        .route("/newsroom/", get(dashboard::dashboard))
        .route("/newsroom/login", get(login::login_form).post(login::login))
        .route("/newsroom/logout", post(login::logout))
        .route("/newsroom/setup", get(setup::form).post(setup::create))
        .route(
            "/newsroom/articles",
            get(articles::list::list).post(articles::save::create),
        )
        .route("/newsroom/articles/new", get(articles::editor::new_form))
        .route(
            "/newsroom/articles/{id}/live",
            get(live::form).post(live::post),
        )
        .route("/newsroom/articles/{id}/live/start", post(live::start))
        .route("/newsroom/articles/{id}/live/end", post(live::end))
        .route("/newsroom/articles/{id}/live/correct", post(live::correct))
        .route("/newsroom/articles/{id}/live/remove", post(live::remove))
        .route(
            "/newsroom/articles/{id}",
            get(articles::editor::edit_form).post(articles::save::save),
        )
        .route(
            "/newsroom/articles/{id}/autosave",
            post(articles::save::autosave),
        )
        .route(
            "/newsroom/articles/{id}/preview",
            get(articles::editor::preview),
        )
        .route(
            "/newsroom/articles/{id}/delete",
            post(articles::trash::delete),
        )
        .route(
            "/newsroom/articles/{id}/restore",
            post(articles::trash::restore_from_trash),
        )
        .route(
            "/newsroom/articles/{id}/revisions",
            get(articles::revisions::revisions),
        )
        .route(
            "/newsroom/articles/{id}/revisions/{number}/restore",
            post(articles::revisions::restore),
        )
        .route(
            "/newsroom/articles/{id}/corrections",
            post(articles::revisions::add_correction),
        )
        .route("/newsroom/audit", get(audit::audit))
        .route(
            "/newsroom/redirects",
            get(redirects::list).post(redirects::add),
        )
        .route("/newsroom/redirects/delete", post(redirects::delete))
        .route("/newsroom/wire", get(wire::desk))
        .route(
            "/newsroom/wire/sources",
            get(wire_sources::sources).post(wire_sources::save),
        )
        .route(
            "/newsroom/wire/sources/{name}/subjects",
            post(wire_sources::map_subject),
        )
        .route("/newsroom/wire/{id}", get(wire::item))
        .route("/newsroom/wire/{id}/take", post(wire::take))
        .route("/newsroom/wire/{id}/apply", post(wire::apply))
        .route("/newsroom/wire/{id}/dismiss", post(wire::dismiss))
        .route(
            "/newsroom/settings",
            get(settings::form).post(settings::save),
        )
        .route("/newsroom/comments", get(moderation::queue))
        .route("/newsroom/comments/decide", post(moderation::decide))
        .route("/newsroom/comments/ban", post(moderation::ban))
        .route(
            "/newsroom/comments/bans/{id}/delete",
            post(moderation::unban),
        )
        .route(
            "/newsroom/users",
            get(people::users).post(people::add_member),
        )
        .route("/newsroom/users/{id}/role", post(people::change_role))
        .route("/newsroom/users/{id}/remove", post(people::remove_member))
        .route(
            "/newsroom/users/invitations/{id}/withdraw",
            post(people::withdraw_invitation),
        )
        .route(
            "/newsroom/invitation",
            get(invitation::form).post(invitation::accept),
        )
        .route(
            "/newsroom/account",
            get(account::account).post(account::change_password),
        )
        .route("/newsroom/account/tokens", post(account::create_token))
        .route(
            "/newsroom/account/tokens/revoke",
            post(account::revoke_token),
        )
        .merge(terms::routes(TermKind::Section))
        .merge(terms::routes(TermKind::Tag))
        .merge(terms::routes(TermKind::Author))
        .route(
            "/newsroom/media",
            get(media::index)
                .post(media::upload)
                // Room for the largest image plus the form around it.
                .layer(DefaultBodyLimit::max(
                    dateline_media::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
}
