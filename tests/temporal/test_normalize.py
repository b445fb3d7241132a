"""Normalisation conventions: anchors, year choice, weekdays, durations, decades."""

from __future__ import annotations

import pytest

from lagebild.temporal.normalize import Anchor, Env, normalize
from lagebild.temporal.tagger import load_temporal_rules


def _env(anchor: str | None, future: bool = False) -> Env:
    return Env(lexicon=load_temporal_rules("de").lexicon, anchor=Anchor.parse(anchor), future=future)


def test_anchor_parse_precision():
    assert Anchor.parse("2021-02-14").date is not None
    assert (Anchor.parse("2017-07").year, Anchor.parse("2017-07").month, Anchor.parse("2017-07").day) == (
        2017,
        7,
        None,
    )
    assert Anchor.parse(None).year is None
    assert Anchor.parse("garbage").year is None


@pytest.mark.parametrize(
    ("anchor", "day", "month", "value"),
    [
        ("2008-10-25", "17", "Dezember", "2008-12-17"),  # nearest: later the same year
        ("2021-01-22", "15", "Dezember", "2020-12-15"),  # nearest: the previous year
        ("2012-03-28", "28", "April", "2012-04-28"),
    ],
)
def test_yearless_day_month_takes_the_nearest_year(anchor, day, month, value):
    norm = normalize("date", {"d": day, "mn": month}, _env(anchor))
    assert norm is not None and (norm.value, norm.anchor) == (value, anchor)


def test_weekday_conventions():
    env = _env("2009-01-03")  # a Saturday
    assert normalize("weekday", {"wd": "Freitag"}, env).value == "2009-01-02"  # type: ignore[union-attr]
    assert normalize("weekday", {"wd": "Samstag"}, env).value == "2009-01-03"  # same day
    assert normalize("weekday", {"wd": "Samstag", "rel": "vergangenen"}, env).value == "2008-12-27"
    assert normalize("weekday", {"wd": "Montag", "rel": "kommenden"}, env).value == "2009-01-05"
    future = _env("2008-02-15", future=True)  # a Friday; "am Sonntag wird … erklärt"
    assert normalize("weekday", {"wd": "Sonntag"}, future).value == "2008-02-17"  # type: ignore[union-attr]
    assert normalize("weekday", {"wd": "Freitag"}, _env("2017-07")).value == "2017-WXX-5"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("groups", "value", "mod", "vague"),
    [
        ({"num": "drei", "unit": "Jahre"}, "P3Y", None, False),
        ({"num": "13", "unit": "Jahren", "mod": "fast"}, "P13Y", "LESS_THAN", False),
        ({"num": "ein halbes", "unit": "Jahrhundert", "mod": "mindestens"}, "P50Y", "EQUAL_OR_MORE", False),
        ({"num": "einem", "unit": "Dreivierteljahr"}, "P9M", None, False),
        ({"num": "zwei", "num2": "drei", "unit": "Jahre"}, "P3Y", "EQUAL_OR_LESS", False),
        ({"num": "zwanzig", "unit": "Minuten"}, "PT20M", None, False),
        ({"few": "viele", "unit2": "Jahre"}, "PXY", None, True),
        ({"unit": "Stunden", "few": "wenigen"}, "PTXH", None, True),
    ],
)
def test_durations(groups, value, mod, vague):
    norm = normalize("duration", groups, _env("2021-02-14"))
    assert norm is not None and (norm.type, norm.value, norm.mod, norm.vague) == (
        "DURATION",
        value,
        mod,
        vague,
    )


def test_ago_and_relative_units():
    env = _env("2007-09-20")
    assert normalize("ago", {"num": "zwei", "unit": "Wochen"}, env).value == "2007-W36"  # type: ignore[union-attr]
    assert normalize("ago", {"num": "zehn", "unit": "Jahren"}, env).value == "1997"  # type: ignore[union-attr]
    vague = normalize("ago", {"few": "einigen", "unit": "Jahren"}, env)
    assert vague is not None and (vague.value, vague.vague) == ("PAST_REF", True)
    assert normalize("rel_unit", {"rel": "letzten", "unit": "Monat"}, env).value == "2007-08"  # type: ignore[union-attr]
    assert normalize("rel_unit", {"rel": "dieser", "unit": "Woche"}, env).value == "2007-W38"  # type: ignore[union-attr]


def test_decades_and_seasons():
    env = _env("2022-06")
    assert normalize("decade", {"dd": "1990"}, env).value == "199"  # type: ignore[union-attr]
    assert normalize("decade", {"dw": "siebziger"}, env).value == "197"  # type: ignore[union-attr]
    assert normalize("season", {"rel": "kommenden", "season": "Herbst"}, env).value == "2022-FA"  # type: ignore[union-attr]


def test_refs_are_vague_except_present():
    env = _env("2021-02-14")
    assert normalize("ref", {"refw": "jetzt"}, env).vague is False  # type: ignore[union-attr]
    assert normalize("ref", {"refw": "kürzlich"}, env).vague is True  # type: ignore[union-attr]
    assert normalize("ref", {"refw": "unbekannt"}, env) is None


def test_invalid_dates_are_rejected():
    assert normalize("date", {"d": "31", "m": "02", "y": "2021"}, _env(None)) is None
    assert normalize("date", {"d": "12", "m": "13", "y": "2021"}, _env(None)) is None
