"""Readers: turn paths (files, directories, ``-`` for stdin, URLs when allowed) into Articles.

Every problem with one item becomes an :class:`~lagebild.errors.InputError` *yielded* in place
of that item, so one bad file never stops a run. :func:`_guarded` is the boundary: what leaves
it is an Article whose strings can be stored (no lone surrogates) or an InputError.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import os
import re
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lagebild.config import Config
from lagebild.errors import InputError, LagebildError, printable
from lagebild.model import Article, SourceHints
from lagebild.readers.decode import decode_bytes
from lagebild.readers.feed import feed_articles
from lagebild.readers.html import html_article
from lagebild.readers.jsonl import jsonl_articles
from lagebild.readers.sniff import sniff_kind
from lagebild.readers.text import text_article
from lagebild.readers.warc import warc_articles

__all__ = ["read_paths", "read_bytes", "ReadResult", "expand_paths", "PathArg"]

ReadResult = Article | InputError
# Paths may be given as bytes (file names that are not UTF-8); they become str by os.fsdecode.
PathArg = str | bytes | os.PathLike[str] | os.PathLike[bytes]
_SURROGATES = re.compile("[\ud800-\udfff]")


def expand_paths(paths: Iterable[PathArg]) -> Iterator[str]:
    """Expand directories recursively (sorted, hidden entries skipped); keep other paths as given.

    A directory that cannot be listed is yielded itself, so that reading it reports why.
    """
    for arg in paths:
        raw = os.fsdecode(arg)
        if raw != "-" and Path(raw).is_dir():
            yield from _walk(Path(raw))
        else:
            yield raw


def _walk(top: Path) -> Iterator[str]:
    unreadable: list[str] = []
    for root, dirs, files in os.walk(top, onerror=lambda exc: unreadable.append(str(exc.filename))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield str(Path(root) / name)
        yield from unreadable
        unreadable.clear()
    yield from unreadable


def read_paths(paths: Iterable[PathArg], config: Config) -> Iterator[ReadResult]:
    for item in expand_paths(paths):
        yield from _guarded(_read_one(item, config), item)


def _guarded(results: Iterator[ReadResult], item: str) -> Iterator[ReadResult]:
    """The reader boundary: storable articles out, and any failure as this item's InputError."""
    try:
        for result in results:
            yield result if isinstance(result, InputError) else _storable(result)
    except InputError as err:
        yield err
    except LagebildError as exc:
        yield InputError(item, str(exc))
    # Last resort, per item: a reader bug must not end the run; it is recorded with its type.
    except Exception as exc:  # noqa: BLE001
        failure = InputError(item, f"reader failed unexpectedly ({type(exc).__name__}: {exc})")
        failure.__cause__ = exc
        yield failure


def _scrub(value: Any) -> tuple[Any, int]:
    if isinstance(value, str) and not value.isascii() and _SURROGATES.search(value):
        return _SURROGATES.subn("\ufffd", value)
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        pairs = [_scrub(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    return value, 0


def _storable(article: Article) -> Article:
    """Replace lone surrogates (JSON "\\ud800", file names that are not UTF-8) with U+FFFD.

    They cannot be encoded as UTF-8, so SQLite and every export would fail on them later.
    """
    article.source = printable(article.source)
    replaced = 0
    hints: dict[str, Any] = {}
    for f in dataclasses.fields(SourceHints):
        hints[f.name], n = _scrub(getattr(article.hints, f.name))
        replaced += n
    article.hints = SourceHints(**hints)
    for name in ("raw_text", "url", "notes"):
        value, n = _scrub(getattr(article, name))
        setattr(article, name, value)
        replaced += n
    if replaced:
        article.notes.append(f"replaced {replaced} lone surrogate(s) with U+FFFD")
    return article


def _read_one(item: str, config: Config) -> Iterator[ReadResult]:
    max_bytes = int(config["input"]["max_bytes"])
    if item == "-":
        data = sys.stdin.buffer.read()
        yield from _read_bytes(data, "<stdin>", "stdin", max_bytes)
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
    except ValueError as exc:  # e.g. an embedded NUL in the name
        yield InputError(item, f"not a valid path: {exc}")
        return
    if path.is_dir():
        try:
            os.listdir(path)
        except OSError as exc:
            yield InputError(item, f"cannot list directory: {exc.strerror}")
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
    gzipped = _looks_gzipped(head, path.name)
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
        data = _gunzip_file(path, max_bytes) if gzipped else path.read_bytes()
    except OSError as exc:
        yield InputError(item, f"cannot read: {exc.strerror or exc}")
        return
    except InputError as err:
        yield err
        return
    yield from _dispatch(kind, data, item, max_bytes)


def _gunzip_file(path: Path, max_bytes: int) -> bytes:
    # Decompressed as a stream with the cap applied, so a gzip bomb costs at most max_bytes.
    try:
        with gzip.open(path, "rb") as gz:
            out = gz.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise OSError(f"truncated or corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise OSError("decompressed data larger than input.max_bytes")
    return out


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
    yield from _guarded(_read_bytes(data, source, name, max_bytes), source)


def _looks_gzipped(head: bytes, name: str) -> bool:
    """gzip magic, and either a .gz name or a first block that decompresses: a file named .jsonl or
    .txt whose first two bytes happen to be 1f 8b is read as what its name says (hypothesis found one)."""
    if not head.startswith(b"\x1f\x8b"):
        return False
    if name.lower().endswith((".gz", ".tgz")):
        return True
    try:
        gzip.GzipFile(fileobj=io.BytesIO(head)).read1(1)
    except (OSError, EOFError, zlib.error):
        return False
    return True


def _read_bytes(data: bytes, source: str, name: str, max_bytes: int) -> Iterator[ReadResult]:
    if len(data) > max_bytes:
        yield InputError(source, f"input too large ({len(data) / 1e6:.1f} MB > input.max_bytes)")
        return
    head = data[:65536]
    if _looks_gzipped(head, name):
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
    for result in _read_bytes(data, url, name, max_bytes):
        if isinstance(result, Article) and result.url is None:
            result.url = url
        yield result
