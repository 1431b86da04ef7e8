// The migrations are embedded by `sqlx::migrate!`; a new file in their
// folders must rebuild the crate (sqlx's documented advice), or a
// local build keeps running without it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
