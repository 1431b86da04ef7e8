//! What an import did, for the person who ran it: counts by kind and
//! outcome, every item skipped with its reason, missing media, unmatched
//! threads, and where the file stopped if it was cut short.

use std::collections::BTreeMap;
use std::fmt;

/// How far a run is, for a progress bar: bytes from the items' offsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub items: u64,
    pub total_items: u64,
}

/// The end report of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    pub dry_run: bool,
    /// The byte offset a run cut short had reached, when this one went on
    /// from there.
    pub resumed_at: Option<u64>,
    /// How many of each kind (`post`, `page`, `comment`, `attachment`,
    /// `thread`…) had each outcome (`created`, `unchanged`, `skipped`…).
    pub counts: BTreeMap<(&'static str, &'static str), u64>,
    /// Every item skipped, with why.
    pub skipped: Vec<String>,
    /// Pictures that could not be had; their old addresses, to fix later.
    pub missing_media: Vec<String>,
    /// Disqus threads no article was found for.
    pub unmatched_threads: Vec<String>,
    /// What the body cleaner changed, by kind, with how many items.
    pub cleaning: BTreeMap<String, u64>,
    /// Where and why the file stopped before its end (truncated,
    /// malformed): what came whole before it was imported.
    pub stopped: Option<String>,
}

impl ImportReport {
    pub(super) fn new(file: &str, dry_run: bool) -> ImportReport {
        ImportReport {
            file: file.to_owned(),
            dry_run,
            ..ImportReport::default()
        }
    }

    pub(super) fn count(&mut self, kind: &'static str, outcome: &'static str) {
        *self.counts.entry((kind, outcome)).or_default() += 1;
    }

    pub(super) fn skip(&mut self, kind: &'static str, why: String) {
        self.count(kind, "skipped");
        self.skipped.push(why);
    }

    /// How many of `kind` had `outcome`.
    pub fn counted(&self, kind: &str, outcome: &str) -> u64 {
        self.counts
            .iter()
            .filter(|((k, o), _)| *k == kind && *o == outcome)
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether the run should exit with failure: the file was cut short.
    pub fn incomplete(&self) -> bool {
        self.stopped.is_some()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would import (dry run, nothing written)"
        } else {
            "imported"
        };
        writeln!(f, "{}: {verb}", self.file)?;
        if let Some(offset) = self.resumed_at {
            writeln!(
                f,
                "  resumed at byte {offset}, where an earlier run stopped"
            )?;
        }
        let mut kinds: Vec<&str> = self.counts.keys().map(|(kind, _)| *kind).collect();
        kinds.dedup();
        for kind in kinds {
            let outcomes: Vec<String> = self
                .counts
                .iter()
                .filter(|((k, _), _)| *k == kind)
                .map(|((_, outcome), n)| format!("{n} {outcome}"))
                .collect();
            writeln!(f, "  {kind}: {}", outcomes.join(", "))?;
        }
        for (change, n) in &self.cleaning {
            writeln!(f, "  cleaned: {change} ({n})")?;
        }
        let lists = [
            ("skipped", &self.skipped),
            ("missing media", &self.missing_media),
            ("unmatched threads", &self.unmatched_threads),
        ];
        for (title, lines) in lists {
            if !lines.is_empty() {
                writeln!(f, "{title} ({}):", lines.len())?;
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
            }
        }
        if let Some(stopped) = &self.stopped {
            writeln!(f, "stopped early: {stopped}")?;
            writeln!(f, "  everything before that point was imported")?;
        }
        Ok(())
    }
}
