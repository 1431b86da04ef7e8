#!/usr/bin/env bash
# What a comment costs the server, the CPU it takes from readers under a
# spike: wrk posts comments at a steady RATE a second (COMMENTERS
# connections, bench/comments.lua, each comment a distinct reader) for
# SECONDS, with no readers; the server's CPU time (utime + stime in
# /proc) and context switches (all its threads) are divided by the
# comments accepted.
#
#   bench/comment_cost.sh                 # 500 a second for 15 s
#   RATE=100 SECONDS_RUN=10 bench/comment_cost.sh
#
# Needs wrk, curl, python3 (installed by bench/lib.sh if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-500}
COMMENTERS=${COMMENTERS:-200}
SECONDS_RUN=${SECONDS_RUN:-15}
# Each connection waits this long between comments (less the few ms a
# comment takes when nothing else runs).
wait_ms=$(( COMMENTERS * 1000 / RATE - 5 ))
(( wait_ms > 0 )) || wait_ms=1
. bench/lib.sh

start_dateline cost DATELINE_INSECURE_SKIP_SECURITY_CODE=true DATELINE_CLIENT_IP_HEADER=X-Bench-Client
base=$url
pid=${pids[0]}
path=$(first_article "$base")
id=$(article_id "$path")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
switches() { cat /proc/"$pid"/task/*/status | awk '/voluntary_ctxt_switches/ {s += $2} END {print s}'; }
ticks0=$(cpu_ticks)
switches0=$(switches)
json=$(wrk -t1 -c"$COMMENTERS" -d"${SECONDS_RUN}s" --timeout 10s --latency -s bench/comments.lua \
  "$base/comments/$id" -- "$base" "$wait_ms" | tail -1)
ticks1=$(cpu_ticks)
switches1=$(switches)

python3 - "$json" $(( ticks1 - ticks0 )) "$(getconf CLK_TCK)" $(( switches1 - switches0 )) "$SECONDS_RUN" <<'PY'
import json, sys
run = json.loads(sys.argv[1])
cpu = int(sys.argv[2]) / int(sys.argv[3])
switches, seconds = int(sys.argv[4]), float(sys.argv[5])
accepted = max(run["accepted"], 1)
print(f"comments: {run['accepted']} accepted ({run['accepted_per_s']}/s), "
      f"{run['refused']} refused, {run['errors']} errors; p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms")
print(f"server: {cpu:.2f} s of CPU ({cpu / seconds:.2f} of a core), "
      f"{cpu / accepted * 1e6:.0f} µs and {switches / accepted:.1f} context switches a comment")
PY
