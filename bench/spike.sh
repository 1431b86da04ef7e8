#!/usr/bin/env bash
# Breaking news (issue 16): CONNECTIONS readers (default 4,000) on a live
# story's cached page, against nginx serving the same bytes (the page as
# it was half-way through Dateline's run) as a static file, in ROUNDS
# interleaved rounds (default 3), each on a story of its own;
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
#   bench/spike.sh                                    # 4,000 connections, 20 s, 3 rounds
#   CONNECTIONS=1000 DURATION=10s COMMENT_RATE=100 ROUNDS=1 bench/spike.sh
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
# Round N covers the Nth story of the politics section live, so every
# round starts from a page of one entry (a story's page grows with each).
go_live() { # round -> sets $path and $id
  path=$(nth_article "$base" "$1")
  [ -n "$path" ] || { echo "the demo has no story $1 in politics" >&2; exit 1; }
  id=$(article_id "$path")
  local answer
  answer=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$jar" -H "Origin: $base" -d "" "$base/newsroom/articles/$id/live/start")
  [[ "$answer" = "303 $base/newsroom/articles/$id"* ]] || { echo "could not start the live coverage of $path: $answer" >&2; exit 1; }
  answer=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"body_html": "Coverage begins.", "key_event": true}' "$base/api/v1/articles/$id/live/entries")
  [ "$answer" = 201 ] || { echo "the first entry of $path was refused: $answer" >&2; exit 1; }
  curl -s -D "$work/live-headers" "$base$path" > "$work/live-page"
  grep -q 'data-live-url' "$work/live-page" || {
    echo "$path is not live" >&2; cat "$work/live-headers" >&2; grep -i "live" "$work/live-page" | head >&2; exit 1; }
  warm_up "$base$path"
}
# Both servers meet all the readers for a moment before they are measured:
# what a process pays once (memory for thousands of connections) is not
# what the spike measures.
warm_up() { wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s "$1" > /dev/null; }

# The side traffic of the spike (comments, entries, polls, the watcher)
# against BASE, for SECONDS; its figures go to $work/{comments,actors}-LABEL.json.
side_traffic() { # label base round
  python3 bench/spike_actors.py "$2" "$path" "$id" "$token" "$seconds" 0 "$POLLS" "r$3" \
    > "$work/actors-$1.json" &
  side_pids=($!)
  wrk -t1 -c"$COMMENTERS" -d"$DURATION" --timeout 10s --latency -s bench/comments.lua \
    "$2/comments/$id" -- "$2" "$comment_wait" $(( $3 * 1000000 )) | tail -1 > "$work/comments-$1.json" &
  side_pids+=($!)
}
wrk_run() { # label url
  local json
  json=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/wrk-json.lua "$2" | tail -1)
  echo "$1 $json" >&2
  echo "$json"
}
seconds=${DURATION%s}
# nginx answers the side traffic as cheaply as it can (it cannot store a
# comment or an entry): comments with a redirect, entries with an empty
# JSON object, polls with an empty list; every other path is the page.
export NGINX_LOCATIONS="
  location /comments/ { return 303 /; }
  location /api/ { default_type application/json; return 201 '{}'; }
  location ~ /live\$ { default_type application/json; return 200 '{\"entries\":[]}'; }
  location / { try_files \$uri /live.html; }"
# The machine is shared and its speed drifts from minute to minute, so the
# three runs are repeated ROUNDS times, interleaved, and each round's
# Dateline run is compared with the nginx runs of the same round.
declare -a dateline_json nginx_json nginx_side_json
for round in $(seq "$ROUNDS"); do
  go_live "$round"
  side_traffic "dateline-$round" "$base" "$round"
  # nginx will serve this round's page as it was half-way through the
  # run (each entry makes it longer): the bytes of an average answer.
  (sleep $(( seconds / 2 )); curl -s "$base$path" > "$work/live.next" && mv "$work/live.next" "$work/html/live.html") &
  capture=$!
  dateline_json[round]=$(wrk_run "dateline#$round" "$base$path")
  wait "${side_pids[@]}" "$capture"
  if [ -z "${ngx:-}" ]; then
    start_nginx live.html
    nginx_url="http://127.0.0.1:$port"
    warm_up "$nginx_url$path"
  fi
  nginx_json[round]=$(wrk_run "nginx#$round" "$nginx_url$path")
  side_traffic "nginx-$round" "$nginx_url" "$round"
  nginx_side_json[round]=$(wrk_run "nginx-side#$round" "$nginx_url$path")
  wait "${side_pids[@]}"
done
rss=$(grep VmHWM "/proc/${pids[0]}/status" | awk '{print $2}')
echo
echo "Spike: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 10s on a live story's page; during the Dateline run an entry a second (API), $COMMENT_RATE comments a second, $POLLS polls a second; $ROUNDS interleaved rounds"
echo
echo "| round | server | requests/s | p50 ms | p99 ms | errors (incl. timeouts) | bytes |"
echo "|---|---|---|---|---|---|---|"
row() { # round label json
  echo "| $1 | $2 | $(field "$3" rps) | $(field "$3" p50_ms) | $(field "$3" p99_ms) | $(field "$3" errors) | $(field "$3" bytes_per_request) |"
}
for round in $(seq "$ROUNDS"); do
  row "$round" "nginx, readers alone" "${nginx_json[round]}"
  row "$round" "nginx, with the side traffic" "${nginx_side_json[round]}"
  row "$round" "Dateline, with the side traffic" "${dateline_json[round]}"
done
echo
# Each round's ratios, and their medians over the rounds.
python3 - "$ROUNDS" "${dateline_json[@]}" "${nginx_json[@]}" "${nginx_side_json[@]}" <<'PY'
import json, statistics, sys
rounds = int(sys.argv[1])
runs = [json.loads(line) for line in sys.argv[2:]]
dateline, alone, side = runs[:rounds], runs[rounds:2 * rounds], runs[2 * rounds:]
for name, reference in (("nginx with the readers alone", alone), ("nginx with the side traffic", side)):
    rate = [d["rps"] / r["rps"] for d, r in zip(dateline, reference)]
    p99 = [d["p99_ms"] / r["p99_ms"] for d, r in zip(dateline, reference)]
    print(f"Dateline vs {name}: requests/s {', '.join(f'{x:.0%}' for x in rate)} "
          f"(median {statistics.median(rate):.0%}); p99 {', '.join(f'{x:.2f}x' for x in p99)} "
          f"(median {statistics.median(p99):.2f}x)")
PY
echo "Server peak memory (VmHWM): $((rss / 1024)) MB"
echo
for round in $(seq "$ROUNDS"); do
  echo "Round $round comments (wrk, $COMMENTERS connections, each waiting $comment_wait ms between comments): $(cat "$work/comments-dateline-$round.json")"
  echo "Round $round comments sent to nginx (answered with a redirect): $(cat "$work/comments-nginx-$round.json")"
  echo "Round $round actors: $(cat "$work/actors-dateline-$round.json")"
done
