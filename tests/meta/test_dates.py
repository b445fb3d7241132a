import datetime as dt

import pytest

from lagebild.meta.dates import find_weekday_date, infer_year, parse_date
from lagebild.rules import load_rules

DE = load_rules("de")
EN = load_rules("en")


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("14. Februar 2021", "2021-02-14", "day"),
        ("14.02.2021", "2021-02-14", "day"),
        ("21.03.2023, 14:05 Uhr", "2023-03-21", "day"),
        ("10 März 2023 15:42 Uhr", "2023-03-10", "day"),
        ("3. Jänner 2020", "2020-01-03", "day"),
        ("2017-07", "2017-07", "month"),
        ("2022-06-16T09:30:00+02:00", "2022-06-16", "day"),
        ("im März 2022", "2022-03", "month"),
        ("2014", "2014", "year"),
        ("31.02.2021", None, None),
    ],
)
def test_german_forms(text, value, precision):
    parsed = parse_date(text, DE)
    assert (parsed.value, parsed.precision) if parsed else (value, precision) == (None, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Feb. 14, 2021", "2021-02-14"),
        ("March 3, 2023", "2023-03-03"),
        ("14 February 2021", "2021-02-14"),
        ("April 12th, 2023", "2023-04-12"),
    ],
)
def test_english_forms(text, value):
    assert parse_date(text, EN).value == value


def test_infer_year():
    ref = dt.date(2026, 11, 23)
    assert infer_year(6, 15, 2, ref, None) == 2022  # the latest Wednesday 15 June before the reference
    assert infer_year(6, 15, 2, ref, 2012) == 2016
    assert infer_year(2, 30, 0, ref, None) is None


def test_weekday_forms():
    ref = dt.date(2026, 11, 23)
    found, note = find_weekday_date("Xi betonte am Mittwoch (15. Juni), dass", DE, ref)
    assert (found.value, found.text) == ("2022-06-15", "am Mittwoch (15. Juni)")
    found, _ = find_weekday_date("Putin said on Wednesday, June 15, that", EN, ref)
    assert found.value == "2022-06-15"
    assert (
        find_weekday_date("am Mittwoch (15. Juni 2022)", DE, ref) is None
    )  # has a year: not this rule's job
