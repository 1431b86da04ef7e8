#!/usr/bin/env python3
"""The measuring half of bench/ingest.sh (standard library only); each
command prints one JSON line.

    burst   --staging DIR --drop DIR --pid PID [--base URL]
        Renames every file of DIR into the drop folder at once (as an agency
        uploading then renaming would), then looks at the drop folder every
        50 ms until no file is left in it (all moved to processed/ or
        refused/): the drop folder's items per second. Also the server's CPU
        seconds over that time, by thread, with its threads' context
        switches, and, with --base and --search, how much longer until the
        last item is found by the search API (the index catching up).
    latency --drop DIR --base URL --count M [--pace-ms 250] [--poll-ms 20]
        Drops M single items one at a time, one every pace (written to a
        `.part` name, then renamed), and times each from its rename to the
        first 200 of its article page with its headline. The article is
        found by its unique headline in the edition's newest articles
        (`GET /api/v1/articles?per_page=20`, `/ar/api/v1/…` for Arabic),
        polled every poll-ms; one poller an edition serves every item in
        flight, so each is looked for every poll-ms. Also when the file
        left the drop folder (the drop-folder task moves it once the item
        is stored): the split between taking the file in and serving it.
    idle    --pid PID [--quiet-ms 2000] [--timeout 900]
        Waits until the process has used under 2% of a core for quiet-ms:
        the server has finished what a run left it (search indexing).
"""

import argparse
import html
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire_items  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User plus system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def threads(pid):
    """{tid: (name, cpu seconds, context switches)} of a process's threads."""
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                head, rest = f.read().rsplit(")", 1)
            fields = rest.split()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                switches = sum(int(line.split()[1]) for line in f if "ctxt_switches" in line)
        except OSError:
            continue  # ended meanwhile
        name = head.split("(", 1)[1]
        found[tid] = (name, (int(fields[11]) + int(fields[12])) / TICKS, switches)
    return found


def thread_split(pid, before, cpu_total):
    """CPU seconds and context switches since `before`, by thread name
    (numbers dropped: merge_thread_0 and merge_thread_1 are one kind);
    what threads that ended meanwhile used is the rest of the process's
    total (the search index's writer threads live for one commit)."""
    after = threads(pid)
    cpu, switches = {}, {}
    for tid, (name, seconds, count) in after.items():
        kind = name.rstrip("0123456789").rstrip("_-")
        _, seconds0, count0 = before.get(tid, (name, 0.0, 0))
        cpu[kind] = cpu.get(kind, 0.0) + seconds - seconds0
        switches[kind] = switches.get(kind, 0) + count - count0
    cpu["(threads that ended)"] = cpu_total - sum(cpu.values())
    return ({k: round(v, 2) for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]) if abs(v) >= 0.01},
            {k: v for k, v in sorted(switches.items(), key=lambda kv: -kv[1]) if v})


def files_in(folder):
    """Regular files waiting in a drop folder (not processed/ or refused/)."""
    with os.scandir(folder) as entries:
        return sum(1 for e in entries if e.is_file(follow_symlinks=False))


def files_under(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def get(url, timeout=10):
    """(status, body) of a GET; a refused or failed request is (0, b"")."""
    scheme, netloc, path, query, _ = urllib.parse.urlsplit(url)
    url = urllib.parse.urlunsplit((scheme, netloc, urllib.parse.quote(path, safe="/%"), query, ""))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, OSError):
        return 0, b""


def percentile(sorted_values, p):
    """Nearest rank: the smallest value at or above p percent of them."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def burst(args):
    names = sorted(os.listdir(args.staging))
    if not names:
        sys.exit("burst: nothing to drop in " + args.staging)
    cpu0 = cpu_seconds(args.pid)
    threads0 = threads(args.pid)
    t0 = time.monotonic()
    for name in names:
        os.rename(os.path.join(args.staging, name), os.path.join(args.drop, name))
    renamed = time.monotonic() - t0
    first_taken = None
    samples = []
    while True:
        left = files_in(args.drop)
        now = time.monotonic() - t0
        samples.append((now, left))
        if first_taken is None and left < len(names):
            first_taken = now
        if left == 0:
            break
        if now > args.timeout:
            sys.exit(f"burst: {left} of {len(names)} files still in {args.drop} after {args.timeout} s")
        time.sleep(0.05)
    elapsed = time.monotonic() - t0
    cpu = cpu_seconds(args.pid) - cpu0
    cpu_by_thread, switches_by_thread = thread_split(args.pid, threads0, cpu)
    result = {
        "items": len(names),
        "rename_s": round(renamed, 3),
        "first_taken_s": round(first_taken, 3),
        "empty_s": round(elapsed, 3),
        "items_per_s": round(len(names) / elapsed, 1),
        "items_per_s_after_first": round(len(names) / (elapsed - first_taken), 1),
        "server_cpu_s": round(cpu, 2),
        "processed": files_under(os.path.join(args.drop, "processed")),
        "refused": files_under(os.path.join(args.drop, "refused")),
        "server_cpu_by_thread_s": cpu_by_thread,
        "server_context_switches": switches_by_thread,
    }
    # The rate in each tenth of the run, to see it fall as the database grows.
    tenths = []
    n = len(names)
    for k in range(1, 11):
        target = n - n * k // 10
        at = next(t for t, left in samples if left <= target)
        tenths.append(round(at, 2))
    result["tenths_s"] = tenths
    if args.base and args.search:
        # The index follows the database a moment later: until the last
        # item dropped is searchable.
        query = urllib.parse.urlencode({"q": f'"{args.search}"'})
        url = f"{args.base}{args.search_edition}/api/v1/search?{query}"
        while True:
            status, body = get(url)
            if status == 200 and json.loads(body)["total"] >= 1:
                break
            if time.monotonic() - t0 > args.timeout:
                sys.exit(f"burst: {args.search} not searchable after {args.timeout} s")
            time.sleep(0.05)
        result["searchable_s"] = round(time.monotonic() - t0, 3)
        result["server_cpu_until_searchable_s"] = round(cpu_seconds(args.pid) - cpu0, 2)
    print(json.dumps(result), flush=True)


def latency(args):
    prefix = args.prefix
    pending = {"": {}, "/ar": {}}  # edition prefix -> headline -> record
    records = []
    lock = threading.Lock()
    done = threading.Event()
    errors = []

    def poll_edition(edition):
        url = f"{args.base}{edition}/api/v1/articles?per_page=20"
        while not done.is_set():
            started = time.monotonic()
            with lock:
                wanted = dict(pending[edition])
            if wanted:
                status, body = get(url)
                if status == 200:
                    for article in json.loads(body)["articles"]:
                        record = wanted.get(article["headline"])
                        if record is None:
                            continue
                        record["listed"] = time.monotonic()
                        with lock:
                            del pending[edition][article["headline"]]
                        threading.Thread(target=serve, args=(record, article["url"]), daemon=True).start()
            time.sleep(max(0.0, args.poll_ms / 1000 - (time.monotonic() - started)))

    def serve(record, canonical):
        # The canonical URL names the server's public address; ask ours.
        path = urllib.parse.urlsplit(canonical).path
        while not done.is_set():
            status, body = get(args.base + path)
            if status == 200 and record["headline"] in html.unescape(body.decode("utf-8", "replace")):
                record["served"] = time.monotonic()
                return
            time.sleep(args.poll_ms / 1000)

    def watch_files():
        # When each file leaves the drop folder: stored, then moved.
        while not done.is_set():
            with lock:
                waiting = [r for r in records if "taken" not in r]
            for record in waiting:
                if not os.path.exists(record["path"]):
                    record["taken"] = time.monotonic()
            time.sleep(0.005)

    threads = [threading.Thread(target=poll_edition, args=(e,), daemon=True) for e in pending]
    threads.append(threading.Thread(target=watch_files, daemon=True))
    for thread in threads:
        thread.start()

    start = time.monotonic()
    for n in range(args.count):
        data, headline = wire_items.item(n, prefix, first_created="none")
        name = wire_items.file_name(n, prefix)
        part = os.path.join(args.drop, name + ".part")
        path = os.path.join(args.drop, name)
        with open(part, "wb") as f:
            f.write(data)
        record = {"headline": headline, "path": path}
        with lock:
            pending["/ar" if n % 2 else ""][headline] = record
            records.append(record)
            record["renamed"] = time.monotonic()
            os.rename(part, path)
        next_at = start + (n + 1) * args.pace_ms / 1000
        time.sleep(max(0.0, next_at - time.monotonic()))

    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if all("served" in r and "taken" in r for r in records):
            break
        time.sleep(0.05)
    done.set()
    missing = [r["headline"] for r in records if "served" not in r]
    if missing:
        errors.append(f"{len(missing)} of {len(records)} items not served within {args.timeout} s "
                      f"of the last drop, first {missing[0]!r}")

    def stats(key_from, key_to):
        values = sorted((r[key_to] - r[key_from]) * 1000 for r in records
                        if key_from in r and key_to in r)
        return {
            "n": len(values),
            "p50_ms": round(percentile(values, 50), 1),
            "p90_ms": round(percentile(values, 90), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "max_ms": round(values[-1], 1),
            "min_ms": round(values[0], 1),
        }

    result = {
        "items": len(records),
        "pace_ms": args.pace_ms,
        "poll_ms": args.poll_ms,
        "served": stats("renamed", "served"),
        "taken": stats("renamed", "taken"),
        "taken_to_served": stats("taken", "served"),
        "over_2s": sum(1 for r in records if "served" in r and r["served"] - r["renamed"] > 2),
    }
    if errors:
        result["errors"] = errors
    print(json.dumps(result), flush=True)
    if errors:
        sys.exit("latency: " + "; ".join(errors))


def idle(args):
    # CPU used over the last quiet-ms under 2% of a core; the server's own
    # timers (the drop folder's look, the change feed) use less than that.
    t0 = time.monotonic()
    window = args.quiet_ms / 1000
    samples = [(t0, cpu_seconds(args.pid))]
    while True:
        time.sleep(0.1)
        now = time.monotonic()
        samples.append((now, cpu_seconds(args.pid)))
        while len(samples) > 2 and samples[1][0] <= now - window:
            samples.pop(0)
        span = now - samples[0][0]
        if span >= window and samples[-1][1] - samples[0][1] < 0.02 * span:
            print(json.dumps({"idle_after_s": round(now - t0, 1)}), flush=True)
            return
        if now - t0 > args.timeout:
            sys.exit(f"idle: process {args.pid} still busy after {args.timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("burst")
    b.add_argument("--staging", required=True)
    b.add_argument("--drop", required=True)
    b.add_argument("--pid", type=int, required=True)
    b.add_argument("--base")
    b.add_argument("--search", help="a phrase only the last item has, to wait for the index")
    b.add_argument("--search-edition", default="", help="'' or '/ar'")
    b.add_argument("--timeout", type=float, default=3600)
    la = commands.add_parser("latency")
    la.add_argument("--drop", required=True)
    la.add_argument("--base", required=True)
    la.add_argument("--count", type=int, default=200)
    la.add_argument("--pace-ms", type=float, default=250)
    la.add_argument("--poll-ms", type=float, default=20)
    la.add_argument("--prefix", default="drop")
    la.add_argument("--timeout", type=float, default=60)
    i = commands.add_parser("idle")
    i.add_argument("--pid", type=int, required=True)
    i.add_argument("--quiet-ms", type=float, default=2000)
    i.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    {"burst": burst, "latency": latency, "idle": idle}[args.command](args)


if __name__ == "__main__":
    main()
