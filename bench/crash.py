#!/usr/bin/env python3
"""Crash safety under load (issue 12).

Runs mixed writes against a release build of Dateline, kills the server
with SIGKILL at a random moment, restarts it on the same data directory
and checks that every write the server acknowledged is still there and
that SQLite's `PRAGMA integrity_check` says `ok`. Repeated for N cycles.

    python3 bench/crash.py [--binary target/release/dateline] [--cycles 50] [--seed 1]

Python 3 standard library only; builds nothing. The load generator and the
server run at nice 10 (raised to it if lower). Exits 1 on any acknowledged
write missing, any inconsistency or integrity failure, a failed restart
or an unexpected error in a writer; 2 when the server cannot be set up;
3 when the database is whole but the search index (derived data) missed
a change committed before a kill.

The writers, several at once for a random 0.5 to 3 s per cycle:

- readers post comments on published articles of both editions, each with
  a proof of work solved as `themes/default/static/comments.js` solves it
  (`/comments/challenge`, then `SHA-256(salt + n) == challenge`); each
  comment's title carries a unique marker. Acknowledged: 303 to the
  article with `?comment=pending` or `?comment=published`. Each comment
  comes from its own address (a trusted header, `client_ip_header`, as
  `bench/comments.sh` does) and e-mail, so the flood limits do not refuse
  the load;
- a reporter creates articles in the newsroom (both editions) and saves
  each again up to three times, every headline unique. Acknowledged: 303
  to `/newsroom/articles/{id}?done=...`; each save is version n of the
  article (create = 1);
- an API client (an admin's token) creates articles (201, Location) and
  updates them (PUT with `version`, 200), saving or publishing, sometimes
  with an uploaded image as lead;
- uploads of a generated PNG (opaque or with transparency, 16 to 1,700
  pixels wide, so resized copies and crops are made for some) through the
  newsroom's media library, with a unique file name. Acknowledged: 303 to
  `/newsroom/media?uploaded={id}`.

After each kill, with the server stopped, the database is opened read-only
(as the restarted server will see it) and checked: `integrity_check`,
`foreign_key_check`, every acknowledged comment, article version (its
revision, with the headline sent) and media row (its files on disk,
complete PNG/JPEG streams) of every cycle so far, and invariants that hold
whether or not a write was acknowledged (an article's revisions are 1..its
version and the newest one is its current headline; every media row's
files exist). Writes in flight at the kill may or may not be there; how
many were is reported. After the restart: the reporter's session still
works, and every published article the cycle wrote is found by a search
for its stored headline's own words (the index is derived: at start it
applies the search backlog, the changes committed but not yet indexed,
and is rebuilt when its article count differs from storage's); at the end,
the restarted server serves every acknowledged article at its
acknowledged version or later, and the database is checked again after
a clean stop.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib

PASSWORD = "correct horse battery"
CLIENT_HEADER = "X-Crash-Client"
MARK = "crash"


class Down(Exception):
    """The server did not answer (killed, or not up yet)."""


# --------------------------------------------------------------------------
# HTTP


class Http:
    def __init__(self, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method, path, body=None, headers=None, timeout=30):
        """Status, headers (lower-case names) and body. The body is None
        when the connection broke after the status line and headers: the
        answer was given, so it still acknowledges."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise Down(f"{method} {path}: {e!r}") from e
        status = resp.status
        head = {k.lower(): v for k, v in resp.getheaders()}
        # Every cookie set (a login sets the session and the browser's
        # key), as a browser sends them back.
        head["cookies"] = "; ".join(
            v.split(";", 1)[0] for k, v in resp.getheaders() if k.lower() == "set-cookie"
        )
        try:
            data = resp.read()
        except (OSError, http.client.HTTPException):
            data = None
        conn.close()
        return status, head, data

    def form(self, path, pairs, cookie=None, extra=None, timeout=30):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.base,
        }
        if cookie:
            headers["Cookie"] = cookie
        headers.update(extra or {})
        return self.call("POST", path, urllib.parse.urlencode(pairs), headers, timeout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# Generated images (PNG, standard library only) and checks of stored files


def png(width, height, alpha, rng):
    """A PNG of noisy stripes (a few random rows, repeated); with `alpha`,
    partly transparent (its resized copies are then PNG, otherwise JPEG)."""
    channels = 4 if alpha else 3
    stripes = [b"\x00" + rng.randbytes(width * channels) for _ in range(8)]
    rows = [stripes[(y // 4) % 8] for y in range(height)]
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    colour = 6 if alpha else 2
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def whole_image(path):
    """None when the file is a complete PNG (every chunk's CRC right, up to
    IEND), JPEG (SOI ... EOI) or WebP (RIFF size matches); else why not."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return f"missing ({e.strerror})"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        at = 8
        while at + 12 <= len(data):
            (length,) = struct.unpack(">I", data[at : at + 4])
            kind = data[at + 4 : at + 8]
            body = data[at + 8 : at + 8 + length]
            crc = data[at + 8 + length : at + 12 + length]
            if len(crc) < 4 or struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
                return f"PNG chunk {kind!r} cut or corrupt"
            if kind == b"IEND":
                return None
            at += 12 + length
        return "PNG without IEND"
    if data.startswith(b"\xff\xd8"):
        return None if data.rstrip(b"\x00").endswith(b"\xff\xd9") else "JPEG without EOI"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        (size,) = struct.unpack("<I", data[4:8])
        return None if size + 8 == len(data) else "WebP cut"
    return f"not an image ({len(data)} bytes)"


# --------------------------------------------------------------------------
# The ledger: what was acknowledged, what was in flight


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.comments = {}  # title marker -> article id
        self.saves = {}  # (article id, version) -> headline
        self.edition = {}  # article id -> "" or "/ar"
        self.media = {}  # media id -> original file name
        self.media_ids = {"": [], "/ar": []}  # acknowledged images by edition
        self.inflight = []  # (kind, key) of writes sent without an answer
        self.acked = {"comment": 0, "newsroom": 0, "api": 0, "upload": 0}
        self.refused = {}  # "kind status" -> count, while the server was up
        self.examples = {}  # "kind status" -> a few answers, to read
        self.cycle_acked = None

    def ack(self, kind):
        with self.lock:
            self.acked[kind] += 1
            self.cycle_acked[kind] += 1

    def refuse(self, kind, status, detail=None):
        with self.lock:
            key = f"{kind} {status}"
            self.refused[key] = self.refused.get(key, 0) + 1
            if detail is not None and len(self.examples.setdefault(key, [])) < 3:
                self.examples[key].append(detail)


def marker(kind, cycle, writer, n, rng):
    return f"{MARK}-{kind}{cycle}w{writer}n{n}-{rng.randrange(16**6):06x}"


# --------------------------------------------------------------------------
# Writers: each runs until the server stops answering or `stop` is set.


class Writers:
    def __init__(self, run, cycle, stop, seed):
        self.run = run
        self.cycle = cycle
        self.stop = stop
        self.seed = seed

    def comment(self, w):
        run, rng = self.run, random.Random(f"{self.seed}-c{w}")
        n = 0
        while not self.stop.is_set():
            n += 1
            prefix = rng.choice(["", "/ar"])
            article = rng.choice(run.published[prefix])
            # A fresh one-time code, solved as the page's script does, asked
            # for from the reader's own address (one client may ask for
            # only so many a minute).
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            status, head, data = run.http.call(
                "GET", f"{prefix}/comments/challenge", headers={CLIENT_HEADER: address}
            )
            if status != 200 or data is None:
                run.ledger.refuse("challenge", status)
                continue
            cookie = head["cookies"]
            challenge = json.loads(data)
            proof = solve(challenge)
            title = marker("c", self.cycle, w, n, rng)
            pairs = [
                ("name", f"Reader {w}"),
                ("email", f"{title}@example.com"),
                ("title", title),
                ("body", f"Crash-safety comment {title} on article {article}."),
                ("agree", "1"),
                ("proof", str(proof)),
            ]
            with run.ledger.lock:
                run.ledger.inflight.append(("comment", title))
            status, head, _ = run.http.form(
                f"{prefix}/comments/{article}", pairs, cookie, {CLIENT_HEADER: address}
            )
            location = head.get("location", "")
            if status == 303 and re.search(r"\?comment=(pending|published)", location):
                with run.ledger.lock:
                    run.ledger.inflight.remove(("comment", title))
                    run.ledger.comments[title] = article
                run.ledger.ack("comment")
            else:
                with run.ledger.lock:
                    run.ledger.inflight.remove(("comment", title))
                run.ledger.refuse("comment", status)

    def newsroom(self, w):
        run, rng = self.run, random.Random(f"{self.seed}-n{w}")
        n = 0
        while not self.stop.is_set():
            n += 1
            prefix = rng.choice(["", "/ar"])
            headline = marker("n", self.cycle, w, n, rng) + " v1"
            section = run.sections[prefix]
            fields = [
                ("headline", headline),
                ("section", section),
                ("standfirst", "Written while the server may be killed."),
                ("body_html", f"<p>{headline}</p><p>{'Copy. ' * rng.randrange(1, 200)}</p>"),
                ("tags", "crash, safety"),
            ]
            with run.ledger.lock:
                run.ledger.inflight.append(("create", headline))
            status, head, _ = run.http.form(
                f"{prefix}/newsroom/articles",
                fields + [("action", "save"), ("version", "0")],
                run.cookie,
            )
            m = re.search(r"/newsroom/articles/(\d+)\?done=", head.get("location", ""))
            with run.ledger.lock:
                run.ledger.inflight.remove(("create", headline))
            if status != 303 or not m:
                run.ledger.refuse("newsroom-create", status)
                continue
            article = int(m.group(1))
            with run.ledger.lock:
                run.ledger.saves[(article, 1)] = headline
                run.ledger.edition[article] = prefix
            run.ledger.ack("newsroom")
            submitted = False
            for version in range(1, rng.randrange(2, 5)):
                if self.stop.is_set():
                    return
                headline = headline.rsplit(" v", 1)[0] + f" v{version + 1}"
                # Submitted copy cannot be submitted again (workflow).
                action = "submit" if rng.random() < 0.2 and not submitted else "save"
                submitted = submitted or action == "submit"
                edit = [(k, headline if k == "headline" else v) for k, v in fields if k != "body_html"]
                edit.append(("body_html", f"<p>{headline}</p>"))
                key = (article, version + 1)
                with run.ledger.lock:
                    run.ledger.inflight.append(("save", key, headline))
                status, head, data = run.http.form(
                    f"{prefix}/newsroom/articles/{article}",
                    edit + [("action", action), ("version", str(version))],
                    run.cookie,
                )
                with run.ledger.lock:
                    run.ledger.inflight.remove(("save", key, headline))
                if status == 303 and f"/newsroom/articles/{article}?done=" in head.get("location", ""):
                    with run.ledger.lock:
                        run.ledger.saves[key] = headline
                    run.ledger.ack("newsroom")
                else:
                    run.ledger.refuse("newsroom-save", status, f"{article} v{version}: " + nr_error(data))
                    break

    def api(self, w):
        run, rng = self.run, random.Random(f"{self.seed}-a{w}")
        n = 0
        auth = {"Authorization": f"Bearer {run.token}", "Content-Type": "application/json"}
        while not self.stop.is_set():
            n += 1
            prefix = rng.choice(["", "/ar"])
            headline = marker("a", self.cycle, w, n, rng) + " v1"
            # Published at once half the time: later saves then change
            # what readers and the search index see.
            published = rng.random() < 0.5
            doc = {
                "headline": headline,
                "section": run.section_slugs[prefix],
                "standfirst": "Sent through the content API.",
                "body_html": f"<p>{headline}</p>",
                "tags": ["crash", f"api {w}"],
                "action": "publish" if published else "save",
            }
            with run.ledger.lock:
                run.ledger.inflight.append(("create", headline))
            status, head, _ = run.http.call(
                "POST", f"{prefix}/api/v1/articles", json.dumps(doc), auth
            )
            m = re.search(r"/api/v1/articles/(\d+)$", head.get("location", ""))
            with run.ledger.lock:
                run.ledger.inflight.remove(("create", headline))
            if status != 201 or not m:
                run.ledger.refuse("api-create", status)
                continue
            article = int(m.group(1))
            with run.ledger.lock:
                run.ledger.saves[(article, 1)] = headline
                run.ledger.edition[article] = prefix
            run.ledger.ack("api")
            for version in range(1, rng.randrange(2, 5)):
                if self.stop.is_set():
                    return
                headline = headline.rsplit(" v", 1)[0] + f" v{version + 1}"
                # A published article cannot be published again (workflow).
                action = "publish" if rng.random() < 0.35 and not published else "save"
                published = published or action == "publish"
                change = {
                    "headline": headline,
                    "body_html": f"<p>{headline}</p>",
                    "version": version,
                    "action": action,
                }
                with run.ledger.lock:
                    images = run.ledger.media_ids[prefix][-20:]
                if images and rng.random() < 0.5:
                    change["lead_media"] = rng.choice(images)
                    change["lead_alt"] = "A generated picture"
                key = (article, version + 1)
                with run.ledger.lock:
                    run.ledger.inflight.append(("save", key, headline))
                status, _, data = run.http.call(
                    "PUT", f"{prefix}/api/v1/articles/{article}", json.dumps(change), auth
                )
                with run.ledger.lock:
                    run.ledger.inflight.remove(("save", key, headline))
                if status == 200:
                    with run.ledger.lock:
                        run.ledger.saves[key] = headline
                    run.ledger.ack("api")
                else:
                    run.ledger.refuse("api-update", status, f"{article} v{version}: {(data or b'')[:300]!r}")
                    break

    def upload(self, w):
        run, rng = self.run, random.Random(f"{self.seed}-u{w}")
        n = 0
        while not self.stop.is_set():
            n += 1
            prefix = rng.choice(["", "/ar"])
            width = rng.choice([16, 48, 120, 200, 340, 700, 900, 1200, 1700])
            height = max(8, int(width * rng.uniform(0.4, 1.2)))
            alpha = rng.random() < 0.3
            name = marker("u", self.cycle, w, n, rng) + ".png"
            picture = png(width, height, alpha, rng)
            boundary = f"----crash-{rng.randrange(16**12):012x}"
            body = (
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
            ).encode() + picture + f"\r\n--{boundary}--\r\n".encode()
            headers = {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": run.cookie,
                "Origin": run.http.base,
            }
            with run.ledger.lock:
                run.ledger.inflight.append(("upload", name))
            status, head, _ = run.http.call("POST", f"{prefix}/newsroom/media", body, headers)
            m = re.search(r"/newsroom/media\?uploaded=(\d+)", head.get("location", ""))
            with run.ledger.lock:
                run.ledger.inflight.remove(("upload", name))
            if status == 303 and m:
                media = int(m.group(1))
                with run.ledger.lock:
                    run.ledger.media[media] = name
                    run.ledger.media_ids[prefix].append(media)
                run.ledger.ack("upload")
            else:
                run.ledger.refuse("upload", status)


def nr_error(page):
    """The message a refused newsroom form shows."""
    text = (page or b"").decode("utf-8", "replace")
    found = re.findall(r'class="nr-error"[^>]*>([^<]*)<', text)
    return "; ".join(found)[:300] or text[:200]


def solve(challenge):
    salt, wanted = challenge["salt"], challenge["challenge"]
    for n in range(int(challenge["max"])):
        if hashlib.sha256(f"{salt}{n}".encode()).hexdigest() == wanted:
            return n
    raise RuntimeError("the challenge has no answer")


def guarded(job, name, errors):
    """Runs a writer until the server stops answering; the first `Down`
    ends it (its write in flight stays in the ledger's `inflight`)."""

    def body():
        try:
            job()
        except Down:
            pass
        except Exception as e:  # a bug in the script or an odd answer
            errors.append(f"{name}: {e!r}")

    return threading.Thread(target=body, name=name, daemon=True)


# --------------------------------------------------------------------------
# The server


class Server:
    def __init__(self, binary, data_dir, port, log_path, nice):
        self.binary = binary
        self.data_dir = data_dir
        self.port = port
        self.log_path = log_path
        self.nice = nice
        self.proc = None

    def start(self, timeout=90):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")}
        env.update(
            {
                "RUST_LOG": "warn,dateline=info,dateline_newsdesk::tasks::search_sync=info",
                "DATELINE_CLIENT_IP_HEADER": CLIENT_HEADER,
            }
        )
        log = open(self.log_path, "ab")
        log.write(f"\n==== start {time.strftime('%H:%M:%S')} ====\n".encode())
        log.flush()
        nice = self.nice

        def lower_priority():
            current = os.nice(0)
            if current < nice:
                os.nice(nice - current)

        started = time.monotonic()
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=lower_priority,
        )
        log.close()
        http_ = Http(self.port)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise RuntimeError(f"the server exited with {code} at start (see {self.log_path})")
            try:
                status, _, _ = http_.call("GET", "/healthz", timeout=2)
                if status == 200:
                    return time.monotonic() - started
            except Down:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server was not healthy within {timeout} s (see {self.log_path})")

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def terminate(self):
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return code


def cli(binary, data_dir, *args, stdin=None):
    out = subprocess.run(
        [binary, *args, "--data-dir", data_dir],
        input=stdin,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("DATELINE_")},
    )
    if out.returncode != 0:
        raise RuntimeError(f"dateline {' '.join(args)}: {out.stderr}")
    return out.stdout


# --------------------------------------------------------------------------
# Checks, on the database opened read-only


class Checker:
    def __init__(self, data_dir, ledger):
        self.db_path = os.path.join(data_dir, "dateline.db")
        self.media_dir = os.path.join(data_dir, "media")
        self.ledger = ledger
        self.checked_files = set()

    def check(self):
        """Returns (integrity result, problems, in-flight writes found)."""
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        try:
            return self._check(db)
        except sqlite3.DatabaseError as e:
            return f"unreadable: {e}", [f"the database cannot be read: {e}"], 0
        finally:
            db.close()

    def _check(self, db):
        problems = []
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
        integrity = "ok" if integrity == ["ok"] else "; ".join(integrity[:5])
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        with self.ledger.lock:
            comments = dict(self.ledger.comments)
            saves = dict(self.ledger.saves)
            media = dict(self.ledger.media)
            inflight = list(self.ledger.inflight)

        # Comments: every acknowledged one, once, on its article.
        stored = {}
        for title, article in db.execute(
            "SELECT title, article_id FROM comments WHERE title LIKE ?", (MARK + "-%",)
        ):
            stored.setdefault(title, []).append(article)
        for title, article in comments.items():
            if stored.get(title) != [article]:
                problems.append(f"comment {title} on article {article}: stored as {stored.get(title)}")

        # Articles: each acknowledged version has its revision with the
        # headline sent; the article is at that version or later, and the
        # headline is the newest revision's.
        articles = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT id, version, headline FROM articles WHERE headline LIKE ?", (MARK + "-%",)
            )
        }
        revisions = {}
        for article, number, headline in db.execute(
            "SELECT r.article_id, r.number, json_extract(r.content, '$.headline') "
            "FROM article_revisions r JOIN articles a ON a.id = r.article_id WHERE a.headline LIKE ?",
            (MARK + "-%",),
        ):
            revisions.setdefault(article, {})[number] = headline
        for (article, version), headline in saves.items():
            if article not in articles:
                problems.append(f"article {article} ({headline}): missing")
                continue
            if articles[article][0] < version:
                problems.append(
                    f"article {article}: at version {articles[article][0]}, version {version} was acknowledged"
                )
            if revisions.get(article, {}).get(version) != headline:
                problems.append(
                    f"article {article} revision {version}: {revisions.get(article, {}).get(version)!r}, "
                    f"acknowledged {headline!r}"
                )
        for article, (version, headline) in articles.items():
            numbers = sorted(revisions.get(article, {}))
            if numbers != list(range(1, version + 1)):
                problems.append(f"article {article}: version {version} but revisions {numbers[:8]}")
            elif revisions[article][version] != headline:
                problems.append(f"article {article}: headline {headline!r} is not its newest revision's")

        # Media: every acknowledged row, and every row's files, complete.
        rows = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT id, original_name, path, variants, crops FROM media WHERE original_name LIKE ?",
                (MARK + "-%",),
            )
        }
        for media_id, name in media.items():
            if media_id not in rows:
                problems.append(f"media {media_id} ({name}): no row")
            elif rows[media_id][0] != name:
                problems.append(f"media {media_id}: named {rows[media_id][0]!r}, acknowledged {name!r}")
        for media_id, (name, path, variants, crops) in rows.items():
            files = [path]
            files += [line.split(" ", 1)[1] for line in variants.splitlines() if " " in line]
            files += [line.split(" ")[-1] for line in crops.splitlines() if line.strip()]
            for rel in files:
                full = os.path.join(self.media_dir, rel)
                if full in self.checked_files:
                    if not os.path.isfile(full):
                        problems.append(f"media {media_id}: {rel} disappeared")
                    continue
                why = whole_image(full)
                if why:
                    problems.append(f"media {media_id} ({name}): {rel}: {why}")
                else:
                    self.checked_files.add(full)

        # Writes in flight at the kill: which made it (either is fine).
        found = 0
        headlines = {h for _, h in articles.values()} | {
            h for revs in revisions.values() for h in revs.values()
        }
        names = {r[0] for r in rows.values()}
        for entry in inflight:
            kind = entry[0]
            if kind == "comment":
                found += entry[1] in stored
            elif kind == "create":
                found += entry[1] in headlines
            elif kind == "save":
                (article, version), headline = entry[1], entry[2]
                found += revisions.get(article, {}).get(version) == headline
            elif kind == "upload":
                found += entry[1] in names
        return integrity, problems, found


def published_in_cycle(db_path, cycle):
    """(edition, id, headline) of the published articles this cycle wrote,
    as stored when the server was killed."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(
            "SELECT s.path_prefix, a.id, a.headline FROM articles a JOIN sites s ON s.id = a.site_id "
            "WHERE a.state = 'published' AND a.headline LIKE ?",
            (MARK + "-%",),
        ).fetchall()
    except sqlite3.DatabaseError:
        return []
    finally:
        db.close()
    mine = re.compile(rf"{MARK}-[an]{cycle}w")
    return [("/" + p if p else "", i, h) for p, i, h in rows if mine.match(h)]


def stale_in_search(http_, articles, patience=3.0):
    """The articles a search for their stored headline's own words (the
    marker's random part and the version, also in the body) does not
    find: the index missed a change committed before the kill."""
    missing = list(articles)
    deadline = time.monotonic() + patience
    while True:
        still = []
        for prefix, article, headline in missing:
            words = f"{headline.split()[0].rsplit('-', 1)[1]} {headline.split()[-1]}"
            query = urllib.parse.urlencode({"q": words, "per_page": 100})
            status, _, data = http_.call("GET", f"{prefix}/api/v1/search?{query}")
            ids = [r["id"] for r in json.loads(data)["results"]] if status == 200 and data else []
            if article not in ids:
                still.append((prefix, article, headline))
        missing = still
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(0.5)


def leftovers(data_dir):
    """What killed writes leave behind without harm: temporary `.part`
    files and image files no media row names (an upload killed between
    writing its files and recording them), and comments stored without
    the confirmation mail offered in a second transaction."""
    media_dir = os.path.join(data_dir, "media")
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'dateline.db')}?mode=ro", uri=True)
    try:
        named = set()
        for path, variants, crops in db.execute("SELECT path, variants, crops FROM media"):
            named.add(path)
            named.update(line.split(" ", 1)[1] for line in variants.splitlines() if " " in line)
            named.update(line.split(" ")[-1] for line in crops.splitlines() if line.strip())
        unconfirmed = db.execute(
            "SELECT COUNT(*) FROM comments c WHERE c.title LIKE ? AND NOT EXISTS "
            "(SELECT 1 FROM email_verifications v WHERE v.email = c.author_email)",
            (MARK + "-%",),
        ).fetchone()[0]
    finally:
        db.close()
    parts = orphans = 0
    for root, _, files in os.walk(os.path.join(media_dir, "uploads")):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), media_dir)
            if f.endswith(".part"):
                parts += 1
            elif rel not in named:
                orphans += 1
    return parts, orphans, unconfirmed


def log_notes(log_path, offset):
    """WARN and ERROR lines the server wrote since `offset`, and its
    rebuilds of the search index at start, shortened."""
    with open(log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    notes = []
    for line in text.splitlines():
        if " WARN " in line or " ERROR " in line or "rebuilding the search index" in line:
            line = re.sub(r"^\S+\s+", "", line)
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)
            notes.append(line[:160])
    return notes


# --------------------------------------------------------------------------
# The run


class Run:
    pass


def setup(args, data_dir, log_path):
    run = Run()
    run.ledger = Ledger()
    port = free_port()
    run.http = Http(port)
    run.server = Server(args.binary, data_dir, port, log_path, args.nice)
    run.server.start()
    cli(args.binary, data_dir, "user", "add", "--email", "rami@example.com", "--name", "Rami Reporter",
        "--role", "reporter", "--password-stdin", stdin=PASSWORD + "\n")
    cli(args.binary, data_dir, "user", "add", "--email", "ada@example.com", "--name", "Ada Admin",
        "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    out = cli(args.binary, data_dir, "token", "add", "--email", "ada@example.com", "--name", "crash")
    run.token = next(w for w in out.split() if w.startswith("dl_"))
    status, head, _ = run.http.form(
        "/newsroom/login", [("email", "rami@example.com"), ("password", PASSWORD)]
    )
    if status != 303:
        raise RuntimeError(f"login answered {status}")
    run.cookie = head["cookies"]
    run.sections, run.section_slugs, run.published = {}, {}, {}
    for prefix in ["", "/ar"]:
        _, _, page = run.http.call("GET", f"{prefix}/newsroom/articles/new", headers={"Cookie": run.cookie})
        select = page.decode().split('<select id="section"', 1)[1].split("</select>", 1)[0]
        run.sections[prefix] = re.findall(r'<option value="(\d+)"', select)[0]
        _, _, data = run.http.call("GET", f"{prefix}/api/v1/sections")
        run.section_slugs[prefix] = json.loads(data)["sections"][0]["slug"]
        _, _, data = run.http.call("GET", f"{prefix}/api/v1/articles?per_page=100")
        run.published[prefix] = [a["id"] for a in json.loads(data)["articles"]]
    return run


def after_restart(run, searchable, totals, cycle):
    """Checks through the restarted server; returns the problems found.
    A stale search index is counted in `totals`, not as a problem."""
    problems = []
    # The newsroom session (a write acknowledged at login) survives.
    status, _, _ = run.http.call("GET", "/newsroom", headers={"Cookie": run.cookie})
    if status != 200:
        problems.append(f"the reporter's session is gone (GET /newsroom answered {status})")
    # Derived data: the search index holds what storage holds.
    stale = stale_in_search(run.http, searchable)
    totals["search_checked"] += len(searchable)
    totals["search_stale"] += len(stale)
    totals["search_stale_list"] += stale
    for prefix, article, headline in stale:
        # Was the save the index missed answered before the kill?
        version = int(headline.rsplit(" v", 1)[1])
        acked = run.ledger.saves.get((article, version)) == headline
        totals["search_stale_acknowledged"] += acked
        how = "acknowledged" if acked else "in flight"
        totals["search_stale_examples"].append(
            f"cycle {cycle}: {prefix or '/'} article {article} {headline!r} ({how})"
        )
        print(
            f"    search index stale: article {article} ({prefix or 'en'}) stored as "
            f"{headline!r} ({how}) is not found",
            flush=True,
        )
    return problems


def served_at_end(run, totals):
    """The restarted server reads every acknowledged article at its
    acknowledged version or later (through the API, as the admin); and
    are the index entries found stale after a restart still stale?"""
    problems = []
    newest = {}
    for article, version in run.ledger.saves:
        newest[article] = max(newest.get(article, 0), version)
    auth = {"Authorization": f"Bearer {run.token}"}
    for article, version in sorted(newest.items()):
        prefix = run.ledger.edition[article]
        status, _, data = run.http.call("GET", f"{prefix}/api/v1/articles/{article}", headers=auth)
        got = json.loads(data).get("version") if status == 200 and data else None
        if got is None or got < version:
            problems.append(f"article {article}: served {status} version {got}, acknowledged {version}")
    print(f"served by the restarted server: {len(newest)} articles, {len(problems)} problems")
    for p in problems[:20]:
        print(f"    problem: {p}")
    still = stale_in_search(run.http, totals["search_stale_list"], patience=0)
    totals["search_still_stale"] = len(still)
    print(
        f"search entries stale after a restart: {len(totals['search_stale_list'])}, "
        f"still stale at the end: {len(still)}"
    )
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="target/release/dateline")
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--comment-writers", type=int, default=2)
    parser.add_argument("--newsroom-writers", type=int, default=1)
    parser.add_argument("--api-writers", type=int, default=1)
    parser.add_argument("--upload-writers", type=int, default=1)
    parser.add_argument("--min-seconds", type=float, default=0.5)
    parser.add_argument("--max-seconds", type=float, default=3.0)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--json", help="write the totals to this file as JSON")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 10**6)
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        print(f"no binary at {args.binary} (this script builds nothing)", file=sys.stderr)
        return 2
    current = os.nice(0)
    if current < args.nice:
        os.nice(args.nice - current)
    rng = random.Random(args.seed)

    work = tempfile.mkdtemp(prefix="dateline-crash-")
    data_dir = os.path.join(work, "data")
    log_path = os.path.join(work, "server.log")
    print(f"crash.py: seed {args.seed}, {args.cycles} cycles, binary {args.binary}, data {data_dir}")
    try:
        run = setup(args, data_dir, log_path)
    except Exception as e:
        print(f"setup failed: {e}\nserver log: {log_path}", file=sys.stderr)
        return 2
    checker = Checker(data_dir, run.ledger)
    totals = {
        "cycles": 0,
        "seconds_under_load": 0.0,
        "integrity_failures": 0,
        "problems": 0,
        "inflight": 0,
        "inflight_found": 0,
        "restart_seconds": [],
        "search_checked": 0,
        "search_stale": 0,
        "search_stale_examples": [],
        "search_stale_list": [],
        "search_stale_acknowledged": 0,
        "writer_errors": [],
        "log_notes": {},
    }
    failed = False
    started = time.monotonic()
    for cycle in range(1, args.cycles + 1):
        ledger = run.ledger
        ledger.cycle_acked = {k: 0 for k in ledger.acked}
        stop = threading.Event()
        writers = Writers(run, cycle, stop, f"{args.seed}-{cycle}")
        errors = []
        threads = []
        for kind, count in [
            ("comment", args.comment_writers),
            ("newsroom", args.newsroom_writers),
            ("api", args.api_writers),
            ("upload", args.upload_writers),
        ]:
            for w in range(count):
                job = getattr(writers, kind)
                threads.append(guarded(lambda job=job, w=w: job(w), f"{kind}{w}", errors))
        for t in threads:
            t.start()
        load = rng.uniform(args.min_seconds, args.max_seconds)
        time.sleep(load)
        run.server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        totals["writer_errors"] += [f"cycle {cycle}: {e}" for e in errors]
        totals["seconds_under_load"] += load

        integrity, problems, found = checker.check()
        searchable = published_in_cycle(checker.db_path, cycle)
        inflight = len(ledger.inflight)
        totals["inflight"] += inflight
        totals["inflight_found"] += found
        ledger.inflight.clear()
        log_offset = os.path.getsize(log_path)
        try:
            restart = run.server.start()
        except RuntimeError as e:
            problems.append(f"restart failed: {e}")
            restart = None
        notes = log_notes(log_path, log_offset)
        for note in notes:
            key = re.sub(r"\d+", "N", note)[:100]
            totals["log_notes"][key] = totals["log_notes"].get(key, 0) + 1
        if restart is not None:
            totals["restart_seconds"].append(restart)
            try:
                problems += after_restart(run, searchable, totals, cycle)
            except Down as e:
                problems.append(f"the restarted server stopped answering: {e}")
        totals["cycles"] = cycle
        if integrity != "ok":
            totals["integrity_failures"] += 1
        totals["problems"] += len(problems)
        acked = ledger.cycle_acked
        print(
            f"cycle {cycle:3}: load {load:4.2f} s, acknowledged comments {acked['comment']:3} "
            f"newsroom {acked['newsroom']:3} api {acked['api']:3} uploads {acked['upload']:3}; "
            f"in flight {inflight} (stored {found}); integrity {integrity}; problems {len(problems)}; "
            + (f"restart {restart:.2f} s" if restart is not None else "restart FAILED"),
            flush=True,
        )
        for p in problems[:20]:
            print(f"    problem: {p}", flush=True)
        for e in errors:
            print(f"    writer error: {e}", flush=True)
        if integrity != "ok" or problems:
            failed = True
            if restart is None:
                break

    # The restarted server itself reads every acknowledged article at its
    # acknowledged version or later (through the API, as its owner's admin).
    served_problems = []
    try:
        if run.server.proc is not None:
            served_problems += served_at_end(run, totals)
    except Down as e:
        served_problems.append(f"the restarted server stopped answering: {e}")
    if served_problems or totals["writer_errors"]:
        failed = True

    # A last check after a clean stop (SIGTERM, which checkpoints the WAL).
    code = run.server.terminate()
    integrity, problems, _ = checker.check()
    totals["final_integrity"] = integrity
    totals["final_problems"] = problems
    totals["clean_stop_exit"] = code
    if integrity != "ok" or problems:
        failed = True
    parts, orphans, unconfirmed = leftovers(data_dir)

    ledger = run.ledger
    restarts = totals["restart_seconds"] or [0]
    summary = {
        "seed": args.seed,
        "cycles": totals["cycles"],
        "seconds": round(time.monotonic() - started, 1),
        "seconds_under_load": round(totals["seconds_under_load"], 1),
        "acknowledged": dict(ledger.acked),
        "acknowledged_total": sum(ledger.acked.values()),
        "distinct_articles": len({a for a, _ in ledger.saves}),
        "inflight_at_kill": totals["inflight"],
        "inflight_stored": totals["inflight_found"],
        "refused_while_up": ledger.refused,
        "refused_examples": ledger.examples,
        "missing_or_inconsistent": totals["problems"] + len(problems) + len(served_problems),
        "integrity_failures": totals["integrity_failures"] + (integrity != "ok"),
        "final_integrity_after_clean_stop": integrity,
        "clean_stop_exit_code": code,
        "restart_seconds_median": round(sorted(restarts)[len(restarts) // 2], 2),
        "restart_seconds_max": round(max(restarts), 2),
        "part_files_left": parts,
        "image_files_without_row": orphans,
        "comments_without_confirmation_mail": unconfirmed,
        "search_checked_after_restart": totals["search_checked"],
        "search_stale_after_restart": totals["search_stale"],
        "search_stale_of_acknowledged_saves": totals["search_stale_acknowledged"],
        "search_stale_examples": totals["search_stale_examples"][:10],
        "search_still_stale_at_end": totals.get("search_still_stale"),
        "server_log_notes": totals["log_notes"],
        "writer_errors": totals["writer_errors"],
        "result": "FAIL" if failed else "PASS",
        "search_index": "STALE" if totals["search_stale"] else "ok",
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)
    if failed or args.keep:
        print(f"data directory and server log kept in {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    if failed:
        return 1
    return 3 if totals["search_stale"] else 0


if __name__ == "__main__":
    sys.exit(main())
