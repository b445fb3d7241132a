"""The report's timeline section and the highlighting of time expressions (P4), without a browser."""

from __future__ import annotations

from html.parser import HTMLParser

from lagebild.model import Event, TimeExpression
from lagebild.report import render_articles
from lagebild.report.timeline import highlight_times
from tests.events.helpers import article

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def render(*articles) -> str:
    stats = {"by_outlet": {}, "by_language": {}, "by_format": {}, "by_month": {}}
    return render_articles(list(articles), stats, [], len(articles))


def corpus():
    late = article(
        ["Russland verkaufte 2014 S-400-Systeme an China."],
        ident="late",
        outlet="Foreign Affairs",
        published="2023-05-01",
    )
    late.events = [Event("AID", 0, "Q159", "Q148", "2014", mode="military")]
    early = article(
        ["Lawrow telefonierte am 4. Februar 2021 mit Wang Yi.", f"Ein Satz mit {HOSTILE} wurde gemeldet."],
        ident="early",
        outlet="KenFM",
        published="2021-02-14",
    )
    early.events = [
        Event(
            "CONSULT",
            0,
            "lb:lavrov-sergey",
            "lb:wang-yi",
            "2021-02-04",
            mode="phone",
            reported=True,
            source="RusStrat",
        ),
        Event("PROTEST", 1, "<b>evil</b>", None, None),
    ]
    return late, early


def test_timeline_section_has_svg_axis_marks_and_an_ordered_list():
    html = render(*corpus())
    assert 'id="timeline"' in html
    found = tags(html)
    svg = [a for t, a in found if t == "svg"]
    assert svg and "timeline" in (svg[0].get("class") or "")
    assert (
        len([a for t, a in found if t == "circle"]) == 2
    )  # the two dated entries; the undated one is listed only
    section = html[html.index('id="timeline"') : html.index('id="contents"')]
    # ordered by event time, not publication time: 2014 (reported 2023) before 2021
    assert section.index("2014") < section.index("2021-02-04") < section.index("undated")
    assert "Sergej Lawrow" in section and "Wang Yi" in section  # names from the knowledge base
    assert "KenFM" in section and "Foreign Affairs" in section and "first reported 2023-05-01" in section
    assert "reported by RusStrat" in section
    assert "Lawrow telefonierte am 4. Februar 2021 mit Wang Yi." in section  # the evidence sentence


def test_hostile_evidence_sentence_and_actor_text_stay_inert():
    html = render(*corpus())
    section = html[html.index('id="timeline"') : html.index('id="contents"')]
    assert "<script>" not in html and "<img" not in html and "<b>evil" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "&lt;b&gt;evil&lt;/b&gt;" in section
    assert not [t for t, _ in tags(html) if t in ("script", "img", "b")]


def test_no_timeline_section_without_events():
    a = article(["Nichts geschah."])
    assert 'id="timeline"' not in render(a)


def test_time_expressions_are_highlighted_with_their_value():
    a = article(["Am 4. Februar 2021 telefonierten sie.", "Heute nicht."], ident="t")
    a.clean_text = a.clean_text.replace(" Heute", "\n\nHeute")
    a.time_expressions = [
        TimeExpression(3, 18, "4. Februar 2021", "DATE", "2021-02-04"),
        TimeExpression(
            a.clean_text.index("Heute"), a.clean_text.index("Heute") + 5, "Heute", "DATE", "2021-02-14"
        ),
    ]
    paragraphs = highlight_times(a)
    assert [str(p) for p in paragraphs] == [
        'Am <mark class="timex" title="DATE 2021-02-04">4. Februar 2021</mark> telefonierten sie.',
        '<mark class="timex" title="DATE 2021-02-14">Heute</mark> nicht.',
    ]
    html = render(a)
    assert html.count('<mark class="timex"') == 2


def test_highlighting_escapes_text_values_and_skips_bad_spans():
    text = f'Vor {HOSTILE} am "Montag" & danach.'
    a = article([text], ident="x")
    start = text.index('"Montag"')
    a.time_expressions = [
        TimeExpression(start, start + 8, '"Montag"', "DATE", '2021"><script>x</script>'),
        TimeExpression(start + 2, start + 6, "onta", "DATE", "overlap"),  # overlaps the previous span
        TimeExpression(500, 510, "out", "DATE", "out of range"),
    ]
    [para] = highlight_times(a)
    html = str(para)
    assert "<script>" not in html and "<img" not in html
    assert html.count("<mark") == 1
    assert 'title="DATE 2021&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "&amp; danach." in html and "&#34;Montag&#34;" in html
    assert [t for t, _ in tags(html)] == ["mark"]
