#!/usr/bin/env python3
"""Parses a feed with feedparser, the library most feed readers trust, and
prints what a test needs as JSON: format, bozo flag, entries.

Usage: feedcheck.py URL
"""
import json
import sys
import urllib.request

import feedparser

with urllib.request.urlopen(sys.argv[1]) as response:
    body = response.read()
    content_type = response.headers.get("content-type", "")

parsed = feedparser.parse(body, response_headers={"content-type": content_type})
print(json.dumps({
    "version": parsed.version,
    "bozo": bool(parsed.bozo),
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "title": parsed.feed.get("title"),
    "self": next((l.get("href") for l in parsed.feed.get("links", []) if l.get("rel") == "self"), None),
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "link": e.get("link"),
            "has_content": bool(e.get("content")),
            "published": e.get("published"),
            "updated": e.get("updated"),
            "enclosures": [x.get("href") for x in e.get("enclosures", [])],
        }
        for e in parsed.entries
    ],
}))
