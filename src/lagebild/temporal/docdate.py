"""Infer a document's date from its text when the metadata gives none.

Evidence, strongest first (the first kind found decides; within a kind the latest date wins):

1. a deictic word and an explicit date that name the same day ("am gestrigen Montag, dem 21. Juli
   2008" -> 2008-07-22; "heute, am 3. Mai 2019" -> 2019-05-03), confidence 0.9;
2. a weekday agreeing with a day and month ("am Mittwoch (15. Juni)": the year in which 15 June is
   a Wednesday, not after the reference date), the document is from that day or later, 0.7;
3. a relative expression next to an explicit date (within 40 characters: "im vergangenen Monat, am
   4. Februar 2021, …" -> 2021-03; "vor zwei Jahren, 2014," -> 2016), 0.6;
4. the latest explicit date in a sentence that does not point forward ("the Lavrov–Wang Yi call
   of 4 February 2021" -> on or after 2021-02-04), at that date's precision, 0.4.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence

from lagebild.meta.dates import find_weekday_date
from lagebild.model import DateInfo, Sentence, TimeExpression
from lagebild.rules import load_rules
from lagebild.temporal.tagger import LANGUAGES, load_temporal_rules, sentence_bounds, sentence_of, tag_times

__all__ = ["infer_document_date"]

_FULL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_PRECISION = {4: "year", 7: "month", 10: "day"}


def _shift(value: str, unit: str, n: int) -> str | None:
    """``value`` moved by ``n`` units (the inverse of resolving a relative expression)."""
    if unit == "D" and len(value) == 10:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=n)).isoformat()
    if unit == "M" and len(value) >= 7:
        index = int(value[:4]) * 12 + int(value[5:7]) - 1 + n
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if unit == "Y":
        return f"{int(value[:4]) + n:04d}"
    return None


def _relative_offset(expr: TimeExpression, probe: str) -> tuple[str, int] | None:
    """How far ``expr`` lies from the document date, learnt by tagging it against a probe anchor."""
    if expr.anchor is None or not expr.value[:1].isdigit():
        return None
    value = expr.value
    if len(value) == 10 and len(probe) == 10:
        return "D", (dt.date.fromisoformat(value) - dt.date.fromisoformat(probe)).days
    if len(value) == 7 and re.match(r"^\d{4}-\d{2}$", value):
        return "M", (int(value[:4]) * 12 + int(value[5:7])) - (int(probe[:4]) * 12 + int(probe[5:7]))
    if len(value) == 4:
        return "Y", int(value) - int(probe[:4])
    return None


def _latest(values: list[tuple[str, str]]) -> tuple[str, str] | None:
    return max(values, key=lambda v: (v[0] + "-99-99")[:10]) if values else None


def infer_document_date(
    text: str,
    language: str,
    reference: dt.date,
    sentences: Sequence[Sentence] | None = None,
) -> DateInfo | None:
    """The document date the text implies, or None when it names no usable date."""
    lang = language if language in LANGUAGES else "en"
    probe = reference.isoformat()
    exprs = tag_times(text, lang, probe, sentences)
    by_sentence: dict[int | None, list[TimeExpression]] = {}
    for e in exprs:
        by_sentence.setdefault(e.sentence, []).append(e)
    rules = load_temporal_rules(lang)
    bounds = sentence_bounds(text, sentences)
    days = rules.lexicon.words.get("deictic", {})
    deictic: list[tuple[str, str]] = []
    relative: list[tuple[str, str]] = []
    explicit: list[tuple[str, str]] = []
    future: dict[int, bool] = {}  # per sentence, searched once
    for group in by_sentence.values():
        absolute = [
            e
            for e in group
            if e.type == "DATE"
            and e.anchor is None
            and e.value[:1].isdigit()
            and e.value <= probe
            and e.mod in (None, "START", "MID", "END")
        ]
        for a in absolute:  # "gestrigen Montag, dem 21. Juli 2008": one span, deictic first
            first = days.get(a.text.split()[0].casefold()) if a.text.split() else None
            if isinstance(first, int) and len(a.value) == 10:
                deictic.append((_shift(a.value, "D", -first) or a.value, a.text))
        # Expressions are in text order; only dates within 40 characters of ``e`` can pair with it, so
        # they are looked up by position rather than all tried (a sentence may hold thousands).
        starts = [a.start for a in absolute]
        longest = max((a.end - a.start for a in absolute), default=0)
        for e in group:
            offset = _relative_offset(e, probe)
            word = days.get(e.text.casefold())
            if offset is None or e.mod:
                continue
            unit, n = offset
            lo = bisect.bisect_left(starts, e.start - 40 - longest)
            hi = bisect.bisect_right(starts, e.end + 40)
            for a in absolute[lo:hi]:
                if isinstance(word, int) and len(a.value) == 10 and abs(a.start - e.end) < 25:
                    deictic.append((_shift(a.value, "D", -n) or a.value, f"{e.text} … {a.text}"))
                elif (
                    unit in ("M", "Y")
                    and word is None
                    and a.mod is None
                    and len(a.value) >= {"M": 7, "Y": 4}[unit]
                    and min(abs(a.start - e.end), abs(e.start - a.end)) < 40
                ):
                    doc = _shift(a.value[: {"M": 7, "Y": 4}[unit]], unit, -n)
                    if doc is not None:
                        relative.append((doc, f"{e.text} … {a.text}"))
        for a in absolute:
            index = sentence_of(bounds, a.start)
            if index not in future:
                start, end = bounds[index]
                future[index] = bool(rules.future.search(text[start:end]))
            if not future[index]:
                explicit.append((a.value, a.text))
    if found := _latest(deictic):
        return _info(found, 0.9, "a deictic word and an explicit date in the same sentence")
    weekday = find_weekday_date(text, load_rules(lang), reference)
    if weekday is not None:
        parsed, note = weekday
        return DateInfo(parsed.value, "day", parsed.text, "inferred", 0.7, f"on or after: {note}")
    if found := _latest(relative):
        return _info(found, 0.6, "a relative expression next to an explicit date")
    if found := _latest(explicit):
        return _info(found, 0.4, "on or after the latest explicit date the text refers to")
    return None


def _info(found: tuple[str, str], confidence: float, note: str) -> DateInfo:
    value, evidence = found
    if not _FULL.match(value):
        # A season, quarter or week ("1994-SU", "2021-Q3", "2019-W12") is not a publication date
        # the schema takes: its year is what the text supports.
        value = value[:4]
    precision = _PRECISION.get(len(value), "year")
    return DateInfo(value, precision, evidence, "inferred", confidence, note)  # type: ignore[arg-type]
