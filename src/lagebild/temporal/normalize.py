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
from collections.abc import Callable

from lagebild.temporal.values import (
    Anchor,
    Env,
    Groups,
    Lexicon,
    Norm,
    calendar_step,
    duration_value,
    expand_year,
    iso_day,
    nearest_year,
    unit_of,
    valid_date,
    weekday_date,
)

__all__ = ["Anchor", "Env", "Lexicon", "Norm", "HANDLERS", "normalize"]

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


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
        year: int | None = expand_year(g["y"] or "", anchor)
        used = anchor.text if len(g["y"] or "") == 2 else None
    elif g.get("dj"):  # "2. April des Jahres", "… des vergangenen Jahres"
        rel = lex.get("rel", g.get("rel"))
        year = anchor.year + int(rel) if anchor.year is not None and isinstance(rel, int) else anchor.year
        used = anchor.text
    else:
        year = nearest_year(anchor, month, day, weekday, env.future)
        used = anchor.text
    if year is None or not valid_date(year, month, day):
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
        day = weekday_date(wd, base, 1, True) if base.date else None
        used = base.text
        if day is None:
            return Norm("DATE", f"{base.year or anchor.year:04d}-WXX-{wd + 1}", used, mod, True)
    elif isinstance(rel, int) and rel != 0:
        day = weekday_date(wd, anchor, rel, True)
    else:
        day = weekday_date(wd, anchor, 1 if env.future else -1, False)
    if day is None:
        if anchor.year is None:
            return Norm("DATE", f"XXXX-WXX-{wd + 1}", None, mod)
        return Norm("DATE", f"{anchor.year:04d}-WXX-{wd + 1}", used, mod)
    if pod:
        return Norm("TIME", f"{iso_day(day)}T{pod}", used, mod)
    return Norm("DATE", iso_day(day), used, mod)


_FULL_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _night(g: Groups, env: Env) -> Norm | None:
    if g.get("wd"):
        norm = _weekday(g, env)
        # Only a full day: "2019-WXX-6" (a weekday in a year-only frame) is ten characters too.
        if norm is None or norm.type != "DATE" or not _FULL_DAY.fullmatch(norm.value):
            return None
        day = dt.date.fromisoformat(norm.value)
    else:
        offset = env.lexicon.get("deictic", g.get("deictic"))
        if env.anchor.date is None or not isinstance(offset, int):
            return None
        day = env.anchor.date + dt.timedelta(days=offset)
    return Norm("TIME", f"{iso_day(day - dt.timedelta(days=1))}TNI", env.anchor.text)


def _pod(g: Groups, env: Env) -> Norm | None:
    code = env.lexicon.get("pod", g.get("podw")) or ("NI" if g.get("podw2") else None)
    a = env.anchor
    base = iso_day(a.date) if a.date else "XXXX-XX-XX"
    return Norm("TIME", f"{base}T{code}", a.text, env.lexicon.mod(g.get("mod"))) if code else None


def _deictic(g: Groups, env: Env) -> Norm | None:
    offset = env.lexicon.get("deictic", g.get("deictic"))
    a = env.anchor
    if not isinstance(offset, int) or a.year is None:
        return None
    if a.date is None:
        return Norm("DATE", a.text or "", a.text) if offset == 0 else Norm("DATE", "PAST_REF", a.text)
    return Norm("DATE", iso_day(a.date + dt.timedelta(days=offset)), a.text)


def _rel_unit(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("pn"):  # "Vorjahr"
        return calendar_step(str(lex.get("prev_noun", g["pn"])), -1, env.anchor, env.anchor.text)
    if g.get("yadj"):  # "diesjährigen"
        step = lex.get("year_adj", g["yadj"])
        return calendar_step("Y", int(step) if isinstance(step, int) else 0, env.anchor, env.anchor.text)
    unit = unit_of(g.get("unit"), lex)
    if unit is None:
        return None
    rel = lex.get("rel", g.get("rel"))
    if rel is None and g.get("rel"):
        prev = env.previous
        base = Anchor.parse(prev.value) if prev and prev.value[:1].isdigit() else env.anchor
        step = lex.get("same", g.get("rel"))
        return calendar_step(unit, int(step) if isinstance(step, int) else 0, base, base.text, True)
    norm = calendar_step(unit, int(rel) if isinstance(rel, int) else 0, env.anchor, env.anchor.text)
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
    """ "vor zehn Jahren" (a point back from the anchor) and, with group ``ahead``, "in drei Jahren"."""
    lex = env.lexicon
    unit = unit_of(g.get("unit"), lex)
    n = lex.number(g.get("num"))
    if unit is None:
        return None
    sign = 1 if g.get("ahead") else -1
    ref = Norm("DATE", "FUTURE_REF" if sign > 0 else "PAST_REF", env.anchor.text, None, True)
    if n is None or g.get("few") or n != int(n) or unit in ("H", "MIN", "S"):
        return ref
    norm = calendar_step(unit, sign * int(n), env.anchor, env.anchor.text)
    if norm is None:
        return ref
    return Norm(norm.type, norm.value, norm.anchor, lex.mod(g.get("mod")))


def _later(g: Groups, env: Env) -> Norm | None:
    lex, prev = env.lexicon, env.previous
    word = (g.get("dir") or "").casefold()
    sign = -1 if word in ("zuvor", "vorher", "früher", "earlier", "before") else 1
    unit = unit_of(g.get("unit"), lex)
    n = lex.number(g.get("num"))
    base = Anchor.parse(prev.value) if prev and prev.value[:1].isdigit() else None
    if base is None or base.year is None:
        ref = "FUTURE_REF" if sign > 0 else "PAST_REF"
        return Norm("DATE", ref, env.anchor.text, None, True)
    if unit is not None and n is not None and n == int(n):
        norm = calendar_step(unit, sign * int(n), base, base.text)
        if norm is not None:
            return norm
    if unit is None or unit in ("Y", "10Y", "100Y"):  # "einige Zeit später", "Jahre später"
        past = env.anchor.year is not None and (base.year or 0) < env.anchor.year
        return Norm("DATE", "PAST_REF" if past or sign < 0 else "FUTURE_REF", base.text, None, True)
    text = base.text or ""
    coarse = text[:7] if unit in ("D", "W", "H", "MIN", "S") and base.month else text[:4]
    return Norm("DATE", coarse, base.text, None, True)


def _duration(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("adv"):  # "jahrelang"
        return Norm("DURATION", str(lex.get("duration_adverb", g["adv"])), None, None, True)
    word = g.get("unit") or g.get("unit2") or g.get("unit3") or g.get("unit4")
    unit = unit_of(word, lex)
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
    return Norm("DURATION", duration_value(n, unit), None, mod, vague)


def _set(g: Groups, env: Env) -> Norm | None:
    lex = env.lexicon
    if g.get("setw"):
        return Norm("SET", str(lex.get("set_adverb", g["setw"])))
    if g.get("wd"):
        return Norm("SET", f"XXXX-WXX-{lex.weekdays[(g['wd'] or '').casefold()] + 1}")
    unit = unit_of(g.get("unit") or g.get("unit2") or g.get("rep"), lex)
    if unit is None:
        return None
    n = lex.number(g.get("num")) or 1.0
    return Norm("SET", duration_value(n, unit))


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
