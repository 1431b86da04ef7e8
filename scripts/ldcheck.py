#!/usr/bin/env python3
"""Extracts the structured data of a saved page with extruct, as search
engines' tools do, and prints its JSON-LD items as JSON.

Usage: ldcheck.py FILE BASE_URL
"""
import json
import sys

import extruct

with open(sys.argv[1], encoding="utf-8") as page:
    html = page.read()

data = extruct.extract(html, base_url=sys.argv[2], syntaxes=["json-ld", "opengraph"])
print(json.dumps({"json-ld": data.get("json-ld", []), "opengraph": data.get("opengraph", [])}))
