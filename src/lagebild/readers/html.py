"""HTML pages: trafilatura finds the main text and metadata, htmldate the publication date."""

from __future__ import annotations

import re

from lagebild.errors import InputError
from lagebild.model import Article, SourceHints, content_id

__all__ = ["html_article"]

_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|\bund\b|&)\s*")


def html_article(html: str, source: str, notes: list[str], url: str | None = None) -> Article:
    if not html.strip():
        raise InputError(source, "empty HTML")
    # Imported here: they take ~0.5 s to load, which `lagebild --help` and text-only runs need not pay.
    import htmldate
    import trafilatura
    from lxml.etree import LxmlError

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
        date = htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d", url=url)
    except (LxmlError, ValueError, UnicodeError, RecursionError) as exc:
        raise InputError(source, f"unparseable HTML: {type(exc).__name__}: {exc}") from exc
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise InputError(source, "no main text found in the HTML page")
    # trafilatura separates paragraphs by single newlines; the text cleaner works on blocks.
    text = re.sub(r"\n+", "\n\n", (doc.text or "").strip())
    authors = [a for a in _AUTHOR_SPLIT.split(doc.author or "") if a]
    hints = SourceHints(
        title=doc.title or None,
        date=date or None,
        date_source="htmldate" if date else None,
        authors=authors,
        outlet=doc.sitename or None,
        url=url or doc.url or None,
    )
    return Article(
        id=content_id(html),
        source=source,
        source_format="html",
        raw_text=text,
        hints=hints,
        url=hints.url,
        notes=[*notes, "main text extracted from HTML by trafilatura"],
    )
