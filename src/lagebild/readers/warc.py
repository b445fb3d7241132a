"""WARC crawls (plain or gzipped): the HTML responses, each read as a page."""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers.decode import decode_bytes
from lagebild.readers.html import html_article

__all__ = ["warc_articles"]


def _size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, io.UnsupportedOperation, AttributeError):
        pass
    if isinstance(stream, io.BytesIO):
        return stream.getbuffer().nbytes
    return None


def warc_articles(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[Article | InputError]:
    number = 0
    html_seen = 0
    total = _size(stream)
    # loaded when a WARC is read, not for `lagebild --help`
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    iterator = ArchiveIterator(stream)
    try:
        for record in iterator:
            number += 1
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            html_seen += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#record {number}"
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield InputError(where, "response body larger than input.max_bytes")
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:
                yield InputError(where, "record is cut short (truncated WARC)")
                return
            charset = ctype.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in ctype else None
            try:
                text, notes = decode_bytes(body, where, declared=charset)
                yield html_article(text, where, notes, url=url)
            except InputError as err:
                yield err
    # warcio reports some truncations as AttributeError on a half-read header block.
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError, AttributeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield InputError(source, f"truncated or corrupt WARC after {number} record(s): {detail}")
        return
    offset = getattr(iterator, "offset", None)
    if total is not None and isinstance(offset, int) and offset < total:
        yield InputError(
            source, f"truncated or corrupt WARC after {number} record(s): {total - offset} bytes unreadable"
        )
    elif number == 0:
        yield InputError(source, "no WARC records found")
    elif html_seen == 0:
        yield InputError(source, f"no HTML responses among {number} WARC record(s)")
