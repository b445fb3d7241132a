"""The report's provenance graph, stories and outlet profiles (P5), without a browser; hostile text stays inert."""

from __future__ import annotations

from lagebild.model import Provenance, Quote
from lagebild.outlets import ReliabilityLabel, load_outlets
from lagebild.report import render_articles
from lagebild.report.provenance import COLOURS, evidence_text
from lagebild.store import Edge, Story
from tests.events.helpers import article
from tests.report.test_report_timeline import HOSTILE, tags

QUOTE = "„Wir werden die Zusammenarbeit in allen Bereichen weiter vertiefen und ausbauen“"


def corpus():
    orig = article(
        [f"Moskau und Peking vertiefen ihre Zusammenarbeit, sagte Lawrow {QUOTE}."],
        [("Moskau", "LOC", "Q649"), ("Peking", "LOC", "Q956")],
        ident="orig",
        outlet="RT DE",
        published="2021-02-10",
        title="Moskau und Peking rücken zusammen",
    )
    copy = article(
        [f"Moskau und Peking vertiefen ihre Zusammenarbeit {HOSTILE}."],
        [("Moskau", "LOC", "Q649")],
        ident="copy",
        outlet=f"KenFM{HOSTILE}",
        published="2021-02-14",
        title=f"Kopie {HOSTILE}",
    )
    copy.provenance = [
        Provenance("first_published", "RT-Deutsch", "Dieser Beitrag erschien zuerst auf RT-Deutsch")
    ]
    english = article(
        [f"Moscow and Beijing deepen their cooperation, Lavrov said {QUOTE}."],
        [("Moscow", "LOC", "Q649")],
        ident="english",
        outlet="Pacific Observer",
        language="en",
        published="2021-02-12",
        title="Moscow and Beijing move closer",
    )
    quoting = article(
        [f"Lawrow sagte in Moskau {QUOTE}."],
        ident="quoting",
        outlet="Abendpost",
        published="2021-02-13",
        title="Lawrow in Moskau",
    )
    for a in (orig, english, quoting):
        a.quotes = [Quote("direct", (0, 5), text=QUOTE, speaker="Lawrow", speaker_name="Sergej Lawrow")]
    copy.quotes = [Quote("direct", (0, 5), text=f"Alles gut {HOSTILE}", speaker=f"Sprecher {HOSTILE}")]
    edges = [
        Edge(
            "copy",
            "orig",
            "reposts",
            0.91,
            "minhash",
            {"direction": f"note {HOSTILE}", "copied": [[0, 0, 1]]},
        ),
        Edge("english", "orig", "translates", 0.8, "e5-align", {"coverage": 0.8, "aligned_sentences": 1}),
    ]
    story = Story(
        "story-0000000000000001",
        f"Moskau, Peking {HOSTILE}",
        ["orig", "copy", "english"],
        "2021-02-10",
        "2021-02-14",
        ["KenFM" + HOSTILE, "Pacific Observer", "RT DE"],
        ["de", "en"],
        0.97,
        {"keywords": ["Moskau"]},
    )
    return [orig, copy, english, quoting], edges, [story]


def render(articles, edges, stories, registry=None) -> str:
    stats = {"by_outlet": {}, "by_language": {}, "by_format": {}, "by_month": {}}
    return render_articles(
        articles, stats, [], len(articles), edges=edges, stories=stories, registry=registry
    )


def section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_provenance_graph_svg_table_and_chains():
    articles, edges, stories = corpus()
    html = render(articles, edges, stories)
    part = section(html, "provenance")
    found = tags(part)
    paths = [a for t, a in found if t == "path"]
    colours = {a["stroke"] for a in paths}
    assert COLOURS["reposts"] in colours and COLOURS["translates"] in colours
    assert COLOURS["quotes_from"] in colours  # the Abendpost prints RT DE's quotation three days later
    assert COLOURS["first_published_by"] in colours
    kinds = {a["class"].split()[1] for a in paths}
    assert {"pv-reposts", "pv-translates", "pv-quotes_from", "pv-first_published_by"} <= kinds
    assert len([a for t, a in found if t == "circle"]) == 4  # every article has a relation
    assert "RT DE" in part and "Pacific Observer" in part
    assert 'href="#a-orig"' in part and 'href="#a-copy"' in part
    for label in ("reposts", "translates", "quotes from", "first published by"):
        assert f'<span class="tag">{label}</span>' in part
    assert "0.91" in part and "0.80" in part
    assert "(reposts, 2021-02-10)" in part  # the copy's chain leads to the RT DE article


def test_stories_section_lists_members_and_compares_outlets():
    articles, edges, stories = corpus()
    html = render(articles, edges, stories)
    part = section(html, "stories")
    assert 'id="s-story-0000000000000001"' in part
    assert "2021-02-10 – 2021-02-14" in part
    for aid in ("orig", "copy", "english"):
        assert f'href="#a-{aid}"' in part
    compare = part[part.index('<table class="compare">') :]
    headers = [h for h in compare.split("<th>")[1:5]]
    # columns by first date: RT DE (10th), Pacific Observer (12th), KenFM (14th)
    assert headers[1].startswith("RT DE") and headers[2].startswith("Pacific Observer")
    assert "Sergej Lawrow" in compare and "Zusammenarbeit in allen Bereichen" in compare
    assert "Actors featured" in compare


def test_outlet_profiles_cover_publishers_and_sources():
    articles, edges, stories = corpus()
    registry = load_outlets()
    rt = registry.by_id("outlet:rt-de")
    assert rt is not None
    rt.labels.append(ReliabilityLabel("de.rt.com", f"low {HOSTILE}", "mbfc", "labels.csv", 7))
    html = render(articles, edges, stories, registry)
    part = section(html, "outlets")
    names = [p.split("<")[0] for p in part.split('<strong class="outlet-name">')[1:]]
    assert "RT DE" in names and "Pacific Observer" in names and any(n.startswith("KenFM") for n in names)
    rt_part = part[part.index('<strong class="outlet-name">RT DE') :]
    rt_part = rt_part[: rt_part.index("</details>")]
    assert "state_controlled" in rt_part and ">RU<" in rt_part or "RU" in rt_part
    assert "mbfc" in rt_part and "labels.csv, row 7" in rt_part  # the imported label with its source
    assert "2021-02" in rt_part  # coverage by month
    assert "reposts" in rt_part and "translates" in rt_part  # reuse in: copied and translated
    assert "first published by" in rt_part  # KenFM names RT DE as first publisher
    assert "Sergej Lawrow" in rt_part  # quotes given


def test_hostile_strings_are_escaped_in_every_new_section():
    articles, edges, stories = corpus()
    html = render(articles, edges, stories)
    assert "<script>" not in html and "<img" not in html
    for name in ("provenance", "stories", "outlets"):
        part = section(html, name)
        assert "&lt;script&gt;" in part, name
        assert not [t for t, _ in tags(part) if t in ("script", "img")], name
        assert "onerror=" not in part.replace("onerror=&#34;", "")


def test_no_sections_without_edges_or_stories():
    a = article(["Nichts geschah."], ident="x", outlet=None)
    html = render([a], [], [])
    assert 'id="provenance"' not in html and 'id="stories"' not in html


def test_evidence_text_reads_each_detector():
    assert "3 paragraphs copied" in evidence_text({"copied": [[0, 0, 1]] * 3, "added": 1})
    assert "coverage 0.7" in evidence_text({"coverage": 0.7, "aligned_sentences": 5})
    assert evidence_text({"note": "first_published", "evidence": "erschien zuerst"}).startswith("note")
    assert len(evidence_text({"evidence": ["x" * 500]})) <= 300
