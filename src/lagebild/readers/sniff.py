"""Decide what kind of input an item is, by file name first and by content when unsure."""

from __future__ import annotations

import re

__all__ = ["sniff_kind", "KINDS"]

KINDS = ("text", "markdown", "html", "jsonl", "warc", "feed")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_HTML = re.compile(rb"<(!doctype html|html|head|body|article|p)[\s>]", re.I)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>/]", re.I)
_ELEMENT = re.compile(rb"<[A-Za-z]")
_FEED_DOCTYPE = re.compile(rb"<!DOCTYPE\s+(?:rss|feed|rdf:RDF)[\s>\[]", re.I)
# What may precede the root element of an XML document: whitespace, the XML declaration and
# other processing instructions, comments, and a DOCTYPE with or without an internal subset.
# Each alternative matches in one way only, so hostile prologs cannot make it backtrack.
_PROLOG = re.compile(
    rb"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[[^\]]*\])*>",
    re.S | re.I,
)


def _root(start: bytes) -> bytes:
    """The bytes from the first element on, after any XML prolog (however long it is)."""
    pos = 0
    while match := _PROLOG.match(start, pos):
        pos = match.end()
    return start[pos : pos + 64]


def sniff_kind(name: str, head: bytes) -> str:
    """Return one of KINDS for an item called ``name`` whose first bytes are ``head``.

    ``head`` must already be decompressed. Content wins over a misleading suffix for the
    container formats (a ``.txt`` that is really a WARC, a ``.xml`` feed).
    """
    lower = name.lower()
    for suffix in (".gz", ".gzip"):
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    full = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    start = full[:4096]
    if start.startswith(b"WARC/"):
        return "warc"
    suffix = lower[lower.rfind(".") :] if "." in lower.rsplit("/", 1)[-1] else ""
    if suffix in _BY_SUFFIX and _BY_SUFFIX[suffix] not in ("text",):
        return _BY_SUFFIX[suffix]
    # The root element decides, wherever the prolog ends; an unfinished prolog (a DOCTYPE longer
    # than the head) still names the root.
    root = _root(full) if start.startswith(b"<") else b""
    if _FEED_ROOT.match(root) or _FEED_DOCTYPE.match(root):
        return "feed"
    found_root = _ELEMENT.match(root) is not None
    if start.startswith(b"<?xml") or suffix == ".xml":
        if _FEED.search(start) and not found_root:
            return "feed"
        return "html" if _HTML.search(start) else "text"
    if _FEED.search(start[:1024]) and start.startswith(b"<") and not found_root:
        return "feed"
    if start.startswith(b"<") and _HTML.search(start):
        return "html"
    if start.startswith(b"{") and suffix not in (".txt", ".md"):
        return "jsonl"
    if suffix == ".json":
        return "jsonl"
    return _BY_SUFFIX.get(suffix, "text")
