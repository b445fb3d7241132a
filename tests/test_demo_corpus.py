"""The demo corpus against its ground truth in examples/README.md (articles written for the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.api import analyze, write_report
from lagebild.model import Article
from lagebild.store import open_store
from tests.conftest import CORPUS

EXPECTED = {
    # file: (outlet, published, precision, authors, title)
    "rt-de-2023-03-10-xi-besuch.txt": (
        "RT DE",
        "2023-03-10",
        "day",
        [],
        "Putin gratuliert Xi zur Wiederwahl – Staatsbesuch in Moskau rückt näher",
    ),
    "freie-stimme-2023-03-11-repost.txt": (
        "Freie Stimme Blog",
        "2023-03-11",
        "day",
        [],
        "Putin gratuliert Xi zur Wiederwahl – Staatsbesuch in Moskau rückt näher",
    ),
    "eurasien-blick-2021-02-14-lawrow-wang.txt": (
        "Eurasien-Blick",
        "2021-02-14",
        "day",
        ["Jonas Weidner"],
        "Lawrow und Wang Yi: Moskau und Peking rücken gegen neue Sanktionen zusammen",
    ),
    "abendpost-2023-03-21-xi-moskau.txt": (
        None,
        "2023-03-21",
        "day",
        ["Katrin Hollmann"],
        "Xi in Moskau: Was Putin sich von Chinas Präsidenten erhofft",
    ),
    "pacific-observer-2023-03-21-en.txt": (
        "The Pacific Observer",
        "2023-03-21",
        "day",
        ["Hannah Cole"],
        "Gas, jets and a pipeline that isn't built yet: what is on the table in Moscow",
    ),
    "foreign-affairs-2023-04-en.txt": (
        "Foreign Affairs",
        "2023-04-12",
        "day",
        ["Margaret Ellison", "Daniel Okafor"],
        "The Uneven Embrace",
    ),
    "foreign-affairs-2023-04-de-uebersetzung.txt": (
        "Weltpolitik Digest",
        "2023-04-26",
        "day",
        ["Margaret Ellison", "Daniel Okafor"],
        "Die ungleiche Umarmung",
    ),
    "ostpolitik-monitor-2023-03-ruestung.md": (
        "Ostpolitik-Monitor",
        "2023-03",
        "month",
        ["Lena Marquardt"],
        "Von der Su-27 zur S-400: Russlands Rüstungsexporte nach China",
    ),
    "tagesblatt-2023-03-21.html": (
        "Tagesblatt",
        "2023-03-21",
        "day",
        ["Miriam Kessler"],
        "Xi und Putin beschwören in Moskau eine „neue Ära“",
    ),
    "rheinischer-anzeiger-2023-03-22-cp1252.html": (
        "Rheinischer Anzeiger",
        "2023-03-22",
        "day",
        ["Felix Brandauer"],
        "Power of Siberia 2: Putin spricht von Einigung – Peking schweigt",
    ),
    "global-herald-2022-02-04-en.html": (
        "The Global Herald",
        "2022-02-04",
        "day",
        ["Sarah Whitfield"],
        'Xi and Putin declare a partnership with "no limits" as Olympics open',
    ),
    "agenturen.jsonl#line 1": ("Ostwind Nachrichten", "2022-06-16", "day", [], None),
    "agenturen.jsonl#line 2": (
        "Asia Wire",
        "2023-07-20",
        "day",
        [],
        "China and Russia begin joint naval drills in Sea of Japan",
    ),
    "agenturen.jsonl#line 3": (
        "Der Morgenkurier",
        "2024-07-03",
        "day",
        [],
        "SOZ-Gipfel in Astana: Xi und Putin demonstrieren Einigkeit",
    ),
    "weltpresse.rss#entry 1": ("Weltpresse – Außenpolitik", "2022-09-15", "day", ["Lukas Brenner"], None),
    "weltpresse.rss#entry 2": ("Weltpresse – Außenpolitik", "2024-05-01", "day", ["Anna Sommerfeld"], None),
    "weltpresse.rss#entry 3": ("Weltpresse – Außenpolitik", "2024-05-16", "day", [], None),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus analyzed with no settings at all, as `make run` does."""
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    assert analyze([str(CORPUS)], db=db).exit_code == 0
    return db


def test_the_default_run_is_the_whole_picture(demo_db: str, tmp_path: Path):
    # issue 20: actors, quotes with linked speakers, events and the timeline with no extra flags
    store = open_store(demo_db)
    articles = list(store.query())
    write_report(store, str(tmp_path / "r.html"))
    store.close()
    assert (
        sum(1 for a in articles for m in a.mentions if m.actor_id and not m.actor_id.startswith("doc:")) > 50
    )
    assert any(q.actor_id for a in articles for q in a.quotes)
    assert sum(len(a.events) for a in articles) > 20
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for section in ('id="actors"', "Who said what", 'id="timeline"'):
        assert section in html


@pytest.fixture(scope="module")
def corpus(demo_db: str) -> dict[str, Article]:
    store = open_store(demo_db)
    articles = {Path(a.source).name: a for a in store.query()}
    store.close()
    return articles


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(corpus: dict[str, Article], name: str):
    outlet, published, precision, authors, title = EXPECTED[name]
    a = corpus[name]
    assert a.outlet == outlet
    assert (a.published.value[: len(published)], a.published.precision) == (published, precision)
    assert a.authors == authors
    if title is not None:
        assert a.title == title


def test_languages(corpus: dict[str, Article]):
    english = {n for n, a in corpus.items() if a.language == "en"}
    assert english == {
        "pacific-observer-2023-03-21-en.txt",
        "foreign-affairs-2023-04-en.txt",
        "global-herald-2022-02-04-en.html",
        "agenturen.jsonl#line 2",
    }


def test_provenance(corpus: dict[str, Article]):
    repost = {(p.kind, p.name, p.date) for p in corpus["freie-stimme-2023-03-11-repost.txt"].provenance}
    assert ("first_published", "RT DE", "2023-03-10") in repost
    translation = {
        (p.kind, p.name, p.language) for p in corpus["foreign-affairs-2023-04-de-uebersetzung.txt"].provenance
    }
    assert ("translation", "Thomas Riedl", "en") in translation
    assert ("copyright", "Foreign Affairs", None) in translation


def test_repost_body_equals_original(corpus: dict[str, Article]):
    original = corpus["rt-de-2023-03-10-xi-besuch.txt"].clean_text.split("\n\n")
    repost = corpus["freie-stimme-2023-03-11-repost.txt"].clean_text.split("\n\n")
    assert original == repost[1:]  # the repost adds one intro paragraph; the body is the original's


def test_cp1252_page_was_decoded(corpus: dict[str, Article]):
    a = corpus["rheinischer-anzeiger-2023-03-22-cp1252.html"]
    assert "Peking schweigt" in a.title and "\ufffd" not in a.clean_text
    assert any("decoded as" in n for n in a.notes)
