"""Markdown as found in copied web text, turned into plain text.

Only what copy-and-paste produces: headings, emphasis, links, autolinks, escapes, block
quotes and list bullets. Link targets are dropped (the anchor text stays).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["markdown_to_text"]

_SUBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),  # heading marks
    (re.compile(r"^\s{0,3}>\s?"), ""),  # block quote
    (re.compile(r"^\s{0,3}[-*+]\s+(?=\S)"), ""),  # bullets
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep alt text
    (re.compile(r"\[((?:[^\]\\]|\\.)*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)"), r"\1"),  # links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis with *
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis with _
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # escapes
]


# A line with none of these characters (and no leading "-") has no Markdown: most lines of a page.
_MARKUP = re.compile(r"[#>*+\[<_\\]")
_SPACES = re.compile(r"[ \t]+")


@lru_cache(maxsize=65536)
def markdown_to_text(text: str) -> str:
    if _MARKUP.search(text) is None and not text.lstrip().startswith("-"):
        return _SPACES.sub(" ", text).strip()
    for pattern, repl in _SUBS:
        text = pattern.sub(repl, text)
    # Stray emphasis marks left by emphasis split over a removed span or line ends. A star after a
    # word inside a line is a gender star ("inter* Personen", "Lehrer*innen") and stays.
    text = re.sub(
        r"(?<=[^\s*])\*{1,3}(?=[.,;:!?)]*$)|(?<=[.,;:!?)\"“”»«])\*{1,3}(?=\s)|(?<!\S)\*{1,3}(?=[^\s*])",
        "",
        text,
    )
    return _SPACES.sub(" ", text).strip()
