//! Rendering: templates (`views`), translations (`i18n`), static assets,
//! the site chrome rendered once per site, metadata for search engines and
//! social networks, feeds, and the article and comment views that the
//! public site and the newsroom's preview share. Nothing here answers a
//! route; handlers call it.

pub mod article;
pub mod assets;
pub mod chrome;
pub mod comments;
pub mod feeds;
pub mod i18n;
pub mod live;
pub mod metadata;
pub mod page;
pub mod search;
pub mod stamps;
pub mod views;
