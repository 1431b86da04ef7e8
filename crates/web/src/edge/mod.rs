//! The edge: what every request and response passes through, outside the
//! handlers. The front door answers page-cache hits before anything else
//! runs; behind it, middleware adds security headers, turns errors into
//! the site's error pages, and finishes pages (the page cache, conditional
//! GET, compression).

pub mod compression;
pub mod conditional;
pub mod connections;
pub mod front_door;
pub mod middleware;
pub mod page;
pub mod page_cache;
