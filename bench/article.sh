#!/usr/bin/env bash
# Article-page throughput and latency of a release build of Dateline, next
# to nginx serving the same bytes as a static file, in the same run:
# uncompressed, and gzip on the fly at the same level on both sides.
#
#   bench/article.sh                 # 3 rounds of 6 s runs, 32 connections, level 4
#   ROUNDS=5 DURATION=10s CONNECTIONS=64 LEVEL=1 bench/article.sh
#
# The machine is shared and noisy, so the runs are interleaved round by
# round and each figure is the median over the rounds.
#
# Dateline renders the page for every request in every run. By default it
# remembers the compressed form of recently sent bodies by content; the
# "memo off" run compresses every response anew, like nginx does.
#
# Needs: wrk, nginx, curl (Debian packages; installed if missing).
# Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh

# Dateline renders every request (the page cache is off: this script
# measures rendering; see bench/cached.sh). A second instance with the
# compression memo off compresses every response anew.
start_dateline memo DATELINE_PAGE_CACHE=false DATELINE_COMPRESSION_MEMO=256
base=$url
start_dateline fly DATELINE_PAGE_CACHE=false DATELINE_COMPRESSION_MEMO=0
base_fly=$url

# The newest English article, as readers get it.
path=$(first_article "$base")
curl -s "$base$path" > "$work/html/article.html"
bytes=$(wc -c < "$work/html/article.html")

start_nginx article.html

names=(ngx_plain dl_plain ngx_gzip dl_gzip dl_fly)
declare -A urls=([ngx_plain]="http://127.0.0.1:$port/article.html" [dl_plain]="$base$path"
  [ngx_gzip]="http://127.0.0.1:$port/article.html" [dl_gzip]="$base$path" [dl_fly]="$base_fly$path")
declare -A headers=([ngx_plain]="" [dl_plain]="" [ngx_gzip]="Accept-Encoding: gzip"
  [dl_gzip]="Accept-Encoding: gzip" [dl_fly]="Accept-Encoding: gzip")
declare -A results
for name in "${names[@]}"; do # warm up
  wrk -t1 -c4 -d2s ${headers[$name]:+-H "${headers[$name]}"} "${urls[$name]}" > /dev/null
done
for round in $(seq "$ROUNDS"); do
  for name in "${names[@]}"; do
    results[$name]+="$(run "$name#$round" "${urls[$name]}" "${headers[$name]}")"$'\n'
  done
done
ngx_plain=$(median "${results[ngx_plain]}")
dl_plain=$(median "${results[dl_plain]}")
ngx_gzip=$(median "${results[ngx_gzip]}")
dl_gzip=$(median "${results[dl_gzip]}")
dl_fly=$(median "${results[dl_fly]}")

echo
echo "Article page: $path ($bytes bytes uncompressed); wrk -t$THREADS -c$CONNECTIONS -d$DURATION; compression level $LEVEL; median of $ROUNDS interleaved rounds"
echo
echo "| run | requests/s | p50 ms | p99 ms | bytes/response | errors | vs nginx |"
echo "|---|---|---|---|---|---|---|"
row() { echo "| $1 | $(field "$2" rps) | $(field "$2" p50_ms) | $(field "$2" p99_ms) | $(field "$2" bytes_per_request) | $(field "$2" errors) | $3 |"; }
row "nginx, static file, uncompressed" "$ngx_plain" "100%"
row "Dateline, rendered, uncompressed" "$dl_plain" "$(ratio "$(field "$dl_plain" rps)" "$(field "$ngx_plain" rps)")"
row "nginx, static file, gzip $LEVEL on the fly" "$ngx_gzip" "100%"
row "Dateline, rendered, gzip $LEVEL, compression memo (default)" "$dl_gzip" "$(ratio "$(field "$dl_gzip" rps)" "$(field "$ngx_gzip" rps)")"
row "Dateline, rendered, gzip $LEVEL on the fly, memo off" "$dl_fly" "$(ratio "$(field "$dl_fly" rps)" "$(field "$ngx_gzip" rps)")"
