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
# nginx runs twice: with the readers alone, and with the same side
# traffic sent to it (the commenters, the entries, the polls and the
# watcher), which it answers as cheaply as it can: a redirect, an empty
# object, an empty list. The second run puts the same load generators
# on the two cores as Dateline's run had.
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
path=$(first_article "$base")
id=$(article_id "$path")
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "Origin: $base" -d "" "$base/newsroom/articles/$id/live/start")
[ "$status" = 303 ] || { echo "could not start the live coverage ($status)" >&2; exit 1; }
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"body_html": "Coverage begins.", "key_event": true}' "$base/api/v1/articles/$id/live/entries"
curl -s "$base$path" | grep -q 'data-live-url' || { echo "the page is not live" >&2; exit 1; }

# The side traffic of the spike (comments, entries, polls, the watcher)
# against BASE, for SECONDS; its figures go to $work/{comments,actors}-LABEL.json.
side_traffic() { # label base
  python3 bench/spike_actors.py "$2" "$path" "$id" "$token" "$seconds" 0 "$POLLS" > "$work/actors-$1.json" &
  side_pids=($!)
  wrk -t1 -c"$COMMENTERS" -d"$DURATION" --timeout 10s --latency -s bench/comments.lua \
    "$2/comments/$id" -- "$2" "$comment_wait" | tail -1 > "$work/comments-$1.json" &
  side_pids+=($!)
}
wrk_run() { # label url
  local json
  json=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/wrk-json.lua "$2" | tail -1)
  echo "$1 $json" >&2
  echo "$json"
}
seconds=${DURATION%s}
wrk -t1 -c8 -d2s "$base$path" > /dev/null
side_traffic dateline "$base"
# nginx will serve the page as it was half-way through (each entry makes
# it longer): the bytes of an average Dateline answer.
(sleep $(( seconds / 2 )); curl -s "$base$path" > "$work/html/live.html") &
dateline_json=$(wrk_run dateline "$base$path")
wait "${side_pids[@]}"
rss=$(grep VmHWM "/proc/${pids[0]}/status" | awk '{print $2}')
# nginx answers the side traffic as cheaply as it can (it cannot store a
# comment or an entry): comments with a redirect, entries with an empty
# JSON object, polls with an empty list; every other path is the page.
export NGINX_LOCATIONS="
  location /comments/ { return 303 /; }
  location /api/ { default_type application/json; return 201 '{}'; }
  location ~ /live\$ { default_type application/json; return 200 '{\"entries\":[]}'; }
  location / { try_files \$uri /live.html; }"
start_nginx live.html
nginx_url="http://127.0.0.1:$port"
wrk -t1 -c8 -d2s "$nginx_url$path" > /dev/null
nginx_json=$(wrk_run nginx "$nginx_url$path")
side_traffic nginx "$nginx_url"
nginx_side_json=$(wrk_run nginx-side "$nginx_url$path")
wait "${side_pids[@]}"
echo
echo "Spike: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 10s on a live story's page; during the Dateline run an entry a second (API), $COMMENT_RATE comments a second, $POLLS polls a second"
echo
echo "| server | requests/s | p50 ms | p99 ms | errors (incl. timeouts) | bytes |"
echo "|---|---|---|---|---|---|"
row() { # label json
  echo "| $1 | $(field "$2" rps) | $(field "$2" p50_ms) | $(field "$2" p99_ms) | $(field "$2" errors) | $(field "$2" bytes_per_request) |"
}
row "nginx, readers alone" "$nginx_json"
row "nginx, with the side traffic" "$nginx_side_json"
row "Dateline, with the side traffic" "$dateline_json"
echo
for reference in nginx nginx_side; do
  json=${reference}_json
  json=${!json}
  echo "Dateline vs $reference: requests/s $(ratio "$(field "$dateline_json" rps)" "$(field "$json" rps)"), p99 $(ratio "$(field "$dateline_json" p99_ms)" "$(field "$json" p99_ms)")"
done
echo "Server peak memory (VmHWM): $((rss / 1024)) MB"
echo
echo "Comments (wrk, $COMMENTERS connections, each waiting $comment_wait ms between comments): $(cat "$work/comments-dateline.json")"
echo "Comments sent to nginx (answered with a redirect): $(cat "$work/comments-nginx.json")"
echo "Actors: $(cat "$work/actors-dateline.json")"
