"""Readers: turn paths (files, directories, ``-`` for stdin, URLs when allowed) into Articles.

Every problem with one item becomes an :class:`~lagebild.errors.InputError` *yielded* in place
of that item, so one bad file never stops a run.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from lagebild.config import Config
from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers.decode import decode_bytes
from lagebild.readers.feed import feed_articles
from lagebild.readers.html import html_article
from lagebild.readers.jsonl import jsonl_articles
from lagebild.readers.sniff import sniff_kind
from lagebild.readers.text import text_article
from lagebild.readers.warc import warc_articles

__all__ = ["read_paths", "read_bytes", "ReadResult", "expand_paths"]

ReadResult = Article | InputError


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Expand directories recursively (sorted, hidden entries skipped); keep other paths as given."""
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name)
        else:
            yield raw


def read_paths(paths: Iterable[str], config: Config) -> Iterator[ReadResult]:
    for item in expand_paths(paths):
        yield from _read_one(item, config)


def _read_one(item: str, config: Config) -> Iterator[ReadResult]:
    max_bytes = int(config["input"]["max_bytes"])
    if item == "-":
        data = sys.stdin.buffer.read()
        yield from read_bytes(data, "<stdin>", "stdin", max_bytes)
        return
    if item.startswith(("http://", "https://")):
        yield from _fetch(item, config)
        return
    path = Path(item)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield InputError(item, "no such file or directory")
        return
    except OSError as exc:
        yield InputError(item, f"cannot access: {exc.strerror}")
        return
    if not path.is_file():
        yield InputError(item, "not a regular file")
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        yield InputError(item, f"cannot read: {exc.strerror}")
        return
    gzipped = head.startswith(b"\x1f\x8b")
    if gzipped:
        # If even the first block does not decompress, sniff the raw bytes: reading the file
        # below then fails with a clear "truncated or corrupt gzip" reason for this item.
        with contextlib.suppress(OSError, EOFError, zlib.error):
            head = gzip.GzipFile(fileobj=io.BytesIO(head)).read1(65536)
    kind = sniff_kind(path.name, head)
    if kind == "warc":
        with path.open("rb") as fh:
            yield from warc_articles(fh, item, max_bytes)
        return
    if kind == "jsonl":
        yield from _jsonl_file(path, item, gzipped, max_bytes)
        return
    if size > max_bytes and not gzipped:
        yield InputError(
            item,
            f"file too large ({size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB; "
            "raise it with --set input.max_bytes=N)",
        )
        return
    try:
        data = path.read_bytes()
        if gzipped:
            data = _gunzip(data, max_bytes)
    except OSError as exc:
        yield InputError(item, f"cannot read: {exc.strerror or exc}")
        return
    except InputError as err:
        yield err
        return
    yield from _dispatch(kind, data, item, max_bytes)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise OSError(f"truncated or corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise OSError("decompressed data larger than input.max_bytes")
    return out


def _jsonl_file(path: Path, item: str, gzipped: bool, max_bytes: int) -> Iterator[ReadResult]:
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as fh:
            yield from jsonl_articles(fh, item, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(item, f"stopped reading: truncated or unreadable ({exc})")


def read_bytes(data: bytes, source: str, name: str, max_bytes: int) -> Iterator[ReadResult]:
    """Read one item given as bytes (stdin, a fetched URL, tests)."""
    if len(data) > max_bytes:
        yield InputError(source, f"input too large ({len(data) / 1e6:.1f} MB > input.max_bytes)")
        return
    head = data[:65536]
    if head.startswith(b"\x1f\x8b"):
        try:
            data = _gunzip(data, max_bytes)
        except OSError as exc:
            yield InputError(source, str(exc))
            return
        head = data[:65536]
    yield from _dispatch(sniff_kind(name, head), data, source, max_bytes)


def _dispatch(kind: str, data: bytes, source: str, max_bytes: int) -> Iterator[ReadResult]:
    if kind == "warc":
        yield from warc_articles(io.BytesIO(data), source, max_bytes)
        return
    if kind == "jsonl":
        yield from jsonl_articles(io.BytesIO(data), source, max_bytes)
        return
    if kind == "feed":
        if not data.strip():
            yield InputError(source, "empty file")
            return
        yield from feed_articles(data, source)
        return
    try:
        text, notes = decode_bytes(data, source)
        if kind == "html":
            yield html_article(text, source, notes)
        else:
            yield text_article(text, source, kind, notes)
    except InputError as err:
        yield err


def _fetch(url: str, config: Config) -> Iterator[ReadResult]:
    if not config["input"]["fetch"]:
        yield InputError(url, "is a URL, and fetching is off (pass --fetch to allow network access)")
        return
    max_bytes = int(config["input"]["max_bytes"])
    request = urllib.request.Request(url, headers={"User-Agent": "lagebild/0.1 (+offline news analysis)"})
    try:
        with urllib.request.urlopen(request, timeout=float(config["input"]["fetch_timeout"])) as resp:
            data = resp.read(max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        yield InputError(url, f"fetch failed: {getattr(exc, 'reason', exc)}")
        return
    name = url.split("?", 1)[0]
    if "html" in ctype and not name.endswith((".htm", ".html")):
        name += ".html"
    for result in read_bytes(data, url, name, max_bytes):
        if isinstance(result, Article) and result.url is None:
            result.url = url
        yield result
