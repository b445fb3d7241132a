"""Safe HTML fragments built in Python: every piece of article text goes through ``markupsafe.escape``.

Highlighting never inserts markup into raw text: the text is cut at every annotation boundary,
each piece is escaped on its own and wrapped in elements whose attributes are escaped too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from lagebild.model import Article

__all__ = ["Span", "article_spans", "highlight", "with_clutter", "snippet", "month_chart"]

# Outer to inner: an event sentence holds a quote, a quote holds a speaker, a speaker holds a mention.
_ORDER = {"event": 0, "quote": 1, "speaker": 2, "cue": 2, "timex": 3, "mention": 4, "removed": 0}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # event, quote, speaker, cue, timex, mention, removed
    css: str
    title: str
    href: str | None = None


def article_spans(
    article: Article, actor_url: Callable[[str], str], name: Callable[[str], str]
) -> list[Span]:
    """The annotations of ``article`` as spans over its clean text."""
    spans: list[Span] = []
    for m in article.mentions:
        linked = bool(m.actor_id and not m.actor_id.startswith("doc:"))
        title = f"{m.label}" + (f" → {name(m.actor_id)}" if linked and m.actor_id else "")
        href = actor_url(m.actor_id) if linked and m.actor_id else None
        spans.append(Span(m.start, m.end, "mention", f"mention ent-{m.label.lower()}", title, href))
    for q in article.quotes:
        who = q.speaker_name or q.speaker or "unattributed"
        spans.append(
            Span(q.message[0], q.message[1], "quote", f"quote quote-{q.kind}", f"{q.kind} quote: {who}")
        )
        if q.speaker_span:
            spans.append(Span(q.speaker_span[0], q.speaker_span[1], "speaker", "speaker", f"speaker: {who}"))
        if q.cue_span:
            spans.append(Span(q.cue_span[0], q.cue_span[1], "cue", "cue", "cue"))
    for t in article.time_expressions:
        spans.append(Span(t.start, t.end, "timex", "timex", f"{t.type} {t.value}"))
    for e in article.events:
        if 0 <= e.sentence < len(article.sentences):
            s = article.sentences[e.sentence]
            parts = [e.action, e.actor or "?", "→", e.target or "?"] + ([e.time] if e.time else [])
            spans.append(Span(s.start, s.end, "event", "event", " ".join(parts)))
    n = len(article.clean_text)
    return [s for s in spans if 0 <= s.start < s.end <= n]


def _wrap(piece: str, active: list[Span]) -> Markup:
    html = Markup("<br>").join(escape(line) for line in piece.split("\n"))
    for span in sorted(active, key=lambda s: _ORDER[s.kind], reverse=True):
        if span.kind == "removed":
            html = Markup('<del class="{}" title="{}">{}</del>').format(span.css, span.title, html)
        elif span.href:
            html = Markup('<a class="{}" href="{}" title="{}">{}</a>').format(
                span.css, span.href, span.title, html
            )
        else:
            html = Markup('<span class="{}" title="{}">{}</span>').format(span.css, span.title, html)
    return html


def _paragraphs(text: str, spans: list[Span], breaks: str) -> list[Markup]:
    cuts = {0, len(text)}
    for s in spans:
        cuts.update((s.start, s.end))
    gaps = [(m.start(), m.end()) for m in re.finditer(breaks, text)]
    for a, b in gaps:
        cuts.update((a, b))
    points = sorted(cuts)
    paragraphs: list[Markup] = []
    current: list[Markup] = []
    gap_starts = {a: b for a, b in gaps}
    skip_until = -1
    for a, b in zip(points, points[1:], strict=False):
        if a in gap_starts:
            skip_until = gap_starts[a]
            if current:
                paragraphs.append(Markup("").join(current))
                current = []
        if a < skip_until:
            continue
        active = [s for s in spans if s.start <= a and b <= s.end]
        current.append(_wrap(text[a:b], active))
    if current:
        paragraphs.append(Markup("").join(current))
    return paragraphs


def highlight(article: Article, spans: list[Span]) -> list[Markup]:
    """Paragraphs of the clean text with the spans as nested, escaped elements."""
    return _paragraphs(article.clean_text, spans, r"\n[ \t]*\n\s*")


def with_clutter(article: Article) -> list[Markup]:
    """Paragraphs of the raw text with every removed span struck through and labelled with its reason."""
    n = len(article.raw_text)
    spans = [
        Span(r.start, r.end, "removed", "removed", f"removed: {r.reason} [{r.rule}]")
        for r in article.removed
        if 0 <= r.start < r.end <= n
    ]
    return _paragraphs(article.raw_text, spans, r"\n[ \t]*\n\s*")


def snippet(text: str) -> Markup:
    """A search snippet whose matches are marked with \\x02 … \\x03 (from FTS5) as escaped <mark> pieces."""
    out: list[Markup] = []
    for i, piece in enumerate(re.split("[\x02\x03]", text)):
        out.append(Markup("<mark>{}</mark>").format(piece) if i % 2 else escape(piece))
    return Markup("").join(out)


def plain_snippet(text: str) -> str:
    return text.replace("\x02", "").replace("\x03", "")


def month_chart(
    rows: list[tuple[str, int]], width: int = 640, height: int = 120, label: str = "mentions per month"
) -> Markup:
    """A bar chart of counts per month as inline SVG (no script, no style attribute)."""
    if not rows:
        return Markup("")
    top = max(n for _, n in rows) or 1
    bar = max(2.0, min(40.0, (width - 20) / len(rows)))
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        ).format(width, height + 20, width, height + 20, "mentions per month")
    ]
    for i, (month, n) in enumerate(rows):
        h = max(1.0, (height - 4) * n / top)
        x = 10 + i * bar
        parts.append(
            Markup(
                '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>'
            ).format(x, height - h, bar * 0.8, h, month, n)
        )
    first, last = rows[0][0], rows[-1][0]
    parts.append(Markup('<text x="10" y="{}">{}</text>').format(height + 15, first))
    parts.append(
        Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(width - 10, height + 15, last)
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
