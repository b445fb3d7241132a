"""Acceptance (P5, item 4): the KenFM article's provenance chain names RT Deutsch and RusStrat.

The seed sample is analysed with the default pipeline (language, clean, metadata, sentences,
quotes …) into a temporary database; the chain comes from the library entry point
``api.provenance``. The first-published note ("Dieser Beitrag erschien zuerst am 10. Februar 2021
auf RT-Deutsch") gives RT Deutsch; "Nach einer Analyse … (RusStrat)" and the quotes "so RusStrat"
give the cited source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.model import content_id
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def kenfm(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = shared_path("seed-sample")
    db = str(tmp_path_factory.mktemp("seed") / "seed.db")
    config = load_config(overrides=["metadata.reference_date=2026-11-23"])
    summary = api.analyze([str(folder)], db=db, config=config)
    assert summary.added == 3
    text = (Path(folder) / "ru-cn-2021-02.txt").read_text(encoding="utf-8")
    return db, content_id(text)


def test_kenfm_chain_names_rt_deutsch_and_russtrat(kenfm: tuple[str, str]):
    db, article_id = kenfm
    result = api.provenance(db, article_id)
    chain = result.chain
    assert [link.relation for link in chain] == ["start", "first_published_by", "cites_as_source"]
    assert chain[0].label == "KenFM" and chain[0].date == "2021-02-14"
    assert chain[1].outlet_id == "outlet:rt-de"
    assert "RT Deutsch" in chain[1].names and "RT-Deutsch" in chain[1].names
    assert chain[1].date == "2021-02-10"
    assert chain[2].label == "RusStrat" and chain[2].outlet_id == "outlet:russtrat"
    assert any("Analyse" in e for e in chain[2].evidence["evidence"])
    assert result.text == "KenFM ← RT DE (first published 2021-02-10) ← RusStrat (cited source)"


def test_the_other_seed_articles_have_no_kenfm_or_russtrat_links(kenfm: tuple[str, str]):
    db, article_id = kenfm
    graph = api.provenance(db, article_id).graph
    cited = {graph.nodes[e.target].label for e in graph.edges if e.kind == "cites_as_source"}
    assert cited == {"RusStrat"}  # "das Institut", "seiner Analyse", Putin are not sources
