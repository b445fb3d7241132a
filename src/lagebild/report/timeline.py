"""Report helpers for P4: the timeline view (static SVG + list) and time-expression highlighting.

Nothing here produces markup from article text without escaping it: the SVG is drawn by the template
from numbers and autoescaped strings, and highlighted paragraphs are built from ``markupsafe.escape``d
pieces joined with fixed ``<mark>`` tags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from lagebild.events.timeline import TimelineEntry
from lagebild.model import Article

__all__ = ["timeline_view", "highlight_times", "SVG_WIDTH"]

SVG_WIDTH = 960
_LEFT, _RIGHT, _LANES, _LANE_H, _TOP = 30, 30, 4, 16, 14


@dataclass
class Row:
    anchor: str  # the id of the list item
    entry: TimelineEntry
    actor: str  # display names
    target: str


@dataclass
class Mark:
    x: float
    y: float
    label: str
    anchor: str  # the id of the list item


def _fraction(value: str) -> float | None:
    """A date value as a fractional year (the middle of its period)."""
    try:
        year = int(value[:4])
    except ValueError:
        return None
    if len(value) >= 10:
        try:
            day = dt.date.fromisoformat(value[:10]).timetuple().tm_yday
        except ValueError:
            return year + 0.5
        return year + (day - 0.5) / 366
    if len(value) >= 7 and value[5:7].isdigit():
        return year + (int(value[5:7]) - 0.5) / 12
    return year + 0.5


def timeline_view(entries: list[TimelineEntry], names: dict[str, str]) -> dict[str, Any]:
    """What the template needs: list rows and an SVG axis with ticks and one mark per dated entry."""
    rows = [
        Row(f"t-{n}", e, names.get(e.actor or "", e.actor or "—"), names.get(e.target or "", e.target or ""))
        for n, e in enumerate(entries)
    ]
    dated = [(r, f) for r in rows if (f := _fraction(r.entry.time or "")) is not None]
    view: dict[str, Any] = {"rows": rows, "width": SVG_WIDTH, "height": 0, "ticks": [], "marks": []}
    if not dated:
        return view
    lo = int(min(f for _, f in dated))
    hi = int(max(f for _, f in dated)) + 1
    span = max(1, hi - lo)
    inner = SVG_WIDTH - _LEFT - _RIGHT

    def x(f: float) -> float:
        return round(_LEFT + inner * (f - lo) / span, 1)

    step = 1 if span <= 12 else (2 if span <= 24 else (5 if span <= 60 else 10))
    axis_y = _TOP + _LANES * _LANE_H
    view["height"] = axis_y + 24
    view["axis_y"] = axis_y
    view["ticks"] = [
        {"x": x(year), "label": str(year)} for year in range(lo, hi + 1) if (year - lo) % step == 0
    ]
    marks = []
    for n, (row, f) in enumerate(dated):
        e = row.entry
        label = f"{e.time} {e.action}: {row.actor}" + (f" → {row.target}" if row.target else "")
        marks.append(Mark(x(f), _TOP + (n % _LANES) * _LANE_H + 6, label, row.anchor))
    view["marks"] = marks
    return view


def highlight_times(article: Article) -> list[Markup]:
    """The article's paragraphs (as the ``paragraphs`` filter splits them) with every time expression
    wrapped in ``<mark class="timex" title="value">``; all text pieces are escaped."""
    text = article.clean_text or ""
    spans = sorted(
        (t for t in article.time_expressions if 0 <= t.start < t.end <= len(text)), key=lambda t: t.start
    )
    out: list[Markup] = []
    pos = 0
    for para in text.split("\n\n"):
        start, end = pos, pos + len(para)
        pos = end + 2
        if not para.strip():
            continue
        pieces: list[Markup] = []
        cursor = start
        for t in spans:
            if t.start < cursor or t.end > end:
                continue  # outside this paragraph, or overlapping the previous one
            pieces.append(escape(text[cursor : t.start]))
            pieces.append(
                Markup('<mark class="timex" title="{}">{}</mark>').format(
                    f"{t.type} {t.value}", text[t.start : t.end]
                )
            )
            cursor = t.end
        pieces.append(escape(text[cursor:end]))
        out.append(Markup("").join(pieces))
    return out
