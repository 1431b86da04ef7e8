//! A large WordPress export read in flat memory. A test binary of its
//! own: the peak resident memory it measures (`VmHWM`) is the process's,
//! and no other test may run beside it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dateline_ingest::archive::{WxrEntry, WxrReader};
use std::io::Read;

/// A WXR 1.2 export of `items` posts, each with a body of `body_bytes`
/// and three comments, written as it is read: the file never exists
/// whole, here or on disk.
struct Export {
    items: u64,
    body_bytes: usize,
    next: u64,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
    written: u64,
}

impl Export {
    fn new(items: u64, body_bytes: usize) -> Self {
        let head = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Large</title>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://large.example.org</wp:base_site_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[desk]]></wp:author_login></wp:author>
"#;
        Self {
            items,
            body_bytes,
            next: 1,
            chunk: head.as_bytes().to_vec(),
            at: 0,
            done: false,
            written: 0,
        }
    }

    fn item(&self, id: u64) -> Vec<u8> {
        let sentence = "<p>The harbour authority said on Saturday that traffic would return to normal — بحسب سلطة الميناء.</p>\n";
        let body = sentence.repeat(self.body_bytes / sentence.len() + 1);
        let comments: String = (0..3)
            .map(|n| {
                format!(
                    "\t\t<wp:comment>\n\t\t\t<wp:comment_id>{}</wp:comment_id>\n\t\t\t<wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>\n\t\t\t<wp:comment_date_gmt><![CDATA[2026-12-01 08:0{n}:00]]></wp:comment_date_gmt>\n\t\t\t<wp:comment_content><![CDATA[Comment {n} on post {id}.]]></wp:comment_content>\n\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>\n\t\t\t<wp:comment_parent>0</wp:comment_parent>\n\t\t</wp:comment>\n",
                    id * 10 + n
                )
            })
            .collect();
        format!(
            "\t<item>\n\t\t<title><![CDATA[Story {id}]]></title>\n\t\t<link>https://large.example.org/?p={id}</link>\n\t\t<dc:creator><![CDATA[desk]]></dc:creator>\n\t\t<content:encoded><![CDATA[{body}]]></content:encoded>\n\t\t<wp:post_id>{id}</wp:post_id>\n\t\t<wp:post_date_gmt><![CDATA[2026-12-01 07:30:00]]></wp:post_date_gmt>\n\t\t<wp:status><![CDATA[publish]]></wp:status>\n\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n\t\t<wp:postmeta>\n\t\t<wp:meta_key><![CDATA[_wp_old_slug]]></wp:meta_key>\n\t\t<wp:meta_value><![CDATA[story-{id}]]></wp:meta_value>\n\t\t</wp:postmeta>\n{comments}\t</item>\n"
        )
        .into_bytes()
    }
}

impl Read for Export {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            self.chunk = if self.next <= self.items {
                self.next += 1;
                self.item(self.next - 1)
            } else {
                self.done = true;
                b"</channel>\n</rss>\n".to_vec()
            };
            self.at = 0;
        }
        let n = (self.chunk.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        self.written += n as u64;
        Ok(n)
    }
}

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reads an export of `items` posts, checking each; returns its size in
/// bytes and the growth of peak memory after the first hundred entries.
fn read_large(items: u64, body_bytes: usize) -> (u64, Option<u64>) {
    let mut export = Export::new(items, body_bytes);
    let mut reader = WxrReader::new("large.xml", &mut export);
    let mut expected = 1;
    let mut last_offset = None;
    let mut before = None;
    for (n, entry) in reader.by_ref().enumerate() {
        if n == 100 {
            before = peak_kib();
        }
        if let WxrEntry::Item(item) = entry.unwrap() {
            assert_eq!(item.post_id, Some(expected));
            assert_eq!(item.comments.len(), 3);
            assert!(item.content.len() >= body_bytes);
            assert!(last_offset < Some(item.offset));
            last_offset = Some(item.offset);
            expected += 1;
        }
    }
    assert_eq!(expected, items + 1, "every item read");
    let growth = before.zip(peak_kib()).map(|(b, a)| a.saturating_sub(b));
    drop(reader);
    (export.written, growth)
}

#[test]
fn a_large_export_is_read_in_flat_memory() {
    let (bytes, growth) = read_large(20_000, 2_000);
    assert!(bytes > 50_000_000, "{bytes} bytes");
    let Some(growth) = growth else {
        eprintln!("no /proc/self/status: peak memory not measured");
        return;
    };
    eprintln!(
        "20,000 items, {} MB: peak resident memory grew {growth} KiB after the first 100 entries",
        bytes / 1_000_000
    );
    // The whole file is 75 MB: a reader that kept items (or the file)
    // would grow by that much; one item with its comments is 5 KB.
    assert!(growth < 8 * 1024, "peak memory grew {growth} KiB");
}

/// The same at a size and speed worth reporting:
/// `IMPORT_ITEMS=200000 cargo test --release -p dateline_ingest --test archive_memory -- --ignored --nocapture`.
#[test]
#[ignore = "large: run by hand in release"]
fn a_very_large_export_is_read_in_flat_memory() {
    let items = std::env::var("IMPORT_ITEMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let started = std::time::Instant::now();
    let (bytes, growth) = read_large(items, 4_000);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{items} items, {} MB in {seconds:.1} s ({:.0} items/s, {:.0} MB/s); peak resident memory {} KiB, grown {} KiB after the first 100 entries",
        bytes / 1_000_000,
        items as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        peak_kib().unwrap_or_default(),
        growth.unwrap_or_default(),
    );
    assert!(growth.is_none_or(|g| g < 8 * 1024));
}
