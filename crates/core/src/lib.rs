//! Dateline's domain: languages, sites, articles and the rules that govern
//! them (slugs, Arabic normalisation, date stamps, pagination, what a
//! search query means).
//!
//! This crate does no IO and knows nothing of HTTP or SQL, so every rule here
//! is a plain function with fast unit tests. Storage, search and the web layer
//! depend on it; it depends on none of them.

pub mod accounts;
pub mod arabic;
pub mod classifier;
pub mod comments;
pub mod content;
pub mod dates;
pub mod editing;
pub mod import;
pub mod lang;
pub mod live;
pub mod paging;
pub mod purge;
pub mod redact;
pub mod redirect;
pub mod search;
pub mod security_code;
pub mod settings;
pub mod signature;
pub mod slug;
pub mod terms;
pub mod websub;
pub mod wire;
pub mod workflow;

pub use content::*;
/// Why the system could not give random bytes (tokens, codes, passwords).
pub use getrandom::Error as RandomError;
pub use lang::{Direction, Lang};
pub use slug::Slug;
