"""JSON Lines exports: one article per line with ``text`` or ``html`` and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from lagebild.errors import InputError
from lagebild.model import Article, SourceHints, content_id
from lagebild.readers.html import html_article

__all__ = ["jsonl_articles"]

_TEXT_KEYS = ("text", "content", "body", "maintext")


def _str(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def jsonl_articles(lines: Iterable[bytes], source: str, max_bytes: int) -> Iterator[Article | InputError]:
    """Yield one Article per good line and one InputError per bad line; never stop early."""
    for number, line in enumerate(lines, start=1):
        where = f"{source}#line {number}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield InputError(where, f"line too large ({len(line):,} bytes > input.max_bytes)")
            continue
        try:
            record = json.loads(line)
        except UnicodeDecodeError as exc:
            yield InputError(where, f"not UTF-8: {exc.reason}")
            continue
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        try:
            yield _record_article(record, where)
        except InputError as err:
            yield err


def _record_article(record: dict[str, Any], where: str) -> Article:
    url = _str(record, "url", "link")
    authors_raw = record.get("authors") or record.get("author") or []
    authors = [authors_raw] if isinstance(authors_raw, str) else [str(a) for a in authors_raw]
    date = _str(record, "date", "published", "date_publish")
    hints = SourceHints(
        title=_str(record, "title", "headline"),
        date=date,
        date_source="jsonl" if date else None,
        authors=authors,
        outlet=_str(record, "outlet", "source", "source_domain", "sitename"),
        url=url,
    )
    html = _str(record, "html")
    text = _str(record, *_TEXT_KEYS)
    if text is None and html is None:
        raise InputError(where, "no 'text' or 'html' field")
    if text is not None:
        article = Article(id=content_id(text), source=where, source_format="jsonl", raw_text=text, url=url)
    else:
        assert html is not None
        article = html_article(html, where, [], url=url)
        article.source_format = "jsonl"
    # The record's own fields are better than what was guessed from the HTML.
    article.hints = SourceHints(
        title=hints.title or article.hints.title,
        date=hints.date or article.hints.date,
        date_source=hints.date_source or article.hints.date_source,
        authors=hints.authors or article.hints.authors,
        outlet=hints.outlet or article.hints.outlet,
        url=url or article.hints.url,
    )
    return article
