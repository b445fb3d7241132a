"""Timeline merging across articles and outlets, ordering by event time, first report date."""

from __future__ import annotations

from lagebild.events import build_timeline, extract_events
from lagebild.events.extract import _default_kb
from lagebild.model import Article, Event
from tests.events.helpers import article

LAVROV, WANG = "lb:lavrov-sergey", "lb:wang-yi"


def with_events(a: Article, *events: Event) -> Article:
    a.events = list(events)
    return a


def test_same_call_from_three_outlets_is_one_entry_with_every_report():
    kb = _default_kb()
    a = with_events(
        article(
            ["Lawrow telefonierte am 4. Februar mit Wang Yi."],
            ident="a",
            outlet="KenFM",
            published="2021-02-14",
        ),
        Event("CONSULT", 0, LAVROV, WANG, "2021-02-04", mode="phone"),
    )
    # the other side named first, and at month precision
    b = with_events(
        article(
            ["Wang Yi und Lawrow sprachen im Februar am Telefon."],
            ident="b",
            outlet="RT",
            published="2021-02-10",
        ),
        Event("CONSULT", 0, WANG, LAVROV, "2021-02", mode="phone"),
    )
    # states instead of persons: Russia and China are the ministers' countries
    c = with_events(
        article(
            ["Russland und China berieten am 4. Februar 2021."],
            ident="c",
            outlet="TASS",
            published="2021-02-05",
        ),
        Event("CONSULT", 0, "Q148", "Q159", "2021-02-04"),
    )
    entries = build_timeline([a, b, c], kb)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.time == "2021-02-04"  # the finer precision wins
    assert (entry.actor, entry.target) == (LAVROV, WANG)
    assert entry.outlets == ["KenFM", "RT", "TASS"]
    assert entry.first_reported == "2021-02-05"
    assert len(entry.evidence) == 3 and entry.articles == ["a", "b", "c"]


def test_direction_matters_for_non_symmetric_actions_and_time_must_agree():
    kb = _default_kb()
    a = with_events(article(["x"], ident="a"), Event("AID", 0, "Q159", "Q148", "2016", mode="military"))
    b = with_events(article(["y"], ident="b"), Event("AID", 0, "Q148", "Q159", "2016", mode="military"))
    c = with_events(article(["z"], ident="c"), Event("AID", 0, "Q159", "Q148", "2017", mode="military"))
    d = with_events(article(["w"], ident="d"), Event("AID", 0, "Q159", "Q148", "2016-05", mode="military"))
    entries = build_timeline([a, b, c, d], kb)
    assert [(e.time, e.actor, e.target, len(e.reports)) for e in entries] == [
        ("2016", "Q148", "Q159", 1),  # a year sorts before its months
        ("2016-05", "Q159", "Q148", 2),
        ("2017", "Q159", "Q148", 1),
    ]


def test_ordered_by_event_time_not_publication_time_undated_last():
    late = with_events(
        article(
            ["Russland verkaufte 2014 S-400 an China."],
            ident="late",
            published="2023-05-01",
            outlet="Foreign Affairs",
        ),
        Event("AID", 0, "Q159", "Q148", "2014", mode="military"),
    )
    early = with_events(
        article(["Putin traf Xi am 15. Juni 2022."], ident="early", published="2022-06-16", outlet="Merkur"),
        Event("CONSULT", 0, "Q7747", "Q15031", "2022-06-15"),
        Event("SUPPORT", 0, "Q15031", "Q159", None),
    )
    entries = build_timeline([early, late], _default_kb())
    assert [(e.time, e.action) for e in entries] == [
        ("2014", "AID"),
        ("2022-06-15", "CONSULT"),
        (None, "SUPPORT"),
    ]
    assert entries[0].first_reported == "2023-05-01" and entries[0].outlets == ["Foreign Affairs"]


def test_undated_events_merge_only_within_the_same_story():
    s1 = article(
        ["China unterstützt Russland.", "Erneut unterstützt China Russland."], ident="s1", title="Story"
    )
    s1.events = [Event("SUPPORT", 0, "Q148", "Q159"), Event("SUPPORT", 1, "Q148", "Q159")]
    repost = with_events(
        article(["China unterstützt Russland."], ident="s2", title="Story"),
        Event("SUPPORT", 0, "Q148", "Q159"),
    )
    other = with_events(
        article(["China unterstützt Russland."], ident="s3", title="Other"),
        Event("SUPPORT", 0, "Q148", "Q159"),
    )
    entries = build_timeline([s1, repost, other], _default_kb())
    assert sorted(len(e.reports) for e in entries) == [1, 3]


def test_timeline_from_extracted_events_keeps_evidence_and_attribution():
    a = article(
        ["Laut TASS telefonierte Putin am 15. Juni 2022 mit Xi Jinping."],
        [("TASS", "MEDIA", "lb:tass"), ("Putin", "PER", "Q7747"), ("Xi Jinping", "PER", "Q15031")],
        [("15. Juni 2022", "2022-06-15")],
        published="2022-06-16",
    )
    a.events = extract_events(a)
    [entry] = build_timeline([a], _default_kb())
    assert (entry.time, entry.action, entry.mode) == ("2022-06-15", "CONSULT", "phone")
    assert entry.reports[0].reported and entry.reports[0].reported_by == "TASS"
    assert entry.evidence == ["Laut TASS telefonierte Putin am 15. Juni 2022 mit Xi Jinping."]
