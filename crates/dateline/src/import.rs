//! `dateline import wordpress|disqus`: a whole export taken in through
//! the newsroom's rules (`dateline_newsdesk::import`), with a progress bar
//! on a terminal, plain progress lines otherwise, and an end report.

use crate::DataArgs;
use dateline_newsdesk::Newsdesk;
use dateline_newsdesk::import::{ImportOptions, ImportReport, Progress};
use dateline_web::error::cause_chain;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (Tools > Export > All content: WXR 1.0 to 1.2):
    /// posts and pages, categories, tags, authors, featured images,
    /// comments and every old address.
    ///
    /// Safe to run again: what is in stays as it is. A run that was
    /// interrupted goes on where it stopped.
    Wordpress(ImportArgs),
    /// A Disqus export (Moderation > Export): its posts become the
    /// comments of the articles their threads are about.
    ///
    /// Run it after the WordPress import, whose posts the threads name.
    Disqus(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The export file
    #[arg(value_name = "EXPORT.xml")]
    file: PathBuf,
    /// Key of the site the export goes to; posts in the language of
    /// another edition of it go to that edition
    #[arg(long, value_name = "KEY")]
    site: String,
    /// A copy of the old site's wp-content/uploads, for featured images
    /// (WordPress only)
    #[arg(long, value_name = "DIR")]
    media_dir: Option<PathBuf>,
    /// Read everything and print the report; write nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// Exits non-zero when the file could not be imported at all, or stopped
/// before its end (what came before was imported).
pub async fn import(command: ImportCommand) -> anyhow::Result<()> {
    let (wordpress, args) = match command {
        ImportCommand::Wordpress(args) => (true, args),
        ImportCommand::Disqus(args) => (false, args),
    };
    if !wordpress && args.media_dir.is_some() {
        anyhow::bail!("--media-dir: Disqus exports hold no media; give it to `import wordpress`");
    }
    let settings = args.data.settings()?;
    settings.validate()?;
    let db = crate::open_existing(&settings).await?;
    let (desk, feed) = Newsdesk::beside_servers(db.clone(), crate::cli_config(&settings)).await?;
    let result = run(&desk, &args, wordpress).await;
    feed.stop().await;
    db.close().await;
    let report = result?;
    print!("{report}");
    if report.incomplete() {
        anyhow::bail!(
            "{}: the file stopped before its end; fix or export it again and run the same command: what is in stays",
            args.file.display()
        );
    }
    Ok(())
}

async fn run(desk: &Newsdesk, args: &ImportArgs, wordpress: bool) -> anyhow::Result<ImportReport> {
    let network = desk.network();
    let site = crate::ingest::site_named(&network, &args.site)?;
    let options = ImportOptions {
        site: site.site.id,
        media_dir: args.media_dir.as_deref(),
        dry_run: args.dry_run,
    };
    let shown = args.file.display().to_string();
    let mut bar = ProgressLine::new(std::io::stderr().is_terminal());
    let mut progress = |p: Progress| bar.show(p);
    let report = if wordpress {
        desk.import_wordpress(&args.file, &shown, options, &mut progress)
            .await
    } else {
        desk.import_disqus(&args.file, &shown, options, &mut progress)
            .await
    };
    bar.finish();
    report.map_err(|e| anyhow::anyhow!(cause_chain(&e)))
}

/// Progress on standard error: a bar redrawn in place on a terminal, a
/// plain line every few seconds otherwise (logs, CI).
struct ProgressLine {
    terminal: bool,
    started: Instant,
    shown: Option<Instant>,
    last: Progress,
}

impl ProgressLine {
    fn new(terminal: bool) -> ProgressLine {
        ProgressLine {
            terminal,
            started: Instant::now(),
            shown: None,
            last: Progress::default(),
        }
    }

    fn show(&mut self, progress: Progress) {
        self.last = progress;
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        if self.shown.is_some_and(|at| at.elapsed() < every) {
            return;
        }
        self.shown = Some(Instant::now());
        let line = self.line();
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(err, "\r{line}\x1b[K")
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
    }

    fn line(&self) -> String {
        let p = self.last;
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = p.items as f64 / elapsed;
        let share = if p.total_bytes > 0 {
            p.bytes as f64 / p.total_bytes as f64
        } else {
            0.0
        };
        let left = if share > 0.01 {
            let seconds = (elapsed / share - elapsed).max(0.0) as u64;
            format!("{}m{:02}s left", seconds / 60, seconds % 60)
        } else {
            "time left unknown".to_owned()
        };
        let width = 24;
        let filled = ((share * width as f64) as usize).min(width);
        let bar = if self.terminal {
            format!("[{}{}] ", "#".repeat(filled), ".".repeat(width - filled))
        } else {
            String::new()
        };
        format!(
            "{bar}{}/{} items, {:.1}/{:.1} MB, {rate:.0} items/s, {left}",
            p.items,
            p.total_items,
            p.bytes as f64 / 1e6,
            p.total_bytes as f64 / 1e6,
        )
    }

    fn finish(&mut self) {
        if self.shown.is_some() {
            let line = self.line();
            let mut err = std::io::stderr().lock();
            let _ = if self.terminal {
                writeln!(err, "\r{line}\x1b[K")
            } else {
                writeln!(err, "{line}")
            };
        }
    }
}
