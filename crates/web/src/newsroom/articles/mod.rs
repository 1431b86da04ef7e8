//! The newsroom's articles: lists, the editor, saving, history and
//! corrections, the trash. Handlers and their pages only: every rule and
//! write is the application's (`dateline_newsdesk::articles`).

pub(crate) mod editor;
pub(crate) mod list;
pub(crate) mod revisions;
pub(crate) mod save;
pub(crate) mod trash;

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::auth::Staff;
use dateline_core::accounts::Role;
use dateline_core::{ArticleId, ArticleState};
use dateline_store::EditableArticle;

/// An article of the site that this user's role may act on by `rule`
/// (`workflow::may_edit`, `may_delete`); the flag says it is their own.
pub(crate) async fn load_for(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    id: i64,
    rule: fn(Role, bool, ArticleState) -> bool,
) -> Result<(EditableArticle, bool), AppError> {
    Ok(app
        .desk
        .article_for(staff.on(edition), ArticleId(id), rule)
        .await?)
}

pub(crate) async fn load(
    app: &AppState,
    edition: &Edition,
    id: i64,
) -> Result<EditableArticle, AppError> {
    app.db
        .editable_article(edition.site().id, ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)
}
