"""RSS and Atom files: one article per entry, from its full content or else its summary."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from lagebild.errors import InputError
from lagebild.model import Article, SourceHints, content_id
from lagebild.readers.fragments import fragment_text

__all__ = ["feed_articles"]

# Bounded digits: a decimal reference of 5,000 digits must not reach int() (ValueError).
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));?")


def _valid_charref(match: re.Match[bytes]) -> bytes:
    # feedparser encodes every character reference to UTF-8 and dies on surrogates (&#xD800;)
    # and on numbers beyond Unicode; such references become U+FFFD before it sees them.
    hexa, dec = match.groups()
    code = int(hexa, 16) if hexa else int(dec)
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return match.group()
    return b"&#xFFFD;"


_FIRST_ELEMENT = re.compile(rb"<\w")
_BLANK_LINES = re.compile(rb"[ \t\r\f\v]*\n\s*\n\s*")


def _short_prolog(data: bytes) -> bytes:
    # feedparser searches the prolog with '^\s*<!ENTITY' in multiline mode, which is quadratic in
    # the number of blank lines before the first element (5,000 of them: 10 s). Blank lines
    # there mean nothing, so they are folded into one newline.
    first = _FIRST_ELEMENT.search(data)
    end = first.start() if first else len(data)
    if data.count(b"\n", 0, end) < 100:
        return data
    return _BLANK_LINES.sub(b"\n", data[:end]) + data[end:]


def _parse(data: bytes, source: str) -> Any:
    try:
        import feedparser  # loaded when a feed is read

        return feedparser.parse(_short_prolog(_CHARREF.sub(_valid_charref, data)))
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise InputError(source, f"malformed feed: {type(exc).__name__}: {exc}") from exc


def _day(stamp: Any) -> str | None:
    try:
        return time.strftime("%Y-%m-%d", stamp) if stamp else None
    except (TypeError, ValueError, OverflowError):
        return None


def feed_articles(data: bytes, source: str) -> Iterator[Article | InputError]:
    try:
        parsed = _parse(data, source)
    except InputError as err:
        yield err
        return
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
        date = _day(stamp)
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
