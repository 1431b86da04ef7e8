//! The import readers (`dateline_ingest::archive::WxrReader`, `DisqusReader`):
//! whatever bytes an export holds, read as a WordPress export and as a
//! Disqus export.
//!
//! Checks, for each reader: nothing panics; the same bytes read twice give
//! the same outcomes; an error is the last outcome and names the file;
//! item offsets (WXR `item`, Disqus `post`) strictly increase and each
//! points at that element's start tag in the input.
//!
//! Cut short: the entries read from the input cut at a point are a
//! prefix of those read from the whole input (an entry is yielded only
//! once its end tag is read, from the bytes before it), and hold every
//! item whose next item starts before the cut.
//!
//! Resumed: when no entry but items follows the first item, resuming at
//! an item's offset gives the entries before the first item, then the
//! whole reading's outcomes from that item on, error included (the same
//! line and byte: skipped bytes are counted).

#![no_main]

use dateline_ingest::archive::{DisqusEntry, DisqusReader, ImportError, WxrEntry, WxrReader};
use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.xml";

/// What the checks need to know of an entry of either format.
trait Entry: Clone + PartialEq + std::fmt::Debug {
    /// The offset of an item (a WXR `item`, a Disqus `post`).
    fn item_offset(&self) -> Option<u64>;
}

impl Entry for WxrEntry {
    fn item_offset(&self) -> Option<u64> {
        match self {
            WxrEntry::Item(item) => Some(item.offset),
            _ => None,
        }
    }
}

impl Entry for DisqusEntry {
    fn item_offset(&self) -> Option<u64> {
        match self {
            DisqusEntry::Post(post) => Some(post.offset),
            _ => None,
        }
    }
}

type Outcomes<E> = Vec<Result<E, ImportError>>;

fn entries<E: Entry>(outcomes: &Outcomes<E>) -> Vec<E> {
    outcomes.iter().flatten().cloned().collect()
}

fn check<E: Entry>(
    data: &[u8],
    tag: &[u8],
    read: impl Fn(&[u8]) -> Outcomes<E>,
    resume: impl Fn(&[u8], u64) -> Outcomes<E>,
) {
    let whole = read(data);
    assert_eq!(whole, read(data), "read twice");
    for (n, outcome) in whole.iter().enumerate() {
        if let Err(error) = outcome {
            assert_eq!(n + 1, whole.len(), "outcomes after {error}");
            assert!(error.to_string().starts_with("fuzz.xml: "), "{error}");
        }
    }
    let all = entries(&whole);
    let offsets: Vec<u64> = all.iter().filter_map(Entry::item_offset).collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    for &offset in &offsets {
        let at = &data[usize::try_from(offset).unwrap()..];
        let start = [b"<".as_slice(), tag].concat();
        assert!(
            at.starts_with(&start)
                && matches!(
                    at.get(start.len()),
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
                ),
            "offset {offset}"
        );
    }

    let cuts = [
        data.len() / 3,
        data.len() / 2,
        data.len().saturating_sub(1),
        usize::from(data.first().copied().unwrap_or(0)) * data.len() / 256,
    ];
    for cut in cuts {
        let part = entries(&read(&data[..cut]));
        assert_eq!(part[..], all[..part.len().min(all.len())], "cut at {cut}");
        assert!(part.len() <= all.len(), "cut at {cut}");
        let complete = offsets.windows(2).filter(|w| w[1] <= cut as u64).count();
        let read_items = part.iter().filter(|e| e.item_offset().is_some()).count();
        assert!(
            read_items >= complete,
            "cut at {cut}: {read_items} < {complete}"
        );
    }

    let first_item = all.iter().position(|e| e.item_offset().is_some());
    let Some(first_item) = first_item else {
        return;
    };
    if all[first_item..].iter().any(|e| e.item_offset().is_none()) {
        return;
    }
    let head: Outcomes<E> = all[..first_item].iter().cloned().map(Ok).collect();
    let first_outcome = whole
        .iter()
        .position(|o| o.as_ref().is_ok_and(|e| e.item_offset().is_some()))
        .unwrap_or(whole.len());
    for (k, &offset) in offsets.iter().enumerate().take(4) {
        let mut expected = head.clone();
        expected.extend_from_slice(&whole[first_outcome + k..]);
        assert_eq!(resume(data, offset), expected, "resumed at {offset}");
    }
}

fuzz_target!(|data: &[u8]| {
    check(
        data,
        b"item",
        |bytes| WxrReader::new(FILE, bytes).collect(),
        |bytes, offset| WxrReader::resume(FILE, bytes, offset).collect(),
    );
    check(
        data,
        b"post",
        |bytes| DisqusReader::new(FILE, bytes).collect(),
        |bytes, offset| DisqusReader::resume(FILE, bytes, offset).collect(),
    );
});
