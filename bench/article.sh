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

DURATION=${DURATION:-6s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
LEVEL=${LEVEL:-4}

for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx curl >/dev/null
    break
  fi
done
[ -x target/release/dateline ] || cargo build --release --locked

work=$(mktemp -d)
chmod 755 "$work"
mkdir -p "$work/html" "$work/tmp" "$work/data"
cleanup() {
  [ -n "${ngx:-}" ] && kill -QUIT "$ngx" 2>/dev/null && wait "$ngx" 2>/dev/null
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Dateline, release build, demo network, request logs off; a second
# instance with the compression memo off compresses every response anew.
start_dateline() { # name memo-entries; its URL is then in $work/<name>.url
  mkdir -p "$work/data-$1"
  # The page cache is off: this script measures rendering (see bench/cached.sh).
  DATELINE_LOG=warn DATELINE_COMPRESSION_LEVEL=$LEVEL DATELINE_COMPRESSION_MEMO=$2 RUST_LOG=warn \
    DATELINE_PAGE_CACHE=false \
    target/release/dateline serve --listen 127.0.0.1:0 --data-dir "$work/data-$1" > "$work/$1.out" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$work/$1.out" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^Dateline is listening on //p' "$work/$1.out" > "$work/$1.url"
}
pids=()
start_dateline memo 256
start_dateline fly 0
base=$(cat "$work/memo.url")
base_fly=$(cat "$work/fly.url")
[ -n "$base" ] && [ -n "$base_fly" ] || { echo "dateline did not start" >&2; exit 1; }

# The newest English article, as readers get it.
path=$(curl -s "$base/politics" | grep -o 'href="/politics/[0-9][^"]*"' | head -1 | cut -d'"' -f2)
curl -s "$base$path" > "$work/html/article.html"
bytes=$(wc -c < "$work/html/article.html")

# nginx: one worker per core, same page as a file; gzip on the fly at $LEVEL.
port=$(free_port)
cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx.pid; error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; include /etc/nginx/mime.types; default_type text/html;
  client_body_temp_path $work/tmp/body; proxy_temp_path $work/tmp/proxy; fastcgi_temp_path $work/tmp/fcgi;
  uwsgi_temp_path $work/tmp/uwsgi; scgi_temp_path $work/tmp/scgi;
  gzip on; gzip_comp_level $LEVEL; gzip_min_length 0; gzip_vary on;
  server { listen 127.0.0.1:$port; root $work/html; }
}
CONF
nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" &
ngx=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/article.html"; do sleep 0.05; done

run() { # name url [header] -> one JSON line
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk-json.lua)
  [ -n "${3:-}" ] && args+=(-H "$3")
  local json; json=$(wrk "${args[@]}" "$2" | tail -1)
  echo "$1 $json" >&2
  echo "$json"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# The median run (by requests/s) of several JSON lines.
median() { python3 -c "
import json,sys
runs=sorted((json.loads(l) for l in sys.argv[1].splitlines() if l.strip()), key=lambda r: r['rps'])
print(json.dumps(runs[len(runs)//2]))" "$1"; }

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

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2])*100:.0f}%')" "$1" "$2"; }
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
