//! Feeds of a site and of each section, tag and author: RSS 2.0, Atom 1.0
//! (RFC 4287) and JSON Feed 1.1, with the full text of each article and its
//! lead image (or the summary only, as the site's `feed_content` setting
//! says). Item ids are stable URNs made of the site key and the article
//! id, so they survive changes of slug, section or host.
//!
//! Feeds name the site's WebSub hub (`rel="hub"`, W3C WebSub §4) in the
//! feed and in a `Link` header, so readers get new items pushed.

use crate::AppState;
use crate::network::Edition;
use crate::render::feeds::{Format, author, section, site, tag};
use axum::extract::{Path, State};

/// Routes for the three formats of each kind of feed.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    let mut router = axum::Router::new();
    for format in [Format::Rss, Format::Atom, Format::Json] {
        let file = format.file();
        router = router
            .route(
                &format!("/{file}"),
                get(
                    move |State(app): State<AppState>, edition: Edition| async move {
                        site(&app, &edition, format).await
                    },
                ),
            )
            .route(
                &format!("/{{section}}/{file}"),
                get(
                    move |State(app): State<AppState>,
                          edition: Edition,
                          Path(slug): Path<String>| async move {
                        section(&app, &edition, &slug, format).await
                    },
                ),
            )
            .route(
                &format!("/tag/{{slug}}/{file}"),
                get(
                    move |State(app): State<AppState>,
                          edition: Edition,
                          Path(slug): Path<String>| async move {
                        tag(&app, &edition, &slug, format).await
                    },
                ),
            )
            .route(
                &format!("/author/{{slug}}/{file}"),
                get(
                    move |State(app): State<AppState>,
                          edition: Edition,
                          Path(slug): Path<String>| async move {
                        author(&app, &edition, &slug, format).await
                    },
                ),
            );
    }
    router
}
