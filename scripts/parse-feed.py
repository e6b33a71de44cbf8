#!/usr/bin/python3
"""Parses an Atom feed with feedparser (Debian's python3-feedparser) and prints what the tests
check as JSON: bozo (feedparser's word for a feed it had to guess at), the feed's id and
updated, and each entry's id, updated, title, link and content length."""
import json
import sys

import feedparser

d = feedparser.parse(sys.argv[1])
json.dump(
    {
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "id": d.feed.get("id"),
        "updated": d.feed.get("updated"),
        "entries": [
            {
                "id": e.get("id"),
                "updated": e.get("updated"),
                "title": e.get("title"),
                "link": e.get("link"),
                "content": len(e.content[0].value) if e.get("content") else 0,
            }
            for e in d.entries
        ],
    },
    sys.stdout,
)
