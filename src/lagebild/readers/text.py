"""Plain text and Markdown files: the text is kept as it is; cleaning happens in the pipeline."""

from __future__ import annotations

from lagebild.model import Article, content_id

__all__ = ["text_article"]


def text_article(text: str, source: str, kind: str, notes: list[str]) -> Article:
    fmt = "markdown" if kind == "markdown" else "txt"
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(
        id=content_id(raw),
        source=source,
        source_format=fmt,
        raw_text=raw,
        notes=list(notes),
    )
