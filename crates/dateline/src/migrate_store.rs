//! `dateline migrate-store`: copies a data directory's SQLite database
//! into PostgreSQL (`dateline_store::copy`), showing progress, then checks
//! that every table has as many rows on both sides.

use crate::DataArgs;
use dateline_newsdesk::data_dir::DataDir;
use dateline_store::Db;
use std::io::Write;

#[derive(clap::Args)]
pub struct MigrateStoreArgs {
    /// The PostgreSQL database to copy into (postgres://…): an empty one,
    /// or one an earlier run of this command did not finish
    #[arg(long, value_name = "URL")]
    to: String,
    #[command(flatten)]
    data: DataArgs,
}

/// Refused while a server runs on the data directory (it would go on
/// writing the SQLite file). Safe to run again after an interruption: rows
/// already copied are kept, the rest follow.
pub async fn migrate_store(args: MigrateStoreArgs) -> anyhow::Result<()> {
    let settings = args.data.settings()?;
    let data = DataDir::new(&settings.data_dir);
    let file = data.database();
    if !file.exists() {
        anyhow::bail!("no database at {}: nothing to copy", file.display());
    }
    let _alone = data.take_alone()?;
    let source_name = std::fs::canonicalize(&file)
        .unwrap_or_else(|_| file.clone())
        .display()
        .to_string();
    let source = Db::open_sqlite(&file).await?;
    let target = Db::open_url(&args.to).await?;
    source.may_copy_into(&target, &source_name).await?;

    let started = std::time::Instant::now();
    let mut stderr = std::io::stderr();
    let mut shown = String::new();
    let copied = source
        .copy_into(
            &target,
            &source_name,
            time::OffsetDateTime::now_utc(),
            &mut |table, done, total| {
                let width = 30;
                let filled = usize::try_from((done * width).checked_div(total).unwrap_or(width))
                    .unwrap_or(0)
                    .min(30);
                let line = format!(
                    "\rCopying {table:<22} [{}{}] {done}/{total} rows",
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                );
                if line != shown {
                    let _ = write!(stderr, "{line}");
                    let _ = stderr.flush();
                    shown = line;
                }
            },
        )
        .await;
    eprintln!();
    source.close().await;
    let report = copied?;
    // The media folder goes into the database too, so that every
    // instance can serve every file.
    let media = data.media();
    let shared = dateline_newsdesk::media::share_folder(&target, &media, "", |done| {
        let _ = write!(stderr, "\rCopying media files: {done}");
        let _ = stderr.flush();
    })
    .await;
    eprintln!();
    let stored = target.media_file_count().await;
    target.close().await;
    let (shared, stored) = (shared?, stored?);
    if stored < i64::try_from(shared).unwrap_or(i64::MAX) {
        anyhow::bail!(
            "only {stored} of the {shared} media files are in the database (run the command again to finish)"
        );
    }
    let mismatches = report.mismatches();
    if !mismatches.is_empty() {
        let lines: Vec<String> = mismatches
            .iter()
            .map(|t| {
                format!(
                    "{}: {} rows in SQLite, {} in PostgreSQL",
                    t.table, t.source_rows, t.target_rows
                )
            })
            .collect();
        anyhow::bail!(
            "the copy does not match (run the command again to finish it): {}",
            lines.join("; ")
        );
    }
    let rows: i64 = report.tables.iter().map(|t| t.source_rows).sum();
    println!(
        "Copied {rows} rows of {} tables in {:.1} s; every table verified (same row count on both sides).",
        report.tables.len(),
        started.elapsed().as_secs_f32()
    );
    println!("Copied {shared} media files from {}.", media.display());
    println!(
        "Start Dateline on it with --database-url (or DATELINE_DATABASE_URL); the search index is rebuilt from the new database at start."
    );
    Ok(())
}
