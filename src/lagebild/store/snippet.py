"""Search snippets cut in Python from an article's text (FTS5's snippet() re-runs the match per row)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "snippet"]


def fold(text: str) -> str:
    """Lower case without diacritics, one character per character (so offsets carry over)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] if ord(ch) > 127 else ch
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def snippet(text: str, fts_query: str, width: int = 240) -> str:
    """About ``width`` characters around the first match of the query terms, matches in \\x02 … \\x03."""
    parts = []
    for phrase, star in re.findall(r'"([^"]*)"(\*?)', fts_query):
        words = [re.escape(fold(w)) for w in phrase.split()]
        if words:
            parts.append(r"\b" + r"\W+".join(words) + (r"\w*" if star else r"\b"))
    folded = fold(text)
    pattern = re.compile("|".join(parts)) if parts else None
    first = pattern.search(folded) if pattern else None
    start = max(0, (first.start() if first else 0) - width // 3)
    if start:
        start = folded.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    out, pos = [], start
    for m in pattern.finditer(folded, start, end) if pattern else ():
        out += [text[pos : m.start()], "\x02", text[m.start() : min(m.end(), end)], "\x03"]
        pos = min(m.end(), end)
    out.append(text[pos:end])
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
