# Shared by bench/article.sh and bench/cached.sh: tools, a work folder
# cleaned up on exit, Dateline and nginx on free loopback ports, wrk runs
# as JSON lines, medians and ratios. Sourced, not run.

DURATION=${DURATION:-6s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
LEVEL=${LEVEL:-4}

for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx curl >/dev/null
    break
  fi
done
# The release build to run: $BINARY, else the one cargo makes (under
# $CARGO_TARGET_DIR when set). Not DATELINE_*: the server reads those.
BINARY=${BINARY:-${CARGO_TARGET_DIR:-target}/release/dateline}
[ -x "$BINARY" ] || cargo build --release --locked

work=$(mktemp -d)
chmod 755 "$work"
mkdir -p "$work/html" "$work/tmp"
pids=()
cleanup() {
  # A process that already ended must not stop the clean-up (set -e).
  [ -n "${ngx:-}" ] && { kill -QUIT "$ngx" && wait "$ngx"; } 2>/dev/null || true
  for pid in "${pids[@]}"; do { kill -TERM "$pid" && wait "$pid"; } 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A release build on the demo network with request logs off, at $LEVEL;
# extra settings as NAME=value arguments. Sets $url to its base URL (not
# printed: a command substitution would lose the process to clean up).
start_dateline() { # name [NAME=value...]
  local name=$1; shift
  mkdir -p "$work/data-$name"
  env DATELINE_LOG=warn RUST_LOG=warn DATELINE_COMPRESSION_LEVEL="$LEVEL" "$@" \
    "$BINARY" serve --listen 127.0.0.1:0 --data-dir "$work/data-$name" > "$work/$name.out" &
  pids+=($!)
  for _ in $(seq 300); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^Dateline is listening on //p' "$work/$name.out")
  [ -n "$url" ] || { echo "dateline ($name) did not start" >&2; exit 1; }
}

# nginx serving $work/html as a production server would (sendfile, the
# listen backlog Dateline has), one worker per core, gzip on the fly at
# $LEVEL, NGINX_CONNECTIONS connections per worker (1024, nginx's
# default, unless set), NGINX_LOCATIONS (if set) inside its server
# block; sets $port and $ngx. Waits until $1 (a file name)
# is served.
start_nginx() { # file
  port=$(free_port)
  cat > "$work/nginx.conf" <<CONF
daemon off; worker_processes auto; pid $work/nginx.pid; error_log $work/error.log warn;
worker_rlimit_nofile $(( ${NGINX_CONNECTIONS:-1024} * 2 + 64 ));
events { worker_connections ${NGINX_CONNECTIONS:-1024}; }
http {
  access_log off; include /etc/nginx/mime.types; default_type text/html;
  client_body_temp_path $work/tmp/body; proxy_temp_path $work/tmp/proxy; fastcgi_temp_path $work/tmp/fcgi;
  uwsgi_temp_path $work/tmp/uwsgi; scgi_temp_path $work/tmp/scgi;
  sendfile on; tcp_nopush on;
  gzip on; gzip_comp_level $LEVEL; gzip_min_length 0; gzip_vary on;
  gzip_types text/html application/rss+xml application/xml text/xml;
  server { listen 127.0.0.1:$port backlog=4096; root $work/html; ${NGINX_LOCATIONS:-} }
}
CONF
  nginx -p "$work" -e "$work/error.log" -c "$work/nginx.conf" &
  ngx=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/$1"; do sleep 0.05; done
}

# The path of the Nth article (each once, though the page links it twice)
# of the demo network's politics section on the Dateline at $1, the first
# one's, and the id in such a path (/politics/6-slug: 6).
nth_article() { curl -s "$1/politics" | grep -o 'href="/politics/[0-9][^"]*"' | awk '!seen[$0]++' | sed -n "$2p" | cut -d'"' -f2; }
first_article() { nth_article "$1" 1; }
article_id() { echo "$1" | grep -o '/[0-9][0-9]*-' | tr -dc '0-9'; }

run() { # label url [header] -> one JSON line (also shown on stderr)
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk-json.lua)
  [ -n "${3:-}" ] && args+=(-H "$3")
  local json; json=$(wrk "${args[@]}" "$2" | tail -1)
  echo "$1 $json" >&2
  echo "$json"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
# The median run (by requests/s) of several JSON lines.
median() { python3 -c "
import json,sys
runs=sorted((json.loads(l) for l in sys.argv[1].splitlines() if l.strip()), key=lambda r: r['rps'])
print(json.dumps(runs[len(runs)//2]))" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2])*100:.0f}%')" "$1" "$2"; }
