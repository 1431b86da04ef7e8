//! `dateline backup` and `dateline restore`: the command lines and what
//! they print; the work is `dateline_newsdesk::backup` (`docs/backup.md`).

use crate::DataArgs;
use dateline_newsdesk::backup::restore::RestoreError;
use dateline_newsdesk::backup::{FORMAT, Manifest};
use dateline_newsdesk::data_dir::DataDir;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// A new or empty directory to write the backup into
    #[arg(value_name = "DEST")]
    destination: PathBuf,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A directory made by `dateline backup`
    #[arg(value_name = "SRC")]
    source: PathBuf,
    /// If the data directory is not empty, move what it holds aside to
    /// <DIR>.before-restore-<time> (nothing is deleted)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// The data directory the flags, environment and configuration name.
/// Refused when the database is PostgreSQL: these commands copy the
/// SQLite file (`docs/backup.md` says how to back up PostgreSQL).
fn data_dir(args: DataArgs) -> anyhow::Result<DataDir> {
    let settings = args.settings()?;
    if !settings.database_url.is_empty() {
        anyhow::bail!(
            "the database is PostgreSQL (--database-url): back it up with pg_dump and copy the media folder {}; this command copies the data directory's SQLite file",
            DataDir::new(&settings.data_dir).media().display()
        );
    }
    Ok(DataDir::new(settings.data_dir))
}

/// `dateline backup DEST`: safe while the server runs.
pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let data = data_dir(args.data)?;
    let started = std::time::Instant::now();
    let report = dateline_newsdesk::backup::back_up(&data, &args.destination).await?;
    let manifest = &report.manifest;
    println!(
        "Backed up {} to {} in {:.1} s (backup format {FORMAT}):",
        data.root().display(),
        report.destination.display(),
        started.elapsed().as_secs_f32()
    );
    println!("  database: {} (integrity checked)", summary(manifest));
    println!(
        "  media: {} files, {:.1} MB",
        manifest.media_files,
        manifest.media_bytes as f64 / 1_000_000.0
    );
    if let Some(first) = manifest.missing_media.first() {
        eprintln!(
            "warning: {} media files the database names were already missing from {} \
             (first {first}); the manifest lists them",
            manifest.missing_media.len(),
            data.media().display()
        );
    } else {
        println!("  every media file the database names is in the backup");
    }
    println!("  not copied: the search index (rebuilt from the database at start)");
    Ok(())
}

/// `dateline restore SRC`: only while no server uses the data directory.
pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let data = data_dir(args.data)?;
    let report =
        match dateline_newsdesk::backup::restore::restore(&args.source, &data, args.force).await {
            Ok(report) => report,
            Err(RestoreError::NotEmpty { data_dir, aside }) => anyhow::bail!(
                "the data directory {} is not empty: restore into a new or empty directory, \
                 or give --force to move what it holds aside to {}",
                data_dir.display(),
                aside.display()
            ),
            Err(other) => return Err(other.into()),
        };
    let manifest = &report.manifest;
    let made = manifest
        .created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| manifest.created_at.to_string());
    println!(
        "Restored {} (made {made} by Dateline {}) into {}:",
        args.source.display(),
        manifest.dateline_version,
        data.root().display()
    );
    println!("  database: {}", summary(manifest));
    println!("  media: {} files", manifest.media_files);
    if let Some(aside) = &report.moved_aside {
        println!(
            "  what the data directory held before is now in {}",
            aside.display()
        );
    }
    println!("The search index is rebuilt when the server starts.");
    Ok(())
}

fn summary(manifest: &Manifest) -> String {
    let d = &manifest.database;
    format!(
        "schema {}, {} sites, {} articles, {} comments, {} users, {} images",
        d.schema, d.sites, d.articles, d.comments, d.users, d.media
    )
}
