#!/usr/bin/env bash
# Crash safety under load (issue 12): mixed writes against a release
# build, SIGKILL at random moments, restart, and a check that every
# acknowledged write is there and PRAGMA integrity_check is ok. Builds
# nothing; runs the load and the server at nice 10.
#
#   bench/crash.sh                                   # 50 cycles, target/release/dateline
#   bench/crash.sh --cycles 200 --seed 7 --binary /tmp/dateline
#
# Everything else is in bench/crash.py (python3 bench/crash.py --help).
set -euo pipefail
cd "$(dirname "$0")/.."
exec nice -n 10 python3 bench/crash.py "$@"
