#!/usr/bin/env bash
# Breaking news (issue 16): CONNECTIONS readers (default 4,000) on a live
# story's cached page, against nginx serving the same bytes (the page as
# it was half-way through Dateline's run) as a static file in the same run;
# during the Dateline run, bench/spike_actors.py
# posts an entry every second through the API (each purges the page)
# and polls "entries after N" as open pages do, and measures the
# staleness: the time from an entry's acknowledgement to the first page
# that shows it; a second wrk (bench/comments.lua) posts comments
# at about COMMENT_RATE a second: COMMENTERS connections, each waiting
# COMMENTERS / COMMENT_RATE seconds less the 100 ms a comment is expected
# to take under the spike (the rate reached is printed).
#
#   bench/spike.sh                                    # 4,000 connections, 20 s
#   CONNECTIONS=1000 DURATION=10s COMMENT_RATE=100 bench/spike.sh
#
# Needs wrk, nginx, curl, python3 (wrk, nginx and curl installed if
# missing). Raises the open-file limit for the run. Prints a Markdown
# table and the actors' JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-4000}
DURATION=${DURATION:-20s}
COMMENT_RATE=${COMMENT_RATE:-500}
COMMENTERS=${COMMENTERS:-200}
comment_wait=$(( COMMENTERS * 1000 / COMMENT_RATE - 100 ))
(( comment_wait > 0 )) || comment_wait=1
POLLS=${POLLS:-40}
# Every reader's connection open at once on either server.
export NGINX_CONNECTIONS=$(( CONNECTIONS + 256 ))
. bench/lib.sh
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_dateline spike DATELINE_INSECURE_SKIP_SECURITY_CODE=true DATELINE_CLIENT_IP_HEADER=X-Bench-Client
base=$url
data="$work/data-spike"

# An editor with a token (the API) and a session (to start the coverage).
printf 'spike-password-1234\n' | "$BINARY" user add --data-dir "$data" --email spike@example.com \
  --name "Spike Editor" --role editor --password-stdin > /dev/null
token=$("$BINARY" token add --data-dir "$data" --email spike@example.com --name spike | grep -o 'dl_[A-Za-z0-9_-]*' | head -1)
[ -n "$token" ] || { echo "no API token" >&2; exit 1; }
jar="$work/cookies"
curl -s -o /dev/null -c "$jar" -H "Origin: $base" --data-urlencode email=spike@example.com \
  --data-urlencode password=spike-password-1234 "$base/newsroom/login"
path=$(curl -s "$base/politics" | grep -o 'href="/politics/[0-9][^"]*"' | head -1 | cut -d'"' -f2)
id=$(echo "$path" | grep -o '/[0-9][0-9]*-' | tr -dc '0-9')
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "Origin: $base" -d "" "$base/newsroom/articles/$id/live/start")
[ "$status" = 303 ] || { echo "could not start the live coverage ($status)" >&2; exit 1; }
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"body_html": "Coverage begins.", "key_event": true}' "$base/api/v1/articles/$id/live/entries"
curl -s "$base$path" | grep -q 'data-live-url' || { echo "the page is not live" >&2; exit 1; }

wrk_run() { # label url
  local json
  json=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/wrk-json.lua "$2" | tail -1)
  echo "$1 $json" >&2
  echo "$json"
}
seconds=${DURATION%s}
wrk -t1 -c8 -d2s "$base$path" > /dev/null
python3 bench/spike_actors.py "$base" "$path" "$id" "$token" "$seconds" 0 "$POLLS" > "$work/actors.json" &
actors=$!
wrk -t1 -c"$COMMENTERS" -d"$DURATION" --timeout 10s --latency -s bench/comments.lua \
  "$base/comments/$id" -- "$base" "$comment_wait" | tail -1 > "$work/comments.json" &
commenters=$!
# nginx will serve the page as it was half-way through (each entry makes
# it longer): the bytes of an average Dateline answer.
(sleep $(( seconds / 2 )); curl -s "$base$path" > "$work/html/live.html") &
dateline_json=$(wrk_run dateline "$base$path")
wait "$actors" "$commenters"
rss=$(grep VmHWM "/proc/${pids[0]}/status" | awk '{print $2}')
start_nginx live.html
wrk -t1 -c8 -d2s "http://127.0.0.1:$port/live.html" > /dev/null
nginx_json=$(wrk_run nginx "http://127.0.0.1:$port/live.html")

echo
echo "Spike: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 10s on a live story's page; during the Dateline run an entry a second (API), $COMMENT_RATE comments a second, $POLLS polls a second"
echo
echo "| server | requests/s | p50 ms | p99 ms | errors (incl. timeouts) | bytes |"
echo "|---|---|---|---|---|---|"
for name in nginx dateline; do
  json=${name}_json
  json=${!json}
  echo "| $name | $(field "$json" rps) | $(field "$json" p50_ms) | $(field "$json" p99_ms) | $(field "$json" errors) | $(field "$json" bytes_per_request) |"
done
echo
echo "Dateline vs nginx: requests/s $(ratio "$(field "$dateline_json" rps)" "$(field "$nginx_json" rps)"), p99 $(ratio "$(field "$dateline_json" p99_ms)" "$(field "$nginx_json" p99_ms)"); server peak memory (VmHWM) $((rss / 1024)) MB"
echo
echo "Comments (wrk, $COMMENTERS connections, each waiting $comment_wait ms between comments): $(cat "$work/comments.json")"
echo "Actors: $(cat "$work/actors.json")"
