//! Compression of buffered responses (pages, feeds): one-shot gzip with
//! libdeflate, which is several times faster than zlib at the same level,
//! and brotli. Streaming responses (media files) are left to tower-http's
//! `CompressionLayer`, which skips anything already encoded here.

use axum::body::Bytes;
use axum::http::HeaderValue;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

/// Bodies smaller than this are sent as they are: the headers would eat the gain.
pub const MIN_COMPRESSED_SIZE: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }
}

/// The encoding to use for a request's `Accept-Encoding` (RFC 9110
/// §12.5.3): brotli when accepted, else gzip; `q=0` refuses a coding.
pub fn negotiate(accept_encoding: Option<&HeaderValue>) -> Option<Encoding> {
    let header = accept_encoding?.to_str().ok()?;
    let mut brotli = false;
    let mut gzip = false;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=")
                .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        if refused {
            continue;
        }
        match coding.as_str() {
            "br" => brotli = true,
            "gzip" | "x-gzip" => gzip = true,
            "*" => {
                brotli = true;
                gzip = true;
            }
            _ => {}
        }
    }
    if brotli {
        Some(Encoding::Brotli)
    } else if gzip {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

thread_local! {
    /// libdeflate compressors keep sizeable work buffers; one per thread
    /// and level avoids allocating them per response.
    static GZIP: RefCell<Option<(i32, libdeflater::Compressor)>> = const { RefCell::new(None) };
}

/// Compresses `body` at `level` (1 fastest .. 9); `None` if it fails.
pub fn compress(encoding: Encoding, level: u32, body: &[u8]) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Gzip => gzip(level, body),
        Encoding::Brotli => brotli(level, body),
    }
}

fn gzip(level: u32, body: &[u8]) -> Option<Vec<u8>> {
    let level = level.clamp(1, 12) as i32;
    GZIP.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(l, _)| *l != level) {
            let compression = libdeflater::CompressionLvl::new(level).ok()?;
            *slot = Some((level, libdeflater::Compressor::new(compression)));
        }
        let (_, compressor) = slot.as_mut()?;
        let mut out = vec![0; compressor.gzip_compress_bound(body.len())];
        let written = compressor.gzip_compress(body, &mut out).ok()?;
        out.truncate(written);
        Some(out)
    })
}

fn brotli(level: u32, body: &[u8]) -> Option<Vec<u8>> {
    // Window 2^22, the brotli default.
    let mut writer = brotli::CompressorWriter::new(
        Vec::with_capacity(body.len() / 3),
        4096,
        level.clamp(1, 11),
        22,
    );
    writer.write_all(body).ok()?;
    writer.flush().ok()?;
    Some(writer.into_inner())
}

/// Compressed forms of recently sent bodies, keyed by their content.
///
/// Pages are rendered for every request, but most renders of a popular
/// page are byte for byte the same, and compressing them again is the
/// largest cost of a response. A hit is checked byte for byte, so a hash
/// collision can never send the wrong page.
pub struct CompressionMemo {
    capacity: usize,
    entries: Mutex<HashMap<(u64, Encoding), (Bytes, Bytes)>>,
}

impl CompressionMemo {
    /// A memo of at most `capacity` bodies; 0 turns it off.
    pub fn new(capacity: usize) -> CompressionMemo {
        CompressionMemo {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The compressed form of `body`, from the memo or compressed now.
    pub fn compress(
        &self,
        encoding: Encoding,
        level: u32,
        hash: u64,
        body: &Bytes,
    ) -> Option<Bytes> {
        if self.capacity == 0 {
            return compress(encoding, level, body).map(Bytes::from);
        }
        if let Ok(entries) = self.entries.lock()
            && let Some((original, compressed)) = entries.get(&(hash, encoding))
            && original == body
        {
            return Some(compressed.clone());
        }
        let compressed = Bytes::from(compress(encoding, level, body)?);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert((hash, encoding), (body.clone(), compressed.clone()));
        }
        Some(compressed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_never_answers_for_different_bytes_under_the_same_key() {
        let memo = CompressionMemo::new(8);
        let a = Bytes::from("<p>first page</p>".repeat(100));
        let b = Bytes::from("<p>other page</p>".repeat(100));
        let first = memo.compress(Encoding::Gzip, 4, 42, &a).unwrap();
        let second = memo.compress(Encoding::Gzip, 4, 42, &b).unwrap();
        assert_ne!(first, second);
        assert_eq!(memo.compress(Encoding::Gzip, 4, 42, &b).unwrap(), second);
    }

    #[test]
    fn brotli_is_preferred_and_q_zero_refuses() {
        let h = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(
            negotiate(Some(&h("gzip, deflate, br"))),
            Some(Encoding::Brotli)
        );
        assert_eq!(negotiate(Some(&h("gzip"))), Some(Encoding::Gzip));
        assert_eq!(
            negotiate(Some(&h("br;q=0, gzip;q=0.5"))),
            Some(Encoding::Gzip)
        );
        assert_eq!(negotiate(Some(&h("identity"))), None);
        assert_eq!(negotiate(Some(&h("*"))), Some(Encoding::Brotli));
        assert_eq!(negotiate(None), None);
    }

    #[test]
    fn compressed_bodies_are_smaller_and_well_formed() {
        let body = "<p>Palmyra</p>\n".repeat(200);
        let gz = compress(Encoding::Gzip, 4, body.as_bytes()).unwrap();
        assert!(gz.len() < body.len() / 4);
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "gzip magic");
        let br = compress(Encoding::Brotli, 4, body.as_bytes()).unwrap();
        assert!(br.len() < body.len() / 4);
    }
}
