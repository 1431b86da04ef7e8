#!/usr/bin/env bash
# Wire ingest (issue 14) on a release build with the demo network and a
# publishing source declared in the configuration file (`[[wire_sources]]`
# bench, courier-en, mode publish):
#
#   1. throughput: ITEMS generated NewsML-G2 items (bench/wire_items.py,
#      English and Arabic alternating) renamed into the drop folder
#      <data-dir>/ingest/bench/ at once, timed until the folder holds no
#      more files (all moved to processed/); then `dateline ingest
#      --publish` beside the server on ITEMS fresh items of a second
#      source, and, as the in-run reference, the same command on the same
#      files again, when every item is already known ("skipped": reading,
#      parsing and recognising each item, no article made) and a plain
#      `cat` of them;
#   2. latency: with the server idle, DROPS single items dropped one every
#      PACE_MS (written to a `.part` name, then renamed), each timed from
#      its rename to the first 200 of its article page with its headline
#      (found in the edition's newest articles through the API, polled
#      every POLL_MS);
#   3. behind a backlog: BEHIND single items dropped one a second from 5 s
#      into the throughput run, timed the same way (they wait for the
#      files ahead of them).
#
#   bench/ingest.sh                                   # 10,000 items, 200 drops every 250 ms
#   ITEMS=2000 DROPS=50 PACE_MS=500 BEHIND=0 bench/ingest.sh
#   BINARY=/tmp/dateline bench/ingest.sh              # a build of your own; nothing is built
#
# Builds with `cargo build --release --locked -p dateline` unless BINARY
# is given (CARGO_TARGET_DIR is honoured). Needs python3 and curl. Prints
# the figures as Markdown tables for BENCHMARKS.md, the server's peak
# memory (VmHWM) and the raw JSON of each step. Not a test: nothing fails
# on a slow machine, but every step checks that each item became an
# article.
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${ITEMS:-10000}
DROPS=${DROPS:-200}
PACE_MS=${PACE_MS:-250}
POLL_MS=${POLL_MS:-20}
BEHIND=${BEHIND:-3}

step() { echo "== $*" >&2; }
die() { echo "bench/ingest.sh: $*" >&2; exit 1; }
trap 'echo "bench/ingest.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

if [ -z "${BINARY:-}" ]; then
  step "cargo build --release --locked -p dateline"
  cargo build --release --locked -p dateline
elif [ ! -x "$BINARY" ]; then
  die "BINARY=$BINARY is not an executable file"
fi
. bench/lib.sh
[ -x "$BINARY" ] || die "no release build at $BINARY"
client() { python3 bench/ingest_client.py "$@"; }
json() { python3 -c "import json,sys; d=json.loads(sys.argv[1])
for k in sys.argv[2].split('.'): d=d[k]
print(d)" "$1" "$2"; }
ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }
per_s() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }
kb_mb() { awk '{printf "%.0f MB", $1 / 1024}' <<< "$1"; }

echo "command: ITEMS=$ITEMS DROPS=$DROPS PACE_MS=$PACE_MS POLL_MS=$POLL_MS BEHIND=$BEHIND bench/ingest.sh"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' (crates/ modified)')"
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BINARY"

cat > "$work/bench.toml" <<'TOML'
[[wire_sources]]
name = "bench"
site = "courier-en"
label = "Bench Wire"
mode = "publish"
TOML
step "starting Dateline (demo network, source bench publishing to courier-en)"
start_dateline ingest DATELINE_CONFIG="$work/bench.toml"
pid=${pids[-1]}
data=$work/data-ingest
drop=$data/ingest/bench
for _ in $(seq 100); do [ -d "$drop" ] && break; sleep 0.1; done
[ -d "$drop" ] || die "the drop folder $drop was not made"
client idle --pid "$pid" > /dev/null # the first start builds the search index
en_before=$(json "$(curl -sf "$url/api/v1/articles?per_page=1")" total)
ar_before=$(json "$(curl -sf "$url/ar/api/v1/articles?per_page=1")" total)

# 1. Throughput of the drop folder. The staging folder is on the data
# directory's file system, so each move is a rename.
step "generating $ITEMS items"
client_gen() { python3 bench/wire_items.py "$@" >&2; }
client_gen --out "$work/staging" --count "$ITEMS" --prefix burst
last=$((ITEMS - 1))
last_edition=$([ $((last % 2)) -eq 1 ] && echo /ar || echo "")
step "renaming $ITEMS files into $drop"
# BEHIND single items dropped from 5 s into the burst, one a second: how
# long a new story waits behind a backlog. Its API polls are 250 ms apart,
# so as to cost the burst next to nothing (each new article purges the
# list, so every poll renders it).
if [ "$BEHIND" -gt 0 ]; then
  (sleep 5; client latency --drop "$drop" --base "$url" --count "$BEHIND" --pace-ms 1000 \
    --poll-ms 250 --prefix behind --timeout 3600 > "$work/behind.json") &
  behind_pid=$!
  pids+=("$behind_pid")
fi
burst=$(client burst --staging "$work/staging" --drop "$drop" --pid "$pid" --base "$url" \
  --search "$(printf 'burst-%06d' "$last")" --search-edition "$last_edition")
echo "burst: $burst" >&2
hwm_burst=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
if [ "$BEHIND" -gt 0 ]; then
  wait "$behind_pid" || die "the items dropped behind the burst were not all served"
  unset 'pids[-1]' # ended: nothing to stop at exit
  behind=$(cat "$work/behind.json")
  echo "behind: $behind" >&2
fi
processed=$(find "$drop/processed" -type f | wc -l)
[ "$processed" -eq "$((ITEMS + BEHIND))" ] || die "drop folder: $processed of $((ITEMS + BEHIND)) files processed, $(find "$drop" -path '*/refused/*' -type f | wc -l) refused"
sleep 2.5 # past the read cache's 2 s, whatever it holds
en_after=$(json "$(curl -sf "$url/api/v1/articles?per_page=1")" total)
ar_after=$(json "$(curl -sf "$url/ar/api/v1/articles?per_page=1")" total)
published=$((en_after - en_before + ar_after - ar_before))
[ "$published" -eq "$((ITEMS + BEHIND))" ] || die "drop folder: $published of $((ITEMS + BEHIND)) items published"

# The command, beside the server (which follows its changes through the
# change feed), on fresh items of a second source.
step "generating $ITEMS more items for dateline ingest"
client_gen --out "$work/cli" --count "$ITEMS" --prefix cli
files=("$work"/cli/*.xml)
idle=$(client idle --pid "$pid")
echo "idle after the burst: $idle" >&2
# Prints "seconds user system maxrss-KB server-CPU attempts"; the
# server's CPU is counted until it is idle again, since it follows the
# change feed after the command's writes (and indexes the new articles).
# A run that stops on "database is locked" (SQLite's SQLITE_BUSY, which a
# deferred transaction upgrading to a write gets at once, without the
# busy timeout, when the server holds the write lock) is run again on the
# same files, as an operator would: what it took is skipped the second
# time. Each such stop is reported; the times add up every attempt.
ingest_cli() { # label
  local cpu0 cpu1 attempt=1 s=0 user=0 sys=0 rss=0
  cpu0=$(cpu_of "$pid")
  : > "$work/$1.out"
  while true; do
    if RUST_LOG=warn /usr/bin/time -f '%e %U %S %M' -o "$work/$1.time" \
      "$BINARY" ingest --data-dir "$data" --site courier-en --source bench2 --publish "${files[@]}" \
      >> "$work/$1.out" 2> "$work/$1.err"; then ok=1; else ok=0; fi
    read -r e u y m <<< "$(tail -1 "$work/$1.time" | grep -Eo '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' || echo "0 0 0 0")"
    s=$(awk -v a="$s" -v b="$e" 'BEGIN {print a + b}'); user=$(awk -v a="$user" -v b="$u" 'BEGIN {print a + b}')
    sys=$(awk -v a="$sys" -v b="$y" 'BEGIN {print a + b}'); [ "$m" -gt "$rss" ] && rss=$m
    [ "$ok" = 1 ] && break
    if grep -q 'database is locked' "$work/$1.err" && [ "$attempt" -lt 5 ]; then
      echo "warning: dateline ingest ($1) attempt $attempt stopped after $e s: $(grep -m1 'database is locked' "$work/$1.err")" >&2
      cp "$work/$1.err" "$work/$1.err.$attempt"
      attempt=$((attempt + 1))
      continue
    fi
    cat "$work/$1.err" >&2
    die "dateline ingest ($1) failed"
  done
  client idle --pid "$pid" > /dev/null
  cpu1=$(cpu_of "$pid")
  echo "$s $user $sys $rss $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.2f", b - a}') $attempt"
}
published_total() {
  sleep 2.5 # past the read cache's 2 s
  echo $(($(json "$(curl -sf "$url/api/v1/articles?per_page=1")" total) + $(json "$(curl -sf "$url/ar/api/v1/articles?per_page=1")" total)))
}
before_cli=$(published_total)
step "dateline ingest --publish, $ITEMS new items"
cli=$(ingest_cli cli)
after_cli=$(published_total)
[ $((after_cli - before_cli)) -eq "$ITEMS" ] || die "dateline ingest: $((after_cli - before_cli)) of $ITEMS items published"
cli_outcomes=$(cut -d: -f1 "$work/cli.out" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
step "reference: the same command on the same files again (every item skipped)"
again=$(ingest_cli again)
others=$(grep -vc '^skipped:' "$work/again.out" || true)
[ "$others" -eq 0 ] || die "dateline ingest again: $others items not skipped"
step "reference: cat of the same files"
cat_s=$(python3 -c '
import subprocess, sys, time
t = time.perf_counter()
subprocess.run(["cat", *sys.argv[1:]], stdout=subprocess.DEVNULL, check=True)
print(f"{time.perf_counter() - t:.3f}")' "${files[@]}")

# 2. Latency, the server idle again.
client idle --pid "$pid" > /dev/null
step "latency: $DROPS single drops, one every $PACE_MS ms"
lat=$(client latency --drop "$drop" --base "$url" --count "$DROPS" --pace-ms "$PACE_MS" --poll-ms "$POLL_MS" --prefix drop)
echo "latency: $lat" >&2
hwm_end=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

read -r cli_s cli_user cli_sys cli_rss cli_server cli_attempts <<< "$cli"
read -r again_s again_user again_sys again_rss again_server again_attempts <<< "$again"
burst_s=$(json "$burst" empty_s)
echo
echo "Throughput: $ITEMS NewsML-G2 items (one a file, about 2.5 KB, English and Arabic alternating), source mode publish"
echo
cpu_ms() { awk -v a="$1" -v b="${2:-0}" -v n="$ITEMS" 'BEGIN {printf "%.2f", (a + b) * 1000 / n}'; }
echo "| run | items | seconds | items/s | CPU s, ingesting process | CPU s, server beside it | CPU ms an item, both | vs reference |"
echo "|---|---|---|---|---|---|---|---|"
echo "| drop folder: all renamed in at once, until the folder is empty | $ITEMS | $burst_s | $(json "$burst" items_per_s) | $(json "$burst" server_cpu_s) (the server) | | $(cpu_ms "$(json "$burst" server_cpu_s)") | $(ratio "$(per_s "$ITEMS" "$burst_s")" "$(per_s "$ITEMS" "$again_s")") |"
cli_cpu=$(awk -v u="$cli_user" -v s="$cli_sys" 'BEGIN {print u + s}')
again_cpu=$(awk -v u="$again_user" -v s="$again_sys" 'BEGIN {print u + s}')
echo "| \`dateline ingest --publish\`, new items, beside the server | $ITEMS | $cli_s | $(per_s "$ITEMS" "$cli_s") | $cli_cpu | $cli_server | $(cpu_ms "$cli_cpu" "$cli_server") | $(ratio "$(per_s "$ITEMS" "$cli_s")" "$(per_s "$ITEMS" "$again_s")") |"
echo "| reference: the same command on the same files again, every item skipped | $ITEMS | $again_s | $(per_s "$ITEMS" "$again_s") | $again_cpu | $again_server | $(cpu_ms "$again_cpu" "$again_server") | 100% |"
echo "| (for scale) \`cat\` of the same files | $ITEMS | $cat_s | $(per_s "$ITEMS" "$cat_s") | | | | $(ratio "$(per_s "$ITEMS" "$cat_s")" "$(per_s "$ITEMS" "$again_s")") |"
echo
echo "Drop folder: first file taken $(json "$burst" first_taken_s) s after the first rename (renaming took $(json "$burst" rename_s) s), $(json "$burst" items_per_s_after_first) items/s from then; each tenth done at $(json "$burst" tenths_s) s; the last item searchable at $(json "$burst" searchable_s) s (server CPU by then $(json "$burst" server_cpu_until_searchable_s) s)."
echo "\`dateline ingest\` outcomes: $cli_outcomes; attempts: $cli_attempts (the reference: $again_attempts)$([ "$cli_attempts" -gt 1 ] && echo '; a run that stopped on "database is locked" was run again on the same files, and its seconds include every attempt')."
echo "Server CPU during the drop-folder run by thread: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(", ".join(f"{k} {v} s" for k, v in d["server_cpu_by_thread_s"].items()) + "; context switches (threads still running): " + ", ".join(f"{k} {v}" for k, v in d["server_context_switches"].items()))' "$burst")."
echo "Server peak memory (VmHWM): $(kb_mb "$hwm_burst") after the throughput run, $(kb_mb "$hwm_end") at the end (VmRSS $(kb_mb "$rss_end")); \`dateline ingest\` peak $(kb_mb "$cli_rss")."
echo
echo "Latency, file to page: $DROPS items, one every $PACE_MS ms, the server otherwise idle; poll every $POLL_MS ms"
echo
echo "| from → to | p50 ms | p90 ms | p99 ms | max ms | min ms |"
echo "|---|---|---|---|---|---|"
for part in "served:rename → article page 200 with the headline" "taken:rename → file moved out of the drop folder (item stored)" "taken_to_served:file moved → article page 200"; do
  key=${part%%:*}
  echo "| ${part#*:} | $(json "$lat" "$key.p50_ms") | $(json "$lat" "$key.p90_ms") | $(json "$lat" "$key.p99_ms") | $(json "$lat" "$key.max_ms") | $(json "$lat" "$key.min_ms") |"
done
echo
echo "Items over 2 s: $(json "$lat" over_2s) of $DROPS."
if [ "$BEHIND" -gt 0 ]; then
  echo
  echo "Behind the backlog: $BEHIND single items dropped one a second from 5 s into the throughput run were served $(awk -v a="$(json "$behind" served.min_ms)" -v b="$(json "$behind" served.max_ms)" 'BEGIN {printf "%.1f to %.1f s", a / 1000, b / 1000}') after their rename (the drop folder emptied $(json "$burst" empty_s) s after the burst began)."
fi
