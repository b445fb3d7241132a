from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.errors import LagebildError
from lagebild.model import Article, DateInfo, Provenance, Quote
from lagebild.outlets import load_outlets
from lagebild.reuse.provenance import (
    build_graph,
    chain_text,
    provenance_chain,
    provenance_from_store,
)
from lagebild.reuse.sources import NameResolver, cited_sources
from lagebild.store import Edge, open_store

REGISTRY = load_outlets()


def art(aid: str, outlet: str | None, date: str | None, text: str = "", **kw: object) -> Article:
    a = Article(id=aid, source=aid, source_format="txt", raw_text=text, clean_text=text, outlet=outlet, **kw)  # type: ignore[arg-type]
    if date:
        a.published = DateInfo(date, "day", date, "text")
    return a


def test_names_resolve_to_registry_outlets():
    r = NameResolver(REGISTRY)
    assert r.registered("RT-Deutsch") == "outlet:rt-de"
    assert r.registered("auf RT Deutsch") == "outlet:rt-de"
    assert r.registered("dem Moskauer Institut für internationale Strategien") == "outlet:russtrat"
    assert r.registered(
        "Institut für internationale politische und wirtschaftliche Strategien (RusStrat)"
    ) == ("outlet:russtrat")
    assert r.registered("Hans Müller") is None
    assert r.registered("dem staatlichen Fernsehsender CCTV") == "outlet:cctv"
    assert r.registered("CCTV lobte Xi Jinping") == "outlet:cctv"
    assert r.is_source("laut CCTV") and r.is_source("das Kieler Institut für Weltwirtschaft")
    assert not r.is_source("der russische Präsident Putin") and not r.is_source("das Institut")
    node = r.node("Kieler Institut für Weltwirtschaft")
    assert node is not None and node.id.startswith(("outlet:", "name:"))


def test_cited_sources_from_quotes_and_analysis_phrases():
    text = "Nach einer Studie des Kieler Instituts für Weltwirtschaft (IfW) vom Montag wächst der Handel."
    a = art("a", "Tagesschau", "2024-01-02", text)
    a.quotes = [
        Quote("indirect", (0, 5), text="China liefere mehr", speaker="CCTV", cue="laut"),
        Quote("direct", (0, 5), text="Wir sind bereit", speaker="Putin", cue="sagte"),
    ]
    found = cited_sources(a, NameResolver(REGISTRY))
    labels = {node.label for node, _ in found.values()}
    assert "CCTV" in labels
    assert any("Institut" in label or "IfW" in label for label in labels)
    assert not any("Putin" in label for label in labels)


def test_an_affiliated_speaker_cites_the_institution():
    a = art("a", None, None, "")
    a.quotes = [
        Quote("direct", (0, 1), text="…", speaker="Wassili Kaschin vom russischen Institut für Orientalistik")
    ]
    found = cited_sources(a, NameResolver(REGISTRY))
    assert [node.label for node, _ in found.values()] == ["Institut für Orientalistik"]


def test_chain_follows_reposts_and_translations_then_notes_then_cited_source():
    original = art(
        "rt",
        "RT DE",
        "2021-02-10",
        "Nach einer Analyse von RusStrat stehen Russland und China vor einem Bündnis.",
    )
    english = art("en", "Global Research", "2021-02-12")
    repost = art("kenfm", "KenFM", "2021-02-14")
    repost.provenance = [
        Provenance(
            "first_published",
            "RT-Deutsch",
            "Dieser Beitrag erschien zuerst auf RT-Deutsch",
            date="2021-02-10",
        )
    ]
    edges = [
        Edge("kenfm", "rt", "reposts", 0.9, "minhash", {"copied": [[0, 0, 0.9]]}),
        Edge("en", "kenfm", "translates", 0.8, "e5-align", {"coverage": 0.8}),
    ]
    graph = build_graph([original, english, repost], edges, REGISTRY)
    chain = provenance_chain(graph, "en")
    assert [link.relation for link in chain] == ["start", "translates", "reposts", "cites_as_source"]
    assert [link.label for link in chain][:3] == ["Global Research", "KenFM", "RT DE"]
    assert chain[-1].outlet_id == "outlet:russtrat"
    # The RT article is in the corpus, so the note naming RT DE adds no further link.
    assert "RT DE (reposts, 2021-02-10)" in chain_text(chain)
    repost_chain = provenance_chain(graph, "kenfm")
    assert [link.label for link in repost_chain] == ["KenFM", "RT DE", "RusStrat"]
    assert provenance_chain(graph, "missing") == []


def test_chain_of_a_repost_whose_original_is_not_in_the_corpus():
    a = art("k", "KenFM", "2021-02-14")
    a.provenance = [
        Provenance("first_published", "RT-Deutsch", "erschien zuerst auf RT-Deutsch", date="2021-02-10")
    ]
    a.quotes = [Quote("direct", (0, 1), text="…", speaker="RusStrat", cue="so")]
    chain = provenance_chain(build_graph([a], (), REGISTRY), "k")
    assert [(link.relation, link.label, link.date) for link in chain] == [
        ("start", "KenFM", "2021-02-14"),
        ("first_published_by", "RT DE", "2021-02-10"),
        ("cites_as_source", "RusStrat", None),
    ]
    assert "RT Deutsch" in chain[1].names and "RT-Deutsch" in chain[1].names
    assert chain[1].confidence == 0.95


def test_cycles_end_the_walk():
    a, b, c = (
        art("a", "A-Blog", "2021-01-03"),
        art("b", "B-Blog", "2021-01-02"),
        art("c", "C-Blog", "2021-01-01"),
    )
    edges = [
        Edge("a", "b", "reposts", 0.9, "minhash"),
        Edge("b", "c", "reposts", 0.9, "minhash"),
        Edge("c", "a", "reposts", 0.9, "minhash"),
    ]
    chain = provenance_chain(build_graph([a, b, c], edges, REGISTRY), "a")
    assert [link.node for link in chain] == ["article:a", "article:b", "article:c"]


def test_near_duplicates_point_to_the_earlier_article():
    a, b = art("a", "A-Blog", "2021-01-03"), art("b", "B-Blog", "2021-01-01")
    graph = build_graph([a, b], [Edge("a", "b", "near_duplicate", 0.7, "minhash")], REGISTRY)
    assert [link.node for link in provenance_chain(graph, "a")] == ["article:a", "article:b"]
    assert [link.node for link in provenance_chain(graph, "b")] == ["article:b"]


def test_provenance_from_store(tmp_path: Path):
    store = open_store(str(tmp_path / "p.db"))
    repost = art("kenfm", "KenFM", "2021-02-14", "Text")
    original = art("rt", "RT DE", "2021-02-10", "Text")
    with store.transaction():
        store.put(repost)
        store.put(original)
    store.put_edges([Edge("kenfm", "rt", "reposts", 0.9, "minhash")])
    result = provenance_from_store(store, "kenfm", REGISTRY)
    assert [link.label for link in result.chain] == ["KenFM", "RT DE"]
    assert result.text.startswith("KenFM ← RT DE")
    with pytest.raises(LagebildError):
        provenance_from_store(store, "nope", REGISTRY)
    store.close()
