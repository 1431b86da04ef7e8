#!/usr/bin/env bash
# Search benchmark on a release build: a fresh data directory with the demo
# network plus ARTICLES generated articles (half English, half Arabic, words
# drawn from the demo's vocabulary), then
#   - a full reindex from the database (what `dateline search reindex` does),
#   - the latency of a fixed mix of 20 queries (words, phrases, a filter,
#     both sorts, both editions), 50 rounds, a page of 10 with snippets,
#   - uncached related-article lookups and single-article updates.
#
#   bench/search.sh              # 100,000 articles
#   ARTICLES=20000 bench/search.sh
#
# Prints the figures for BENCHMARKS.md. Not a test: nothing fails on a
# slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-100000}
cargo build --release --locked -p dateline --example search_bench
target=${CARGO_TARGET_DIR:-target}
echo "command: bench/search.sh (ARTICLES=$ARTICLES), $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)"
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB"
"$target/release/examples/search_bench" "$ARTICLES"
