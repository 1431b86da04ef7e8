//! Purging beyond this process: the application announces changes
//! (`dateline_newsdesk::changes`); `webhooks` sends them to CDNs.

pub mod webhooks;

pub use dateline_newsdesk::changes::Purge;
