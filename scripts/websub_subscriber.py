#!/usr/bin/env python3
"""A WebSub subscriber in its own process, for the tests: it answers the
hub's intent verification (echoing hub.challenge for the topic it was told
to expect), receives content distributions, checks their X-Hub-Signature
with the shared secret, and writes what happened as JSON lines to a log.

    websub_subscriber.py LOG TOPIC SECRET

Prints "listening on PORT" once it serves on 127.0.0.1.
"""
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOG, TOPIC, SECRET = sys.argv[1], sys.argv[2], sys.argv[3].encode()


def record(event):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(event) + "\n")


class Subscriber(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        mode = query.get("hub.mode", [""])[0]
        topic = query.get("hub.topic", [""])[0]
        challenge = query.get("hub.challenge", [""])[0]
        if topic != TOPIC or not challenge:
            record({"event": "refused", "mode": mode, "topic": topic})
            self.send_response(404)
            self.end_headers()
            return
        record({"event": "verified", "mode": mode, "lease": query.get("hub.lease_seconds", [""])[0]})
        body = challenge.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        signature = self.headers.get("X-Hub-Signature", "")
        method, _, digest = signature.partition("=")
        expected = hmac.new(SECRET, body, getattr(hashlib, method or "sha256", hashlib.sha256)).hexdigest()
        record({
            "event": "content",
            "signature_ok": hmac.compare_digest(digest, expected),
            "link": self.headers.get("Link", ""),
            "content_type": self.headers.get("Content-Type", ""),
            "body": body.decode("utf-8", "replace"),
        })
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Subscriber)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
