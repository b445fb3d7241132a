"""Parse the date forms found in bylines and notes, in German and English.

Month and weekday names come from the rule files, so a new language needs data, not code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lagebild.rules import RuleSet

__all__ = ["ParsedDate", "parse_date", "find_weekday_date", "infer_year"]


@dataclass(frozen=True)
class ParsedDate:
    value: str
    precision: str  # year, month, day
    text: str


def _valid(year: int, month: int, day: int | None) -> bool:
    if not (1800 <= year <= 2100 and 1 <= month <= 12):
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 50 else 1900) if year < 100 else year


def _month_alt(rules: RuleSet) -> str:
    names = sorted(rules.months, key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


def parse_date(text: str, rules: RuleSet) -> ParsedDate | None:
    """The first date in ``text`` with its precision, or None."""
    months = _month_alt(rules)
    patterns: list[tuple[str, str]] = [
        (r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)", "day"),
        (r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})\b", "day"),
        (rf"\b(?P<d>\d{{1,2}})\.?\s+(?P<mn>{months})\.?\s+(?P<y>\d{{4}})\b", "day"),
        (rf"\b(?P<mn>{months})\.?\s+(?P<d>\d{{1,2}})(st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", "day"),
        (r"\b(?P<y>\d{4})-(?P<m>\d{1,2})(?![\d-])", "month"),
        (rf"\b(?P<mn>{months})\.?\s+(?P<y>\d{{4}})\b", "month"),
        (r"\b(?P<y>(18|19|20)\d{2})\b", "year"),
    ]
    best: tuple[int, ParsedDate] | None = None
    for pattern, precision in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            parts = match.groupdict()
            year = _year(parts["y"])
            month = rules.months[parts["mn"].casefold()] if parts.get("mn") else int(parts.get("m") or 1)
            day = int(parts["d"]) if parts.get("d") else None
            if not _valid(year, month, day):
                continue
            if precision == "day":
                value = f"{year:04d}-{month:02d}-{day:02d}"
            elif precision == "month":
                value = f"{year:04d}-{month:02d}"
            else:
                value = f"{year:04d}"
            found = ParsedDate(value, precision, match.group())
            # Earliest match wins; at one position the most precise pattern (listed first) wins.
            if best is None or match.start() < best[0]:
                best = (match.start(), found)
            break
    return best[1] if best else None


def infer_year(month: int, day: int, weekday: int, reference: dt.date, min_year: int | None) -> int | None:
    """The year in which day.month falls on ``weekday``: the earliest not before ``min_year`` (the
    latest year the text mentions), else the latest not after the reference date."""
    candidates = [
        y
        for y in range(reference.year - 40, reference.year + 1)
        if _valid(y, month, day)
        and dt.date(y, month, day).weekday() == weekday
        and dt.date(y, month, day) <= reference
    ]
    if not candidates:
        return None
    if min_year is not None:
        later = [y for y in candidates if y >= min_year]
        if later:
            return later[0]
    return candidates[-1]


def find_weekday_date(text: str, rules: RuleSet, reference: dt.date) -> tuple[ParsedDate, str] | None:
    """A weekday with day and month but no year ("am Mittwoch (15. Juni)"), year inferred."""
    if not rules.weekdays:
        return None
    weekdays = "|".join(sorted(rules.weekdays, key=len, reverse=True))
    months = _month_alt(rules)
    pattern = (
        rf"\b(?:am\s+|on\s+)?(?P<wd>{weekdays}),?\s*\(?\s*(?:(?P<d>\d{{1,2}})\.?\s+(?P<mn>{months})\b"
        rf"|(?P<mn2>{months})\b\.?\s+(?P<d2>\d{{1,2}}))\.?\s*\)?(?!\s*\d{{4}})"
    )
    match = re.search(pattern, text, re.IGNORECASE)
    if match is None:
        return None
    day = int(match.group("d") or match.group("d2"))
    month = rules.months[(match.group("mn") or match.group("mn2")).casefold()]
    weekday = rules.weekdays[match.group("wd").casefold()]
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)]
    year = infer_year(month, day, weekday, reference, max(years) if years else None)
    if year is None:
        return None
    note = "year inferred from the weekday" + (
        f" and the latest year named in the text ({max(years)})" if years else ""
    )
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", "day", match.group().strip()), note
