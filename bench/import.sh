#!/usr/bin/env bash
# Moving in from WordPress and Disqus (issue 15) on a release build:
#
#   1. generates, with bench/import_data.py, a WordPress export of POSTS
#      posts and COMMENTS comments (WXR 1.2 in the shape of
#      fixtures/import/wxr-1.2-courier.xml: pages, attachments, Polylang
#      languages and translation pairs, every status, threaded comments;
#      about 30% of the posts in Arabic) with its uploads folder
#      (ATTACHMENTS_SHARE of the posts have a picture, 5% of the files
#      left missing on purpose), and a Disqus export of THREADS threads and
#      DISQUS_POSTS posts naming the same posts (identifiers, drifting
#      links, duplicate and orphan threads, orphan posts);
#   2. makes a fresh data directory with the demo network (one start of
#      `dateline serve`, stopped once idle);
#   3. runs, the server stopped, `dateline import wordpress FILE --site
#      SITE --media-dir UPLOADS`, then `dateline import disqus FILE --site
#      SITE`, each under GNU time: seconds, CPU and peak resident memory;
#   4. with AGAIN=1 (the default), both commands again on the same files,
#      when every entry is already there (a second run changes nothing):
#      the in-run reference for reading, parsing and recognising entries.
#
#   bench/import.sh                                   # 100,000 posts, 300,000 comments; 20,000 threads, 100,000 Disqus posts
#   POSTS=2000 COMMENTS=6000 THREADS=400 DISQUS_POSTS=2000 bench/import.sh
#   BINARY=/tmp/dateline bench/import.sh              # a build of your own; nothing is built
#   DRY_RUN=1 KEEP=1 TMPDIR=/var/tmp bench/import.sh  # also a --dry-run first; keep the files
#
# Builds with `cargo build --release --locked -p dateline` unless BINARY
# is given (CARGO_TARGET_DIR is honoured). Needs python3 and GNU time
# (/usr/bin/time). Works in a folder under TMPDIR (default /tmp): at the
# default sizes the exports take about 0.95 GB and the data directory a
# few GB more (each picture is stored with its resized copies). SITE must
# be a site key of the demo network (courier-en, courier-ar; the
# network's editions share the edition group "courier"). Prints the figures as a
# Markdown table for BENCHMARKS.md and the end of each command's own
# report. Not a test: nothing fails on a slow machine, but a command that
# exits with an error stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS=${POSTS:-100000}
COMMENTS=${COMMENTS:-300000}
THREADS=${THREADS:-20000}
DISQUS_POSTS=${DISQUS_POSTS:-100000}
ARABIC_SHARE=${ARABIC_SHARE:-0.3}
ATTACHMENTS_SHARE=${ATTACHMENTS_SHARE:-0.5}
SEED=${SEED:-1}
SITE=${SITE:-courier-en}
AGAIN=${AGAIN:-1}
DRY_RUN=${DRY_RUN:-0}
KEEP=${KEEP:-0}

step() { echo "== $*" >&2; }
die() { echo "bench/import.sh: $*" >&2; exit 1; }
trap 'echo "bench/import.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

if [ -z "${BINARY:-}" ]; then
  step "cargo build --release --locked -p dateline"
  cargo build --release --locked -p dateline
  BINARY=${CARGO_TARGET_DIR:-target}/release/dateline
elif [ ! -x "$BINARY" ]; then
  die "BINARY=$BINARY is not an executable file"
fi
[ -x "$BINARY" ] || die "no release build at $BINARY"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
sites=$(awk -F'"' '/^\[/ {table = $0} table == "[[site]]" && /^key = / {print $2}' demo/network.toml | paste -sd' ')
[[ " $sites " == *" $SITE "* ]] || die "SITE=$SITE is not a site of the demo network; its sites are: $sites"

work=$(mktemp -d "${TMPDIR:-/tmp}/dateline-import.XXXXXX")
server=
cleanup() {
  [ -n "$server" ] && { kill -TERM "$server" && wait "$server"; } 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.loads(sys.argv[1])
for k in sys.argv[2].split('.'): d=d[k]
print(d)" "$1" "$2"; }
per_s() { python3 -c "import sys; print(f'{int(sys.argv[1]) / max(float(sys.argv[2]), 0.001):.0f}')" "$1" "$2"; }
kb_mb() { awk '{printf "%.0f MB", $1 / 1024}' <<< "$1"; }

echo "command: POSTS=$POSTS COMMENTS=$COMMENTS THREADS=$THREADS DISQUS_POSTS=$DISQUS_POSTS ARABIC_SHARE=$ARABIC_SHARE ATTACHMENTS_SHARE=$ATTACHMENTS_SHARE SEED=$SEED SITE=$SITE bench/import.sh"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' (crates/ modified)')"
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BINARY"

# 1. The exports. The generator prints its counts as one JSON line.
step "generating the WordPress export ($POSTS posts, $COMMENTS comments) and its uploads folder"
wp=$(python3 bench/import_data.py wordpress "$work/wordpress.xml" --posts "$POSTS" --comments "$COMMENTS" \
  --arabic-share "$ARABIC_SHARE" --attachments-share "$ATTACHMENTS_SHARE" --media-dir "$work/uploads" --seed "$SEED")
step "generating the Disqus export ($THREADS threads, $DISQUS_POSTS posts)"
dq=$(python3 bench/import_data.py disqus "$work/disqus.xml" --threads "$THREADS" --posts "$DISQUS_POSTS" \
  --posts-of "$POSTS" --arabic-share "$ARABIC_SHARE" --seed "$SEED")
wp_items=$(($(json "$wp" posts) + $(json "$wp" pages) + $(json "$wp" attachments) + $(json "$wp" menu_items)))
wp_comments=$(json "$wp" comments)
dq_threads=$(json "$dq" threads)
dq_posts=$(json "$dq" posts)

# 2. A fresh data directory: the first start of the server installs the
# demo network (and builds its search index); stopped once idle.
data=$work/data
step "a fresh data directory with the demo network: $data"
mkdir -p "$data"
env DATELINE_LOG=warn RUST_LOG=warn "$BINARY" serve --listen 127.0.0.1:0 --data-dir "$data" \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 600); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$work/serve.out" || { cat "$work/serve.err" >&2; die "dateline serve did not start"; }
python3 bench/ingest_client.py idle --pid "$server" > /dev/null
kill -TERM "$server"
wait "$server" || true
server=

# 3. The imports, each under GNU time ("seconds user system maxrss-KB" in
# $work/LABEL.time), its output in LABEL.out and LABEL.err.
runs=()
import_run() { # label kind description command-arguments...
  local label=$1 kind=$2 what=$3; shift 3
  step "$what"
  if ! RUST_LOG=warn /usr/bin/time -f '%e %U %S %M' -o "$work/$label.time" \
    "$BINARY" import "$@" --data-dir "$data" > "$work/$label.out" 2> "$work/$label.err"; then
    tail -n 20 "$work/$label.out" "$work/$label.err" >&2
    die "dateline import $* failed ($label)"
  fi
  tail -1 "$work/$label.time" | grep -Eq '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' || die "no timing for $label"
  runs+=("$label|$kind|$what")
}
wp_args=(wordpress "$work/wordpress.xml" --site "$SITE" --media-dir "$work/uploads")
dq_args=(disqus "$work/disqus.xml" --site "$SITE")
if [ "$DRY_RUN" = 1 ]; then
  import_run wp-dry wp "reference: \`dateline import wordpress --dry-run\` (reads and maps, writes nothing)" \
    "${wp_args[@]}" --dry-run
fi
import_run wp wp "\`dateline import wordpress --media-dir\`, fresh data directory" "${wp_args[@]}"
import_run dq dq "\`dateline import disqus\`, after the WordPress import" "${dq_args[@]}"
if [ "$AGAIN" = 1 ]; then
  import_run wp-again wp "reference: the same WordPress import again (every entry already there)" "${wp_args[@]}"
  import_run dq-again dq "reference: the same Disqus import again" "${dq_args[@]}"
fi

echo
echo "WordPress export: $(json "$wp" posts) posts ($(python3 -c 'import json,sys; d=json.loads(sys.argv[1])["by_status"]; print(", ".join(f"{v} {k}" for k, v in sorted(d.items(), key=lambda kv: -kv[1])))' "$wp")), $(json "$wp" pages) pages, $(json "$wp" menu_items) menu items, $(json "$wp" attachments) attachments ($(json "$wp" attachment_files) files, $(json "$wp" attachment_files_missing) missing), $wp_comments comments ($(json "$wp" comment_replies) replies), $(json "$wp" translation_pairs) translation pairs; $(awk '{printf "%.1f MB", $1 / 1e6}' <<< "$(json "$wp" bytes)"), generated in $(json "$wp" seconds) s."
echo "Disqus export: $dq_threads threads ($(python3 -c 'import json,sys; d=json.loads(sys.argv[1])["threads_by_kind"]; print(", ".join(f"{v} {k}" for k, v in d.items()))' "$dq"); $(json "$dq" threads_with_identifier) with an identifier), $dq_posts posts ($(json "$dq" replies) replies, $(json "$dq" orphan_posts) orphans); $(awk '{printf "%.1f MB", $1 / 1e6}' <<< "$(json "$dq" bytes)")."
echo
echo "| run | entries | seconds | entries/s | items/s | CPU s | peak memory (max RSS) |"
echo "|---|---|---|---|---|---|---|"
for run in "${runs[@]}"; do
  IFS='|' read -r label kind what <<< "$run"
  read -r s u y m <<< "$(tail -1 "$work/$label.time")"
  if [ "$kind" = wp ]; then items=$wp_items; entries=$((wp_items + wp_comments)); shown="$wp_items items + $wp_comments comments"
  else items=$dq_threads; entries=$((dq_threads + dq_posts)); shown="$dq_threads threads + $dq_posts posts"; fi
  echo "| $what | $shown | $s | $(per_s "$entries" "$s") | $(per_s "$items" "$s") | $(awk -v a="$u" -v b="$y" 'BEGIN {printf "%.1f", a + b}') | $(kb_mb "$m") |"
done
echo
echo "items/s counts WordPress items (posts, pages, attachments, menu items) or Disqus threads; entries/s adds their comments or posts."
echo "Data directory after the imports: $(du -sh "$data" | cut -f1)$([ -d "$data/media" ] && echo " ($(du -sh "$data/media" | cut -f1) of media)")."
for label in wp dq; do
  echo
  echo "The end of \`dateline import\`'s report ($label):"
  echo '```'
  tail -n 15 "$work/$label.out"
  echo '```'
done
