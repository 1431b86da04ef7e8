#!/usr/bin/env python3
"""The newsroom and the commenters during bench/spike.sh, while wrk plays
the readers of a live story:

- a reporter posts an entry every second through the API
  (POST /api/v1/articles/{id}/live/entries) and notes when it was
  acknowledged;
- a watcher reads the story's page as a reader would, back to back, and
  notes when each entry first appears: the staleness is the time from
  the acknowledgement to that first response;
- commenters post comments at a steady RATE per second (distinct client
  addresses, e-mail addresses and texts, as bench/comments.lua does; 0
  for none: bench/spike.sh sends its comments with wrk);
- open pages ask for the entries after the newest they have, as live.js
  does, POLLS times a second.

Prints one JSON line with the figures. Standard library only.

    spike_actors.py BASE ARTICLE_PATH ARTICLE_ID TOKEN SECONDS RATE POLLS [LABEL]

LABEL (default r1) goes into every entry's text, so a later round's
entries are not found in the page before they are posted.
"""

import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse

base, path, article, token = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
seconds, rate, polls = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
label = sys.argv[8] if len(sys.argv) > 8 else "r1"
host = urllib.parse.urlsplit(base).netloc
stop_at = time.monotonic() + seconds
acked = {}  # entry text -> monotonic time of the 201
seen = {}  # entry text -> monotonic time of the first page showing it
lock = threading.Lock()
counts = {"posted": 0, "post_errors": 0, "comments": 0, "accepted": 0, "refused": 0,
          "comment_errors": 0, "polls": 0, "poll_errors": 0, "page_reads": 0}
comment_ms = []


def connection():
    return http.client.HTTPConnection(host, timeout=30)


def count(key, n=1):
    with lock:
        counts[key] += n


def reporter():
    conn = connection()
    n = 0
    next_at = time.monotonic()
    while time.monotonic() < stop_at - 2:
        n += 1
        text = f"Spike entry {label}-{n} from the newsroom"
        body = json.dumps({"body_html": text})
        try:
            conn.request("POST", f"/api/v1/articles/{article}/live/entries", body,
                         {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status == 201:
                with lock:
                    acked[text] = time.monotonic()
                count("posted")
            else:
                count("post_errors")
        except OSError:
            count("post_errors")
            conn = connection()
        next_at += 1.0
        time.sleep(max(0.0, next_at - time.monotonic()))


def watcher():
    conn = connection()
    while time.monotonic() < stop_at:
        try:
            conn.request("GET", path)
            page = conn.getresponse().read().decode("utf-8", "replace")
        except OSError:
            conn = connection()
            continue
        now = time.monotonic()
        count("page_reads")
        with lock:
            for text in acked:
                if text not in seen and text in page:
                    seen[text] = now


def commenter(index, per_second):
    conn = connection()
    n = 0
    next_at = time.monotonic()
    while time.monotonic() < stop_at:
        n += 1
        k = index * 10_000_000 + n
        ip = f"10.{(k >> 16) % 256}.{(k >> 8) % 256}.{k % 256}"
        body = urllib.parse.urlencode({
            "name": "Spike Reader", "email": f"reader{k}@example.com", "title": f"Spike {k}",
            "body": f"Comment number {k} on the breaking story.", "agree": "1"})
        started = time.monotonic()
        try:
            conn.request("POST", f"/comments/{article}", body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Bench-Client": ip, "Origin": base})
            response = conn.getresponse()
            response.read()
            with lock:
                comment_ms.append((time.monotonic() - started) * 1000)
            count("comments")
            count("accepted" if response.status == 303 else "refused")
        except OSError:
            count("comment_errors")
            conn = connection()
        next_at += 1.0 / per_second
        time.sleep(max(0.0, next_at - time.monotonic()))


def poller():
    conn = connection()
    next_at = time.monotonic()
    while time.monotonic() < stop_at:
        with lock:
            after = len(seen)
        try:
            conn.request("GET", f"{path}/live?after={after}")
            conn.getresponse().read()
            count("polls")
        except OSError:
            count("poll_errors")
            conn = connection()
        next_at += 1.0 / polls
        time.sleep(max(0.0, next_at - time.monotonic()))


commenters = int(rate // 50) if rate > 0 else 0
threads = [threading.Thread(target=reporter), threading.Thread(target=watcher),
           threading.Thread(target=poller)]
threads += [threading.Thread(target=commenter, args=(i + 1, rate / commenters))
            for i in range(commenters)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

stale = sorted((seen[t] - acked[t]) * 1000 for t in seen)
never = len(acked) - len(seen)


def pct(values, p):
    return round(values[min(len(values) - 1, int(len(values) * p))], 1) if values else None


comment_ms.sort()
print(json.dumps({
    **counts,
    "seconds": seconds,
    "entries_seen": len(seen),
    "entries_never_seen": never,
    "staleness_p50_ms": pct(stale, 0.5),
    "staleness_p99_ms": pct(stale, 0.99),
    "staleness_max_ms": round(stale[-1], 1) if stale else None,
    "comments_per_s": round(counts["comments"] / seconds, 1),
    "comment_p50_ms": pct(comment_ms, 0.5),
    "comment_p99_ms": pct(comment_ms, 0.99),
    "comment_mean_ms": round(statistics.fmean(comment_ms), 1) if comment_ms else None,
}))
