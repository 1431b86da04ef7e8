//! `dateline ingest`: takes wire files in once, exactly as a source's drop
//! folder would (`dateline_newsdesk::wire`), and prints one line per item.

use crate::DataArgs;
use crate::config::WireSourceSetting;
use dateline_core::wire::{SourceMode, SourceName, UpdatePolicy};
use dateline_newsdesk::Newsdesk;
use dateline_newsdesk::wire::{FileReport, IngestOptions, NewWireSource, WireSource};
use dateline_web::error::cause_chain;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Key of the site the source feeds (`courier-en`); items in the
    /// language of another edition of it go to that edition
    #[arg(long, value_name = "KEY")]
    site: String,
    /// The source's name: made on first use (queuing for the wire desk),
    /// else its settings in the newsroom apply
    #[arg(long, value_name = "NAME", default_value = "wire")]
    source: String,
    /// Publish new items at once (or when their embargo ends) instead of
    /// queuing them on the wire desk
    #[arg(long)]
    publish: bool,
    #[command(flatten)]
    data: DataArgs,
    /// NewsML-G2, ninjs, RSS or Atom files
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Lines start with the outcome (accepted, updated, skipped, held, killed
/// or refused) for scripts. Exits non-zero only when a file could not be
/// read at all; refused items and files are reported, not failures.
pub async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    let settings = args.data.settings()?;
    settings.validate()?;
    let name = SourceName::parse(&args.source)
        .map_err(|e| anyhow::anyhow!("--source {:?}: {e}", args.source))?;
    let db = crate::open_existing(&settings).await?;
    // A server running on the same database learns of the changes
    // through the change feed, within a second.
    let (desk, feed) = Newsdesk::beside_servers(db.clone(), crate::cli_config(&settings)).await?;
    let mut result = declare_sources(&desk, &settings.wire_sources).await;
    if result.is_ok() {
        result = run(&desk, &args, &name).await;
    }
    feed.stop().await;
    db.close().await;
    result
}

async fn run(desk: &Newsdesk, args: &IngestArgs, name: &SourceName) -> anyhow::Result<()> {
    let network = desk.network();
    let site = site_named(&network, &args.site)?;
    let source = source(desk, name, site.site.id, &network.site_key(site.site.id)).await?;
    let options = IngestOptions {
        mode: args.publish.then_some(SourceMode::Publish),
        ..IngestOptions::default()
    };
    let mut unreadable = 0;
    let mut totals = std::collections::BTreeMap::<&str, usize>::new();
    for path in &args.files {
        let shown = path.display().to_string();
        let report = desk
            .ingest_path(&source, path, &shown, options)
            .await
            .map_err(|e| anyhow::anyhow!("{shown}: {}", cause_chain(&e)))?;
        unreadable += usize::from(report.unreadable);
        for (word, line) in lines(&report, &network) {
            *totals.entry(word).or_default() += 1;
            println!("{word}: {line}");
        }
    }
    let summary: Vec<String> = totals.iter().map(|(w, n)| format!("{n} {w}")).collect();
    eprintln!(
        "{} file(s) for source {} ({}): {}",
        args.files.len(),
        source.name,
        options.mode.unwrap_or(source.mode).as_str(),
        if summary.is_empty() {
            "no items".to_owned()
        } else {
            summary.join(", ")
        }
    );
    if unreadable > 0 {
        anyhow::bail!("{unreadable} file(s) could not be read");
    }
    Ok(())
}

/// The site a `--site KEY` names, or an error listing the keys.
pub fn site_named<'n>(
    network: &'n dateline_newsdesk::sites::Network,
    key: &str,
) -> anyhow::Result<&'n std::sync::Arc<dateline_newsdesk::sites::SiteEntry>> {
    network
        .sites
        .iter()
        .find(|e| e.site.key == key)
        .ok_or_else(|| {
            let known: Vec<&str> = network.sites.iter().map(|e| e.site.key.as_str()).collect();
            anyhow::anyhow!(
                "--site {key:?}: no such site; sites are {}",
                known.join(", ")
            )
        })
}

/// Makes or sets the sources the configuration declares.
pub async fn declare_sources(desk: &Newsdesk, sources: &[WireSourceSetting]) -> anyhow::Result<()> {
    let network = desk.network();
    for source in sources {
        let Some(site) = network.sites.iter().find(|e| e.site.key == source.site) else {
            let known: Vec<&str> = network.sites.iter().map(|e| e.site.key.as_str()).collect();
            anyhow::bail!(
                "wire_sources: {}: no site {:?}; sites are {}",
                source.name,
                source.site,
                known.join(", ")
            );
        };
        let checked = source.check()?;
        desk.save_wire_source(&NewWireSource {
            name: checked.name.as_str(),
            label: &checked.label,
            site: site.site.id,
            mode: checked.mode,
            updates: checked.updates,
            url: &checked.url,
            poll_seconds: checked.poll_seconds,
        })
        .await?;
    }
    Ok(())
}

/// The source of that name, made on first use for this site.
async fn source(
    desk: &Newsdesk,
    name: &SourceName,
    site: dateline_core::SiteId,
    site_key: &str,
) -> anyhow::Result<WireSource> {
    if let Some(source) = desk.wire_source(name.as_str()).await? {
        if source.site != site {
            anyhow::bail!(
                "--source {name} feeds the site {}, not {site_key}",
                desk.network().site_key(source.site)
            );
        }
        return Ok(source);
    }
    let label = name.as_str().to_uppercase();
    desk.save_wire_source(&NewWireSource {
        name: name.as_str(),
        label: &label,
        site,
        mode: SourceMode::Queue,
        updates: UpdatePolicy::DeskDecides,
        url: "",
        poll_seconds: 300,
    })
    .await?;
    eprintln!("Made the source {name} for {site_key} (queues items for the wire desk).");
    desk.wire_source(name.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("the source {name} was not saved"))
}

/// One line per item: the outcome's word, then the file, item and detail.
fn lines(
    report: &FileReport,
    network: &dateline_newsdesk::sites::Network,
) -> Vec<(&'static str, String)> {
    if let Some(reason) = &report.refused {
        return vec![("refused", reason.clone())];
    }
    report
        .items
        .iter()
        .map(|item| {
            let word = item.outcome.word();
            let line = if item.guid.is_empty() {
                item.outcome.describe()
            } else {
                let version = item.version.map(|v| format!(" v{v}")).unwrap_or_default();
                let edition = item
                    .site
                    .map(|s| format!(" [{}]", network.site_key(s)))
                    .unwrap_or_default();
                let notes: String = item.notes.iter().map(|n| format!("; {n}")).collect();
                format!(
                    "{}: {}{version}{edition}: {}{notes}",
                    report.file,
                    item.guid,
                    item.outcome.describe()
                )
            };
            (word, line)
        })
        .collect()
}
