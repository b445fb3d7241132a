"""Values the temporal normalisers share: anchors, results, word lists, and calendar arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "Anchor",
    "Env",
    "Groups",
    "Lexicon",
    "Norm",
    "calendar_step",
    "duration_value",
    "expand_year",
    "iso_day",
    "iso_week",
    "nearest_year",
    "shift_month",
    "unit_of",
    "valid_date",
    "weekday_date",
]

Groups = Mapping[str, str | None]


@dataclass(frozen=True)
class Anchor:
    """The date relative expressions resolve against, at the precision it is known."""

    text: str | None
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> Anchor:
        if not text:
            return cls(None)
        m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not m:
            return cls(None)
        y, mo, d = (int(g) if g else None for g in m.groups())
        return cls(text[: m.end()], y, mo, d)

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


@dataclass(frozen=True)
class Norm:
    type: str
    value: str
    anchor: str | None = None
    mod: str | None = None
    vague: bool = False


@dataclass
class Lexicon:
    """Word lists of one language: ``words[list][casefolded word] -> value``."""

    words: dict[str, dict[str, object]]
    months: dict[str, int]
    weekdays: dict[str, int]

    def get(self, table: str, word: str | None) -> object | None:
        if word is None:
            return None
        return self.words.get(table, {}).get(" ".join(word.casefold().split()))

    def number(self, word: str | None) -> float | None:
        if word is None:
            return None
        if word.isdigit():
            return float(word)
        value = self.get("number", word)
        return float(value) if isinstance(value, int | float) else None

    def mod(self, word: str | None) -> str | None:
        value = self.get("mod", word) or self.get("edge_days", word)
        return str(value) if value else None


@dataclass
class Env:
    """What a handler may look at besides its groups."""

    lexicon: Lexicon
    anchor: Anchor
    future: bool = False  # the sentence points forward
    previous: Norm | None = None  # the last expression with a calendar value, for anaphora
    before: str = ""  # up to 40 characters before the extent
    after: str = ""  # up to 40 characters after it
    year_cues: re.Pattern[str] | None = None
    year_anticues: re.Pattern[str] | None = None
    year_follow: re.Pattern[str] | None = None
    duration_anticues: re.Pattern[str] | None = None
    year_follow_anti: re.Pattern[str] | None = None


def iso_day(d: dt.date) -> str:
    return d.isoformat()


def iso_week(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def valid_date(y: int, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def nearest_year(
    anchor: Anchor, month: int, day: int | None, weekday: int | None = None, future: bool = False
) -> int | None:
    """The year that puts day.month nearest to the anchor; a date against the tense counts double."""
    if anchor.year is None:
        return None
    ref = anchor.date or dt.date(anchor.year, anchor.month or 7, 15 if anchor.month else 1)
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if not valid_date(y, month, day):
            continue
        cand = dt.date(y, month, day or 15)
        if weekday is not None and day is not None and cand.weekday() != weekday:
            continue
        dist = abs((cand - ref).days) * (2 if (cand > ref) != future and cand != ref else 1)
        dist += 1 if cand > ref else 0  # ties go to the past
        if best is None or dist < best[0]:
            best = (dist, y)
    if best is None and weekday is not None:
        return nearest_year(anchor, month, day, None, future)
    return best[1] if best else None


def shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + n
    return index // 12, index % 12 + 1


def expand_year(text: str, anchor: Anchor) -> int:
    y = int(text)
    if y < 100:
        century = (anchor.year or 2000) // 100 * 100
        y += century if century + y <= (anchor.year or 2000) + 10 else century - 100
    return y


def weekday_date(wd: int, anchor: Anchor, direction: int, strict: bool) -> dt.date | None:
    ref = anchor.date
    if ref is None:
        return None
    delta = (wd - ref.weekday()) % 7  # days forward to the next such day (0 = same day)
    if direction >= 0:
        return ref + dt.timedelta(days=delta or (7 if strict else 0))
    back = (ref.weekday() - wd) % 7
    return ref - dt.timedelta(days=back or (7 if strict else 0))


def unit_of(word: str | None, lex: Lexicon) -> str | None:
    value = lex.get("unit_sg", word) or lex.get("unit_pl", word)
    if value is None and word and word.casefold() in ("wochenende", "weekend"):
        return "WE"
    return str(value) if value else None


def calendar_step(unit: str, n: int, base: Anchor, used: str | None, same: bool = False) -> Norm | None:
    """The calendar unit ``n`` steps from ``base`` ("vergangenen Monat", "vor zehn Jahren")."""
    if base.year is None:
        return None
    if unit == "Y":
        return Norm("DATE", f"{base.year + n:04d}", used)
    if unit == "10Y":
        return Norm("DATE", f"{base.year // 10 + n:03d}", used)
    if unit == "100Y":
        return Norm("DATE", f"{base.year // 100 + n:02d}", used)
    if unit in ("M", "3M") and base.month:
        if unit == "3M":
            q = (base.month - 1) // 3 + n
            return Norm("DATE", f"{base.year + q // 4:04d}-Q{q % 4 + 1}", used)
        y, m = shift_month(base.year, base.month, n)
        return Norm("DATE", f"{y:04d}-{m:02d}", used)
    d = base.date
    if d is None:
        return None
    if unit in ("W", "WE"):
        week = iso_week(d + dt.timedelta(weeks=n))
        return Norm("DATE", week + ("-WE" if unit == "WE" else ""), used)
    if unit == "D":
        return Norm("DATE", iso_day(d + dt.timedelta(days=n)), used)
    return None


def duration_value(n: float | None, unit: str) -> str:
    factor, base = (int(unit[:-1]), unit[-1]) if unit[:-1].isdigit() else (1, unit)
    if base == "N":  # "MIN"
        factor, base = 1, "MIN"
    if n is None:
        return {"H": "PTXH", "MIN": "PTXM", "S": "PTXS"}.get(base, f"PX{base}")
    total = n * factor
    if total != int(total):  # half a year -> months, half a day -> hours
        total, base = {"Y": (total * 12, "M"), "M": (total * 30, "D"), "D": (total * 24, "H")}.get(
            base, (total, base)
        )
    amount = int(total) if total == int(total) else total
    if base in ("H", "MIN", "S"):
        return f"PT{amount}{'M' if base == 'MIN' else base}"
    return f"P{amount}{base}"
