"""JSON Lines exports: one article per line with ``text`` or ``html`` and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Protocol

from lagebild.errors import InputError
from lagebild.model import Article, SourceHints, content_id
from lagebild.readers.html import html_article
from lagebild.readers.record import Record, parse_record

__all__ = ["jsonl_articles", "bounded_lines", "LineStream"]


class LineStream(Protocol):
    """A binary stream that reads at most ``size`` bytes of a line (files, GzipFile, BytesIO)."""

    def readline(self, size: int = -1, /) -> bytes: ...


def bounded_lines(stream: LineStream, limit: int) -> Iterator[bytes | int]:
    """Yield each line of ``stream``; for a line longer than ``limit`` bytes yield its length instead.

    An over-long line is skipped in bounded chunks and never held in memory: one 300 MB line in
    a small ``.jsonl.gz`` costs at most ``limit`` bytes, not the whole line.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield size


def jsonl_articles(stream: LineStream, source: str, max_bytes: int) -> Iterator[Article | InputError]:
    """Yield one Article per good line and one InputError per bad line; never stop early."""
    records = 0
    for number, line in enumerate(bounded_lines(stream, max_bytes), start=1):
        where = f"{source}#line {number}"
        if isinstance(line, int):
            records += 1
            yield InputError(where, f"line too large ({line:,} bytes > input.max_bytes)")
            continue
        if not line.strip():
            continue
        records += 1
        try:
            yield _article(parse_record(_decode(line, where), where), where)
        except InputError as err:
            yield err
    if records == 0:
        yield InputError(source, "empty JSONL file (no records)")


def _decode(line: bytes, where: str) -> object:
    try:
        return json.loads(line)
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError(where, "invalid JSON (nested too deeply)") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputError(where, f"invalid JSON ({exc})") from exc


def _article(record: Record, where: str) -> Article:
    if record.text is not None:
        article = Article(
            id=content_id(record.text), source=where, source_format="jsonl", raw_text=record.text
        )
    else:
        assert record.html is not None  # parse_record guarantees text or html
        article = html_article(record.html, where, [], url=record.url)
        article.source_format = "jsonl"
    # The record's own fields are better than what was guessed from the HTML.
    guessed = article.hints
    article.hints = SourceHints(
        title=record.title or guessed.title,
        date=record.date or guessed.date,
        date_source="jsonl" if record.date else guessed.date_source,
        authors=record.authors or guessed.authors,
        outlet=record.outlet or guessed.outlet,
        url=record.url or guessed.url,
    )
    article.url = record.url or article.url
    article.notes.extend(record.notes)
    return article
