"""Normalise matched time expressions to TIMEX3-like values.

Every tagger rule names a ``kind``; :data:`HANDLERS` maps it to a function that reads the rule's named
groups (``y``, ``m``/``mn``, ``d``, ``wd``, ``rel``, ``unit``, ``num`` …) and returns a :class:`Norm`,
or None when the match is not a time expression after all (an invalid date, a number that is no year).

Conventions (those of ``bench/data/timex-gold.jsonl``, which follow HeidelTime's):

* A year-less day or month resolves to the year that puts it nearest to the anchor (document date);
  a candidate against the sentence's tense (in the future of a past-tense sentence, or the reverse)
  counts at double its distance ("back in November" in June is last November).
* A bare weekday resolves to the nearest such day on or before the anchor; when the sentence points
  forward (future auxiliary, "kommenden") to the nearest on or after it. "vergangenen"/"letzten" is
  strictly before, "kommenden"/"nächsten" strictly after. Without a day-precise anchor the week is
  unknown: ``YYYY-WXX-N``.
* "vor zwei Wochen" has week granularity (``YYYY-Www``), "vor zehn Jahren" year granularity; unspecified
  quantities ("vor einigen Jahren") are ``PAST_REF``. Durations give the upper bound of a range with
  ``mod = EQUAL_OR_LESS``. ``PAST_REF``/``FUTURE_REF`` and unspecified quantities are ``vague``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Anchor", "Env", "Lexicon", "Norm", "HANDLERS", "normalize"]

Groups = Mapping[str, str | None]
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_UNIT_ORDER = ["100Y", "10Y", "Y", "M", "W", "D", "H", "MIN"]


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


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _week(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _valid(y: int, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _nearest_year(
    anchor: Anchor, month: int, day: int | None, weekday: int | None = None, future: bool = False
) -> int | None:
    """The year that puts day.month nearest to the anchor; a date against the tense counts double."""
    if anchor.year is None:
        return None
    ref = anchor.date or dt.date(anchor.year, anchor.month or 7, 15 if anchor.month else 1)
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if not _valid(y, month, day):
            continue
        cand = dt.date(y, month, day or 15)
        if weekday is not None and day is not None and cand.weekday() != weekday:
            continue
        dist = abs((cand - ref).days) * (2 if (cand > ref) != future and cand != ref else 1)
        dist += 1 if cand > ref else 0  # ties go to the past
        if best is None or dist < best[0]:
            best = (dist, y)
    if best is None and weekday is not None:
        return _nearest_year(anchor, month, day, None, future)
    return best[1] if best else None


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + n
    return index // 12, index % 12 + 1


def _year(text: str, anchor: Anchor) -> int:
    y = int(text)
    if y < 100:
        century = (anchor.year or 2000) // 100 * 100
        y += century if century + y <= (anchor.year or 2000) + 10 else century - 100
    return y


def _weekday_date(wd: int, anchor: Anchor, direction: int, strict: bool) -> dt.date | None:
    ref = anchor.date
    if ref is None:
        return None
    delta = (wd - ref.weekday()) % 7  # days forward to the next such day (0 = same day)
    if direction >= 0:
        return ref + dt.timedelta(days=delta or (7 if strict else 0))
    back = (ref.weekday() - wd) % 7
    return ref - dt.timedelta(days=back or (7 if strict else 0))


def _date(g: Groups, env: Env) -> Norm | None:
    lex, anchor = env.lexicon, env.anchor
    day: int | None
    if g.get("hol"):
        md = str(lex.get("holiday", g["hol"]))
        month, day = int(md[:2]), int(md[3:])
    else:
        month = lex.months.get((g.get("mn") or "").casefold().rstrip(".")) or int(g.get("m") or 0)
        day = int(g["d"] or 0) if g.get("d") else None
    mod = lex.mod(g.get("mod"))
    if g.get("edge"):  # "Jahresende"
        if anchor.year is None:
            return None
        return Norm("DATE", f"{anchor.year:04d}", anchor.text, str(lex.get("year_edge", g["edge"])))
    if not month:  # "Ende 2005", "Jahr 2014"
        if not g.get("y"):
            return None
        return Norm("DATE", f"{int(g['y'] or 0):04d}", None, mod)
    weekday = lex.weekdays.get((g.get("wd") or "").casefold())
    used: str | None = None
    if g.get("y"):
        year: int | None = _year(g["y"] or "", anchor)
        used = anchor.text if len(g["y"] or "") == 2 else None
    elif g.get("dj"):  # "2. April des Jahres", "… des vergangenen Jahres"
        rel = lex.get("rel", g.get("rel"))
        year = anchor.year + int(rel) if anchor.year is not None and isinstance(rel, int) else anchor.year
        used = anchor.text
    else:
        year = _nearest_year(anchor, month, day, weekday, env.future)
        used = anchor.text
    if year is None or not _valid(year, month, day):
        return None
    value = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return Norm("DATE", value, used, mod)


def _year_only(g: Groups, env: Env) -> Norm | None:
    y = int(g["y"] or 0)
    if env.year_anticues and env.year_anticues.search(env.before):
        return None
    if env.year_follow_anti and env.year_follow_anti.match(env.after):
        return None
    cue = bool(env.year_cues and env.year_cues.search(env.before))
    if not cue and not (env.year_follow and env.year_follow.match(env.after)):
        return None
    if not cue and not 1800 <= y <= (env.anchor.year or 2030) + 30:
        return None
    return Norm("DATE", f"{y:04d}")


def _season(g: Groups, env: Env) -> Norm | None:
    code = str(env.lexicon.get("season", g.get("season")))
    if g.get("y"):
        return Norm("DATE", f"{int(g['y'] or 0):04d}-{code}")
    anchor = env.anchor
    if anchor.year is None:
        return None
    rel = env.lexicon.get("rel", g.get("rel"))
    month = anchor.month or 6
    if rel is None:
        if not g.get("prep"):
            return None
        year = anchor.year
    elif isinstance(rel, int) and rel > 0:
        year = anchor.year + (0 if month < _SEASON_START[code] else 1)
    elif isinstance(rel, int) and rel < 0:
        year = anchor.year - (0 if month >= _SEASON_START[code] + 3 else 1)
    else:
        year = anchor.year
    return Norm("DATE", f"{year:04d}-{code}", anchor.text)


def _decade(g: Groups, env: Env) -> Norm | None:
    if g.get("dd") or g.get("dd2"):
        digits = g.get("dd") or g.get("dd2") or ""
        if len(digits) == 2:
            return Norm("DATE", f"19{digits[0]}", env.anchor.text)
        return Norm("DATE", digits[:3])
    n = env.lexicon.get("decade_word", g.get("dw"))
    return Norm("DATE", f"19{n}", env.anchor.text) if isinstance(n, int) else None


def _weekday(g: Groups, env: Env) -> Norm | None:
    lex, anchor = env.lexicon, env.anchor
    wd = lex.weekdays.get((g.get("wd") or "").casefold())
    if wd is None:
        return None
    mod = lex.mod(g.get("mod"))
    pod = lex.get("pod", g.get("pod"))
    deictic = lex.get("deictic", g.get("deictic"))
    rel = lex.get("rel", g.get("rel"))
    same = lex.get("same", g.get("rel"))
    day: dt.date | None
    used = anchor.text
    if isinstance(deictic, int) and anchor.date:
        day = anchor.date + dt.timedelta(days=deictic)
    elif same is not None:
        prev = env.previous
        base = Anchor.parse(prev.value) if prev else anchor
        day = _weekday_date(wd, base, 1, True) if base.date else None
        used = base.text
        if day is None:
            return Norm("DATE", f"{base.year or anchor.year:04d}-WXX-{wd + 1}", used, mod, True)
    elif isinstance(rel, int) and rel != 0:
        day = _weekday_date(wd, anchor, rel, True)
    else:
        day = _weekday_date(wd, anchor, 1 if env.future else -1, False)
    if day is None:
        if anchor.year is None:
            return Norm("DATE", f"XXXX-WXX-{wd + 1}", None, mod)
        return Norm("DATE", f"{anchor.year:04d}-WXX-{wd + 1}", used, mod)
    if pod:
        return Norm("TIME", f"{_iso(day)}T{pod}", used, mod)
    return Norm("DATE", _iso(day), used, mod)


def _night(g: Groups, env: Env) -> Norm | None:
    if g.get("wd"):
        norm = _weekday(g, env)
        if norm is None or norm.type != "DATE" or len(norm.value) != 10:
            return None
        day = dt.date.fromisoformat(norm.value)
    else:
        offset = env.lexicon.get("deictic", g.get("deictic"))
        if env.anchor.date is None or not isinstance(offset, int):
            return None
        day = env.anchor.date + dt.timedelta(days=offset)
    return Norm("TIME", f"{_iso(day - dt.timedelta(days=1))}TNI", env.anchor.text)


def _pod(g: Groups, env: Env) -> Norm | None:
    code = env.lexicon.get("pod", g.get("podw")) or ("NI" if g.get("podw2") else None)
    a = env.anchor
    base = _iso(a.date) if a.date else "XXXX-XX-XX"
    return Norm("TIME", f"{base}T{code}", a.text, env.lexicon.mod(g.get("mod"))) if code else None


def _deictic(g: Groups, env: Env) -> Norm | None:
    offset = env.lexicon.get("deictic", g.get("deictic"))
    a = env.anchor
    if not isinstance(offset, int) or a.year is None:
        return None
    if a.date is None:
        return Norm("DATE", a.text or "", a.text) if offset == 0 else Norm("DATE", "PAST_REF", a.text)
    return Norm("DATE", _iso(a.date + dt.timedelta(days=offset)), a.text)


def _unit(word: str | None, lex: Lexicon) -> str | None:
    value = lex.get("unit_sg", word) or lex.get("unit_pl", word)
    if value is None and word and word.casefold() in ("wochenende", "weekend"):
        return "WE"
    return str(value) if value else None


def _calendar(unit: str, n: int, base: Anchor, used: str | None, same: bool = False) -> Norm | None:
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
        y, m = _shift_month(base.year, base.month, n)
        return Norm("DATE", f"{y:04d}-{m:02d}", used)
    d = base.date
    if d is None:
        return None
    if unit in ("W", "WE"):
        week = _week(d + dt.timedelta(weeks=n))
        return Norm("DATE", week + ("-WE" if unit == "WE" else ""), used)
    if unit == "D":
        return Norm("DATE", _iso(d + dt.timedelta(days=n)), used)
    return None


def _rel_unit(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("pn"):  # "Vorjahr"
        return _calendar(str(lex.get("prev_noun", g["pn"])), -1, env.anchor, env.anchor.text)
    if g.get("yadj"):  # "diesjährigen"
        step = lex.get("year_adj", g["yadj"])
        return _calendar("Y", int(step) if isinstance(step, int) else 0, env.anchor, env.anchor.text)
    unit = _unit(g.get("unit"), lex)
    if unit is None:
        return None
    rel = lex.get("rel", g.get("rel"))
    if rel is None and g.get("rel"):
        prev = env.previous
        base = Anchor.parse(prev.value) if prev and prev.value[:1].isdigit() else env.anchor
        step = lex.get("same", g.get("rel"))
        return _calendar(unit, int(step) if isinstance(step, int) else 0, base, base.text, True)
    norm = _calendar(unit, int(rel) if isinstance(rel, int) else 0, env.anchor, env.anchor.text)
    mod = lex.mod(g.get("mod"))
    return Norm(norm.type, norm.value, norm.anchor, mod) if norm and mod else norm


def _part_of_year(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    n = lex.get("ordinal", g.get("ord"))
    half = (g.get("part") or "").casefold().startswith(("halb", "jahresh", "half"))
    if not isinstance(n, int) or (half and n > 2):
        return None
    if g.get("y"):
        year, used = int(g["y"] or 0), None
    elif env.anchor.year is not None:
        rel = lex.get("rel", g.get("rel"))
        year, used = env.anchor.year + (rel if isinstance(rel, int) else 0), env.anchor.text
    else:
        return None
    return Norm("DATE", f"{year:04d}-{'H' if half else 'Q'}{n}", used)


def _ago(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    unit = _unit(g.get("unit"), lex)
    n = lex.number(g.get("num"))
    if unit is None:
        return None
    if n is None or g.get("few"):
        return Norm("DATE", "PAST_REF", env.anchor.text, None, True)
    if n != int(n) or unit in ("H", "MIN", "S"):
        return Norm("DATE", "PAST_REF", env.anchor.text, None, True)
    norm = _calendar(unit, -int(n), env.anchor, env.anchor.text)
    if norm is None:
        return Norm("DATE", "PAST_REF", env.anchor.text, None, True)
    return Norm(norm.type, norm.value, norm.anchor, lex.mod(g.get("mod")))


def _later(g: Groups, env: Env) -> Norm | None:
    lex, prev = env.lexicon, env.previous
    word = (g.get("dir") or "").casefold()
    sign = -1 if word in ("zuvor", "vorher", "früher", "earlier", "before") else 1
    unit = _unit(g.get("unit"), lex)
    n = lex.number(g.get("num"))
    base = Anchor.parse(prev.value) if prev and prev.value[:1].isdigit() else None
    if base is None or base.year is None:
        ref = "FUTURE_REF" if sign > 0 else "PAST_REF"
        return Norm("DATE", ref, env.anchor.text, None, True)
    if unit is not None and n is not None and n == int(n):
        norm = _calendar(unit, sign * int(n), base, base.text)
        if norm is not None:
            return norm
    if unit is None or unit in ("Y", "10Y", "100Y"):  # "einige Zeit später", "Jahre später"
        past = env.anchor.year is not None and (base.year or 0) < env.anchor.year
        return Norm("DATE", "PAST_REF" if past or sign < 0 else "FUTURE_REF", base.text, None, True)
    text = base.text or ""
    coarse = text[:7] if unit in ("D", "W", "H", "MIN", "S") and base.month else text[:4]
    return Norm("DATE", coarse, base.text, None, True)


def _duration_value(n: float | None, unit: str) -> str:
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


def _duration(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("adv"):  # "jahrelang"
        return Norm("DURATION", str(lex.get("duration_adverb", g["adv"])), None, None, True)
    word = g.get("unit") or g.get("unit2") or g.get("unit3") or g.get("unit4")
    unit = _unit(word, lex)
    if unit is None:
        return None
    if env.duration_anticues and env.duration_anticues.search(env.before):
        return None
    n = lex.number(g.get("num"))
    n2 = lex.number(g.get("num2"))
    mod = lex.mod(g.get("mod"))
    if n2 is not None:
        n, mod = n2, "EQUAL_OR_LESS"
    vague = n is None
    return Norm("DURATION", _duration_value(n, unit), None, mod, vague)


def _set(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("setw"):
        return Norm("SET", str(lex.get("set_adverb", g["setw"])))
    if g.get("wd"):
        return Norm("SET", f"XXXX-WXX-{lex.weekdays[(g['wd'] or '').casefold()] + 1}")
    unit = _unit(g.get("unit") or g.get("unit2") or g.get("rep"), lex)
    if unit is None:
        return None
    n = lex.number(g.get("num")) or 1.0
    return Norm("SET", _duration_value(n, unit))


def _clock(g: Groups, env: Env) -> Norm | None:
    hh, mm = int(g["hh"] or 0), int(g.get("mm") or 0)
    pod = (g.get("pod") or "").casefold()
    if pod.startswith(("abend", "nachmittag", "p")) and hh < 12:
        hh += 12
    elif pod.startswith("a") and hh == 12:  # 12 a.m.
        hh = 0
    return Norm("TIME", f"XXXX-XX-XXT{hh:02d}:{mm:02d}")


def _ref(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    value = lex.get("ref", g.get("refw")) or lex.get("ref_noun", g.get("refw"))
    if value is None and re.fullmatch(r"(?i)vor\s+kurzem|a\s+while\s+ago", g.get("refw") or ""):
        value = "PAST_REF"
    if value is None:
        return None
    return Norm("DATE", str(value), env.anchor.text, None, value != "PRESENT_REF")


Handler = Callable[[Groups, Env], Norm | None]
HANDLERS: dict[str, Handler] = {
    "date": _date,
    "year": _year_only,
    "season": _season,
    "decade": _decade,
    "weekday": _weekday,
    "night": _night,
    "pod": _pod,
    "deictic": _deictic,
    "rel_unit": _rel_unit,
    "part_of_year": _part_of_year,
    "ago": _ago,
    "later": _later,
    "duration": _duration,
    "set": _set,
    "clock": _clock,
    "ref": _ref,
}


def normalize(kind: str, groups: Groups, env: Env) -> Norm | None:
    """The normalised value of one match, or None if it is not a time expression."""
    return HANDLERS[kind](groups, env)
