#!/usr/bin/env bash
# Cached pages: an article, the home page and the RSS feed served from
# Dateline's page cache (the default configuration) next to nginx serving
# the same bytes as static files, in the same run, interleaved round by
# round; uncompressed, and gzip (Dateline keeps each cached page's
# compressed forms; nginx compresses on the fly at the same level).
#
#   bench/cached.sh                       # 3 rounds of 6 s, 32 connections, level 4
#   ROUNDS=5 DURATION=10s bench/cached.sh
#
# Needs wrk, nginx, curl (installed if missing). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh

start_dateline cached
base=$url

article=$(first_article "$base")
declare -A paths=([article]="$article" [home]="/" [feed]="/feed.xml")
declare -A files=([article]="article.html" [home]="home.html" [feed]="feed.xml")
for page in article home feed; do
  curl -s "$base${paths[$page]}" > "$work/html/${files[$page]}"
done

start_nginx home.html

declare -A results
encodings=(plain gzip)
declare -A header=([plain]="" [gzip]="Accept-Encoding: gzip")
for page in article home feed; do # warm up
  wrk -t1 -c4 -d2s "$base${paths[$page]}" > /dev/null
done
for round in $(seq "$ROUNDS"); do
  for page in article home feed; do
    for enc in "${encodings[@]}"; do
      results[ngx-$page-$enc]+="$(run "ngx-$page-$enc#$round" "http://127.0.0.1:$port/${files[$page]}" "${header[$enc]}")"$'\n'
      results[dl-$page-$enc]+="$(run "dl-$page-$enc#$round" "$base${paths[$page]}" "${header[$enc]}")"$'\n'
    done
  done
  echo "round $round done" >&2
done

echo
echo "Cached pages; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; gzip level $LEVEL; median of $ROUNDS interleaved rounds"
echo
echo "| page | encoding | nginx requests/s | Dateline requests/s | Dateline p99 ms | bytes | Dateline vs nginx |"
echo "|---|---|---|---|---|---|---|"
for page in article home feed; do
  for enc in "${encodings[@]}"; do
    n=$(median "${results[ngx-$page-$enc]}")
    d=$(median "${results[dl-$page-$enc]}")
    echo "| $page | $enc | $(field "$n" rps) | $(field "$d" rps) | $(field "$d" p99_ms) | $(field "$d" bytes_per_request) | $(ratio "$(field "$d" rps)" "$(field "$n" rps)") |"
  done
done
