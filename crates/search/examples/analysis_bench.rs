//! Analysis micro-benchmark (not a test): the cost of turning text into
//! index terms, without the index around it. The demo articles of each
//! edition (`demo/articles/*.toml`, read line by line as they are, so a
//! few TOML keys and HTML tags come along) go through
//! [`DatelineTokenizer::terms`] as indexing and snippets send them, until
//! WORDS words have been analysed. Prints nanoseconds a word, the best of
//! ROUNDS, and a digest of the terms, so that a change meant to be faster
//! but not different can be checked for both.
//!
//!     cargo run --release -p dateline_search --example analysis_bench -- [WORDS] [ROUNDS] [arabic|english]
//!
//! Timings on a shared machine are noisy; for a steadier comparison run
//! one edition under `valgrind --tool=callgrind`, which counts
//! instructions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dateline_core::Lang;
use dateline_search::{Analysis, DatelineTokenizer};
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

fn run(name: &str, lang: Lang, text: &str, words: usize, rounds: usize) {
    let tokenizer = DatelineTokenizer::new(lang, Analysis::Full);
    let mut best = Duration::MAX;
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    let (mut analysed, mut terms) = (0, 0);
    for round in 0..rounds {
        let started = Instant::now();
        (analysed, terms) = (0, 0);
        while analysed < words {
            for line in text.lines() {
                let tokens = tokenizer.terms(line);
                // Positions count every word, stop words included.
                analysed += tokens.last().map_or(0, |t| t.position + 1);
                terms += tokens.len();
                if round == 0 {
                    for token in &tokens {
                        (token.position, token.offset_from, &token.text).hash(&mut digest);
                    }
                }
            }
        }
        best = best.min(started.elapsed());
    }
    println!(
        "{name}: {analysed} words, {terms} terms, best of {rounds}: {:.0} ns a word, digest {:016x}",
        best.as_nanos() as f64 / analysed as f64,
        digest.finish()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words = args.first().map_or(1_000_000, |a| a.parse().unwrap());
    let rounds = args.get(1).map_or(5, |a| a.parse().unwrap());
    let only = args.get(2).map(String::as_str);
    if only != Some("english") {
        let text = include_str!("../../../demo/articles/ar.toml");
        run("arabic", Lang::Ar, text, words, rounds);
    }
    if only != Some("arabic") {
        let text = include_str!("../../../demo/articles/en.toml");
        run("english", Lang::En, text, words, rounds);
    }
}
