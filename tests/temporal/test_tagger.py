"""The temporal tagger: one case per construction, German and English, and false positives."""

from __future__ import annotations

import pytest

from lagebild.errors import ConfigError
from lagebild.temporal.tagger import load_temporal_rules, tag_times

ANCHOR = "2021-02-16"  # a Tuesday

# (text, extent, type, value, mod, vague)
GERMAN = [
    ("Das Treffen war am 14. Februar 2021.", "14. Februar 2021", "DATE", "2021-02-14", None, False),
    ("Das Treffen war am 14.02.2021.", "14.02.2021", "DATE", "2021-02-14", None, False),
    ("Es kam im März zur Einigung.", "März", "DATE", "2021-03", None, False),
    ("Der Vertrag wurde im Mai 2019 unterzeichnet.", "Mai 2019", "DATE", "2019-05", None, False),
    ("Die Sanktionen gelten seit 2014.", "2014", "DATE", "2014", None, False),
    (
        "Am Mittwoch (10. Februar) telefonierten sie.",
        "Mittwoch (10. Februar)",
        "DATE",
        "2021-02-10",
        None,
        False,
    ),
    ("Am Montag trafen sie sich.", "Montag", "DATE", "2021-02-15", None, False),
    ("Am Freitag wird er reisen.", "Freitag", "DATE", "2021-02-19", None, False),
    ("Gestern sprach er.", "Gestern", "DATE", "2021-02-15", None, False),
    ("Heute sprach er.", "Heute", "DATE", "2021-02-16", None, False),
    ("Im vorigen Jahr stieg der Handel.", "vorigen Jahr", "DATE", "2020", None, False),
    ("Im vergangenen Jahr stieg der Handel.", "vergangenen Jahr", "DATE", "2020", None, False),
    ("Das war vor zehn Jahren.", "vor zehn Jahren", "DATE", "2011", None, False),
    ("Im vergangenen Monat kam es zum Streit.", "vergangenen Monat", "DATE", "2021-01", None, False),
    ("Nächste Woche beginnt das Manöver.", "Nächste Woche", "DATE", "2021-W08", None, False),
    (
        "Dies soll spätestens im Jahr 2022 geschehen.",
        "spätestens im Jahr 2022",
        "DATE",
        "2022",
        "ON_OR_BEFORE",
        False,
    ),
    ("Anfang 2022 sollen die Lieferungen beginnen.", "Anfang 2022", "DATE", "2022", "START", False),
    ("Mitte Mai kam es zu Unruhen.", "Mitte Mai", "DATE", "2021-05", "MID", False),
    ("Ende 2005 endete die Frist.", "Ende 2005", "DATE", "2005", "END", False),
    ("In den 1990er Jahren war das anders.", "1990er Jahren", "DATE", "199", None, False),
    ("In den siebziger Jahren war das anders.", "siebziger Jahren", "DATE", "197", None, False),
    ("Er hat kürzlich gesagt, dass es so sei.", "kürzlich", "DATE", "PAST_REF", None, True),
    ("Die Lage wird sich bald ändern.", "bald", "DATE", "FUTURE_REF", None, True),
    (
        "Das wird in absehbarer Zukunft nicht geschehen.",
        "absehbarer Zukunft",
        "DATE",
        "FUTURE_REF",
        None,
        True,
    ),
    ("Er hat jüngst Kritik geübt.", "jüngst", "DATE", "PAST_REF", None, True),
    ("Derzeit ist das unklar.", "Derzeit", "DATE", "PRESENT_REF", None, False),
    ("Sie verhandelten drei Jahre lang.", "drei Jahre lang", "DURATION", "P3Y", None, False),
    ("Er sitzt seit zwei Wochen in Haft.", "zwei Wochen", "DURATION", "P2W", None, False),
    ("Der Konflikt dauert seit Jahren an.", "Jahren", "DURATION", "PXY", None, True),
    (
        "Das dauert drei bis fünf Stunden.",
        "drei bis fünf Stunden",
        "DURATION",
        "PT5H",
        "EQUAL_OR_LESS",
        False,
    ),
    ("Der Bericht erscheint jährlich.", "jährlich", "SET", "P1Y", None, False),
    ("Sie treffen sich jeden Montag.", "jeden Montag", "SET", "XXXX-WXX-1", None, False),
    ("Es kostet 60 Millionen pro Monat.", "pro Monat", "SET", "P1M", None, False),
    ("Das Treffen beginnt um 14 Uhr.", "14 Uhr", "TIME", "XXXX-XX-XXT14:00", None, False),
    ("Der Newsletter kommt um 7:30 Uhr.", "7:30 Uhr", "TIME", "XXXX-XX-XXT07:30", None, False),
    ("Am Samstagabend griffen sie an.", "Samstagabend", "TIME", "2021-02-13TEV", None, False),
    ("Das geschah in der Nacht zum Samstag.", "Nacht zum Samstag", "TIME", "2021-02-12TNI", None, False),
    ("Im kommenden Herbst wird gewählt.", "kommenden Herbst", "DATE", "2021-FA", None, False),
    ("Das geschah in dieser Woche.", "dieser Woche", "DATE", "2021-W07", None, False),
    ("Die Zahl stieg im ersten Quartal 2020.", "ersten Quartal 2020", "DATE", "2020-Q1", None, False),
    ("Kurz vor Weihnachten kam es zum Streit.", "Weihnachten", "DATE", "2020-12-25", None, False),
    ("Seit vergangenem Jahr ermittelt sie.", "vergangenem Jahr", "DATE", "2020", None, False),
    ("Der Gewinn stieg gegenüber dem Vorjahr.", "Vorjahr", "DATE", "2020", None, False),
    ("Er wurde zu Beginn der Woche verhaftet.", "Beginn der Woche", "DATE", "2021-W07", "START", False),
    ("Der Angriff dauerte zehn Sekunden.", "zehn Sekunden", "DURATION", "PT10S", None, False),
    ("In drei Jahren soll die Pipeline fertig sein.", "In drei Jahren", "DATE", "2024", None, False),
    ("Bei der diesjährigen Wahl siegte er.", "diesjährigen", "DATE", "2021", None, False),
    ("Die heutige Ziehung ergab das.", "heutige", "DATE", "2021-02-16", None, False),
]

ENGLISH = [
    ("The talks were held on February 14, 2021.", "February 14, 2021", "DATE", "2021-02-14", None, False),
    ("The talks were held on Feb. 14, 2021.", "Feb. 14, 2021", "DATE", "2021-02-14", None, False),
    ("The talks were held on 14 February 2021.", "14 February 2021", "DATE", "2021-02-14", None, False),
    ("The deal was signed in March 2019.", "March 2019", "DATE", "2019-03", None, False),
    ("Sanctions have applied since 2014.", "2014", "DATE", "2014", None, False),
    ("Trade grew last year.", "last year", "DATE", "2020", None, False),
    ("That happened two weeks ago.", "two weeks ago", "DATE", "2021-W05", None, False),
    ("That happened ten years ago.", "ten years ago", "DATE", "2011", None, False),
    ("They met on Monday.", "Monday", "DATE", "2021-02-15", None, False),
    ("They will meet on Friday.", "Friday", "DATE", "2021-02-19", None, False),
    ("Things were different in the 1990s.", "1990s", "DATE", "199", None, False),
    ("Deliveries start in early 2022.", "early 2022", "DATE", "2022", "START", False),
    ("He said so yesterday.", "yesterday", "DATE", "2021-02-15", None, False),
    ("The minister recently said so.", "recently", "DATE", "PAST_REF", None, True),
    ("Talks will resume soon.", "soon", "DATE", "FUTURE_REF", None, True),
    ("Talks resume next week.", "next week", "DATE", "2021-W08", None, False),
    ("The pipeline will be ready in two years.", "in two years", "DATE", "2023", None, False),
    ("The talks lasted three years.", "three years", "DURATION", "P3Y", None, False),
    ("The report is published annually.", "annually", "SET", "P1Y", None, False),
    ("They meet every Monday.", "every Monday", "SET", "XXXX-WXX-1", None, False),
    ("The call came at 2 pm.", "2 pm", "TIME", "XXXX-XX-XXT14:00", None, False),
    ("This must happen by 2022 at the latest.", "2022 at the latest", "DATE", "2022", "ON_OR_BEFORE", False),
]


def _one(text: str, language: str) -> tuple[str, str, str, str | None, bool]:
    found = tag_times(text, language, ANCHOR)
    assert len(found) == 1, [(e.text, e.value) for e in found]
    e = found[0]
    assert text[e.start : e.end] == e.text
    return e.text, e.type, e.value, e.mod, e.vague


@pytest.mark.parametrize(("text", "extent", "type_", "value", "mod", "vague"), GERMAN)
def test_german_constructions(text, extent, type_, value, mod, vague):
    assert _one(text, "de") == (extent, type_, value, mod, vague)


@pytest.mark.parametrize(("text", "extent", "type_", "value", "mod", "vague"), ENGLISH)
def test_english_constructions(text, extent, type_, value, mod, vague):
    assert _one(text, "en") == (extent, type_, value, mod, vague)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("So sehen es die meisten, mit Recht.", "de"),  # "So" (Sonntag), "die", "mit"
        ("China, das Reich der Mitte, wächst.", "de"),
        ("Mehr als 2014 Menschen flohen.", "de"),
        ("Es kamen 2000 Soldaten.", "de"),
        ("Die Resolution 1701 gilt weiter.", "de"),
        ("Die Truppe wächst von 2000 auf rund 15.000 Soldaten.", "de"),
        ("Jugendliche zwischen 13 und 15 Jahren sind betroffen.", "de"),
        ("Der 63-Jährige schwieg.", "de"),
        ("Der 18 Jahre alte Beamte starb.", "de"),
        ("Es gab mehrere tagelangen Proteste, die baldigen Wahlen und derzeitigen Probleme.", "de"),
        ("Nun ist es so weit, dann kommt es, immer wieder.", "de"),
        ("May I ask a question? The army will march on.", "en"),
        ("Some 2014 people fled.", "en"),
        ("He is 45 years old.", "en"),
        ("The Mail on Sunday and The Sunday Times reported it.", "en"),
        ("A man in his 20s won a second bout.", "en"),
    ],
)
def test_no_false_positives(text, language):
    assert [(e.text, e.value) for e in tag_times(text, language, ANCHOR)] == []


def test_offsets_sentence_index_and_anchor():
    text = "Das war gestern. Am 4. Februar 2021 telefonierten sie."
    found = tag_times(text, "de", ANCHOR)
    assert [(e.text, e.sentence, e.anchor) for e in found] == [
        ("gestern", 0, ANCHOR),
        ("4. Februar 2021", 1, None),
    ]


def test_clock_range_is_split():
    found = tag_times("Geöffnet ist von 6:00 bis 20:00 Uhr.", "de", ANCHOR)
    assert [(e.text, e.value) for e in found] == [
        ("6:00", "XXXX-XX-XXT06:00"),
        ("20:00 Uhr", "XXXX-XX-XXT20:00"),
    ]


def test_day_range_and_year_range_are_split():
    found = tag_times("Am 24. und 25. September tagten sie, von 1992 bis 1995.", "de", ANCHOR)
    assert [e.value for e in found] == ["2020-09-24", "2020-09-25", "1992", "1995"]  # nearest September


def test_anaphoric_expressions_use_the_previous_date():
    found = tag_times("Im Jahr 1994 begann es. Im gleichen Jahr endete es.", "de", ANCHOR)
    assert [(e.value, e.anchor) for e in found] == [("1994", None), ("1994", "1994")]
    found = tag_times("Am Sonntag (25. März 2012) siegte er. Einen Tag später reiste er ab.", "de", ANCHOR)
    assert [e.value for e in found] == ["2012-03-25", "2012-03-26"]


def test_anchor_with_month_precision_leaves_the_week_open():
    found = tag_times("Am Freitag sagte er es.", "de", "2017-07")
    assert [(e.value, e.anchor) for e in found] == [("2017-WXX-5", "2017-07")]


def test_without_anchor_only_absolute_expressions_resolve():
    found = tag_times("Gestern, am 4. Februar 2021, seit 2016.", "de", None)
    assert [e.value for e in found] == ["2021-02-04", "2016"]


def test_unknown_language_uses_english_rules_and_bad_language_raises():
    assert [e.value for e in tag_times("on 14 February 2021", "fr", ANCHOR)] == ["2021-02-14"]
    with pytest.raises(ConfigError):
        load_temporal_rules("xx")
