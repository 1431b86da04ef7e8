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
  [ -n "${dl:-}" ] && kill -TERM "$dl" 2>/dev/null && wait "$dl" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DATELINE_LOG=warn RUST_LOG=warn DATELINE_COMPRESSION_LEVEL=$LEVEL \
  target/release/dateline serve --listen 127.0.0.1:0 --data-dir "$work/data" > "$work/dl.out" &
dl=$!
for _ in $(seq 300); do grep -q "listening on" "$work/dl.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^Dateline is listening on //p' "$work/dl.out")
[ -n "$base" ] || { echo "dateline did not start" >&2; exit 1; }

article=$(curl -s "$base/politics" | grep -o 'href="/politics/[0-9][^"]*"' | head -1 | cut -d'"' -f2)
declare -A paths=([article]="$article" [home]="/" [feed]="/feed.xml")
declare -A files=([article]="article.html" [home]="home.html" [feed]="feed.xml")
for page in article home feed; do
  curl -s "$base${paths[$page]}" > "$work/html/${files[$page]}"
done

port=$(free_port)
cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx.pid; error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; include /etc/nginx/mime.types; default_type text/html;
  client_body_temp_path $work/tmp/body; proxy_temp_path $work/tmp/proxy; fastcgi_temp_path $work/tmp/fcgi;
  uwsgi_temp_path $work/tmp/uwsgi; scgi_temp_path $work/tmp/scgi;
  gzip on; gzip_comp_level $LEVEL; gzip_min_length 0; gzip_vary on;
  gzip_types text/html application/rss+xml application/xml text/xml;
  server { listen 127.0.0.1:$port; root $work/html; }
}
CONF
nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" &
ngx=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/home.html"; do sleep 0.05; done

run() { # url [header] -> one JSON line
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk-json.lua)
  [ -n "${2:-}" ] && args+=(-H "$2")
  wrk "${args[@]}" "$1" | tail -1
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
median() { python3 -c "
import json,sys
runs=sorted((json.loads(l) for l in sys.argv[1].splitlines() if l.strip()), key=lambda r: r['rps'])
print(json.dumps(runs[len(runs)//2]))" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2])*100:.0f}%')" "$1" "$2"; }

declare -A results
encodings=(plain gzip)
declare -A header=([plain]="" [gzip]="Accept-Encoding: gzip")
for page in article home feed; do # warm up
  wrk -t1 -c4 -d2s "$base${paths[$page]}" > /dev/null
done
for round in $(seq "$ROUNDS"); do
  for page in article home feed; do
    for enc in "${encodings[@]}"; do
      results[ngx-$page-$enc]+="$(run "http://127.0.0.1:$port/${files[$page]}" "${header[$enc]}")"$'\n'
      results[dl-$page-$enc]+="$(run "$base${paths[$page]}" "${header[$enc]}")"$'\n'
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
