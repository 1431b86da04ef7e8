#!/usr/bin/env bash
# Where a rendered article page's time goes: a flame graph of the server
# while wrk asks for the page with the page cache off (every request
# renders), uncompressed and with gzip on the fly (memo off).
#
#   bench/profile.sh                  # writes docs/profiles/article-{plain,gzip}.svg
#   SECONDS_EACH=20 LEVEL=1 bench/profile.sh
#
# Builds the `profiling` profile (release code with line tables, frame
# pointers on) into its own target folder, so release builds are not
# rebuilt. Needs perf (Debian's linux-perf) and inferno (cargo install),
# both installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${SECONDS_EACH:-10}
OUT=${OUT:-docs/profiles}
PROFILE_TARGET=${PROFILE_TARGET:-target-profiling}

command -v perf >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
}
command -v inferno-flamegraph >/dev/null || cargo install --locked inferno
RUSTFLAGS="-C force-frame-pointers=yes" CARGO_TARGET_DIR="$PROFILE_TARGET" \
  cargo build --profile profiling --locked -p dateline
BINARY="$PROFILE_TARGET/profiling/dateline"
. bench/lib.sh

start_dateline plain DATELINE_PAGE_CACHE=false DATELINE_COMPRESSION_MEMO=0
base=$url
path=$(first_article "$base")
server=${pids[-1]}
mkdir -p "$OUT"

profile() { # name [header]
  local name=$1 header=${2:-}
  wrk -t1 -c4 -d2s ${header:+-H "$header"} "$base$path" > /dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d$((SECONDS_EACH + 2))s ${header:+-H "$header"} "$base$path" \
    > "$work/$name.wrk" &
  local load=$!
  sleep 1
  perf record -e cpu-clock -F 499 -g -p "$server" -o "$work/$name.data" -- sleep "$SECONDS_EACH" \
    2> /dev/null
  wait "$load"
  perf script -i "$work/$name.data" 2> /dev/null | inferno-collapse-perf > "$work/$name.folded"
  # KEEP=dir keeps the folded stacks for a closer look.
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work/$name.folded" "$KEEP/"
  # Frames narrower than 2 pixels are left out: the file stays small.
  inferno-flamegraph --minwidth 2 --title "Dateline: $path rendered for every request ($name)" \
    < "$work/$name.folded" > "$OUT/article-$name.svg"
  echo "$name: $(grep -h 'Requests/sec' "$work/$name.wrk") -> $OUT/article-$name.svg"
  # The functions holding most samples (self time), for the notes.
  python3 - "$work/$name.folded" <<'PY'
import collections, sys
own = collections.Counter(); total = 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n); total += n
    own[stack.split(';')[-1]] += n
for name, n in own.most_common(15):
    print(f"  {n / total * 100:5.1f}%  {name[:110]}")
PY
}
profile plain
profile gzip "Accept-Encoding: gzip"
