"""RSS and Atom files: one article per entry, from its full content or else its summary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser

from lagebild.errors import InputError
from lagebild.model import Article, SourceHints, content_id
from lagebild.readers.fragments import fragment_text

__all__ = ["feed_articles"]


def feed_articles(data: bytes, source: str) -> Iterator[Article | InputError]:
    parsed = feedparser.parse(data)
    entries: list[Any] = list(parsed.entries)
    if not entries:
        if parsed.bozo:
            reason = str(parsed.get("bozo_exception", "unknown error")).splitlines()[0]
            yield InputError(source, f"malformed feed: {reason}")
        else:
            yield InputError(source, "feed has no entries")
        return
    outlet = parsed.feed.get("title") or None
    note = []
    malformed = ""
    if parsed.bozo:
        problem = str(parsed.get("bozo_exception", "")).splitlines()[0]
        note.append(f"feed is not well-formed ({problem}); entries read leniently")
        malformed = f" (malformed feed: {problem})"
    for number, entry in enumerate(entries, start=1):
        where = f"{source}#entry {number}"
        content = entry.get("content") or []
        body = content[0].get("value") if content else None
        body = body or entry.get("summary") or entry.get("description")
        if not body or not body.strip():
            yield InputError(where, f"entry has no content or summary{malformed}")
            continue
        text = fragment_text(body)
        if not text:
            yield InputError(where, "entry content is empty after removing markup")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", stamp) if stamp else None
        author = entry.get("author")
        url = entry.get("link")
        yield Article(
            id=content_id(body),
            source=where,
            source_format="feed",
            raw_text=text,
            url=url,
            hints=SourceHints(
                title=entry.get("title") or None,
                date=date,
                date_source="feed" if date else None,
                authors=[author] if author else [],
                outlet=outlet,
                url=url,
            ),
            notes=list(note),
        )
