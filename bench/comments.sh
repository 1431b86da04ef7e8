#!/usr/bin/env bash
# Accepted reader comments per second on a release build: each POST is
# checked, screened and handed to the comment writer, which stores what
# arrived together in one transaction (SQLite in WAL mode; a new
# address's confirmation mail in the outbox with it) before the 303
# answer. The security code is the only check skipped
# (`insecure_skip_security_code`, a benchmark-only setting); a trusted
# header gives each request its own client address so rate limits apply
# per simulated reader.
#
#   bench/comments.sh                     # 3 rounds of 10 s, 32 connections
#   ROUNDS=5 DURATION=20s CONNECTIONS=64 bench/comments.sh
#
# Needs wrk and curl (installed by bench/lib.sh if missing). Prints one
# JSON line per round and the median.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
. bench/lib.sh

start_dateline comments DATELINE_INSECURE_SKIP_SECURITY_CODE=true DATELINE_CLIENT_IP_HEADER=X-Bench-Client
base=$url
id=$(article_id "$(first_article "$base")")

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
