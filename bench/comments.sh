#!/usr/bin/env bash
# Accepted reader comments per second on a release build: each POST is
# checked, screened and stored (SQLite in WAL mode, one transaction per
# comment, plus the confirmation mail's outbox row for a new address)
# before the 303 answer. The security code is the only check skipped
# (`insecure_skip_security_code`, a benchmark-only setting); a trusted
# header gives each request its own client address so rate limits apply
# per simulated reader.
#
#   bench/comments.sh                     # 3 rounds of 10 s, 32 connections
#   ROUNDS=5 DURATION=20s CONNECTIONS=64 bench/comments.sh
#
# Needs wrk and curl (installed if missing). Prints one JSON line per round
# and the median.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk curl >/dev/null
    break
  fi
done
# The release build to run: $BINARY, else the one cargo makes.
BINARY=${BINARY:-${CARGO_TARGET_DIR:-target}/release/dateline}
[ -x "$BINARY" ] || cargo build --release --locked

work=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

DATELINE_LOG=warn RUST_LOG=warn DATELINE_INSECURE_SKIP_SECURITY_CODE=true \
  DATELINE_CLIENT_IP_HEADER=X-Bench-Client \
  "$BINARY" serve --listen 127.0.0.1:0 --data-dir "$work/data" > "$work/out" 2> "$work/err" &
pid=$!
for _ in $(seq 300); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^Dateline is listening on //p' "$work/out")
[ -n "$base" ] || { echo "dateline did not start" >&2; cat "$work/err" >&2; exit 1; }
id=$(curl -s "$base/politics" | grep -o 'href="/politics/[0-9][0-9]*' | head -1 | grep -o '[0-9]*$')

results=""
for round in $(seq "$ROUNDS"); do
  json=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/comments.lua \
    "$base/comments/$id" -- "$base" | tail -1)
  echo "round $round: $json"
  results+="$json"$'\n'
done
python3 -c "
import json,sys
runs=sorted((json.loads(l) for l in sys.argv[1].splitlines() if l.strip()), key=lambda r: r['accepted_per_s'])
m=runs[len(runs)//2]
print('median:', json.dumps(m))" "$results"
