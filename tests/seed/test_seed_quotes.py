"""Quotes and speakers in the three seed articles, as a reader finds them (P3).

Run with entities + link + quotes so speakers resolve to knowledge-base actors. Expectations were
set by reading the articles; assertions name the statement by a phrase of its message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.model import Article, Quote, content_id
from lagebild.pipeline import Pipeline
from tests.conftest import shared_path

STAGES = 'pipeline.stages=["language","clean","metadata","sentences","entities","link","quotes"]'


@pytest.fixture(scope="module")
def seed() -> dict[str, Article]:
    from lagebild.config import load_config

    folder = shared_path("seed-sample")
    pipeline = Pipeline.from_config(load_config(overrides=["metadata.reference_date=2026-11-23", STAGES]))
    out = {}
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = pipeline.run(
            Article(id=content_id(text), source=str(path), source_format="txt", raw_text=text)
        )
    return out


def find(article: Article, phrase: str, kind: str | None = None) -> Quote:
    hits = [q for q in article.quotes if phrase in q.text and (kind is None or q.kind == kind)]
    assert hits, f"no quote containing {phrase!r}: {[q.text[:60] for q in article.quotes]}"
    return hits[0]


# --- 2017: Nesawissimaja Gaseta on Patrushev's talks; the expert Kaschin quoted twice ----------------


def test_2017_kaschins_two_direct_quotes(seed: dict[str, Article]):
    a = seed["ru-cn-2017-07"]
    first = find(a, "Es wurden nicht unbedingt wichtige politische Vereinbarungen getroffen")
    second = find(a, "Sobald die USA Russland und China unter Druck setzen")
    for q in (first, second):
        assert q.kind == "direct"
        assert q.actor_id == "doc:wassili-kaschin"
    # The first is introduced by a colon and spans three sentences of the next paragraph.
    assert first.cue == "sagte" and first.speaker.startswith("Wassili Kaschin")
    assert first.text.endswith("statt.“") and first.sentences[1] - first.sentences[0] >= 2


def test_2017_reported_speech(seed: dict[str, Article]):
    a = seed["ru-cn-2017-07"]
    shoigu = find(a, "dass Russland im vorigen Jahr Waffen nach China")
    assert (shoigu.kind, shoigu.cue, shoigu.actor_id) == ("indirect", "sagte", "lb:shoigu-sergei")
    trend = find(a, "Auf diesem Gebiet sei der Trend offensichtlich")
    assert (trend.kind, trend.speaker, trend.actor_id) == (
        "indirect",
        "Experte Kaschin",
        "doc:wassili-kaschin",
    )
    peking = find(a, "THAAD-Raketenkomplexen an Taiwan")
    assert (peking.cue, peking.speaker) == ("warnte", "Peking")
    interest = find(a, "Marinemanöver verlaufe")
    assert interest.actor_id == "lb:national-interest"


# --- 2021: KenFM repost of an RT Deutsch piece on a RusStrat analysis --------------------------------


def test_2021_russtrat_and_putin(seed: dict[str, Article]):
    a = seed["ru-cn-2021-02"]
    putin = find(a, "er stimme im Prinzip einem Militärbündnis")
    assert (putin.kind, putin.actor_id) == ("indirect", "Q7747") and "erklärt" in (putin.cue or "")
    conclusion = find(a, "für mindestens ein halbes Jahrhundert", kind="direct")
    assert (conclusion.cue, conclusion.actor_id) == ("schlussfolgert", "lb:russtrat")
    # "Dann betont das Institut:" — a description resolved to the institute named before.
    institute = [q for q in a.quotes if q.speaker == "das Institut"]
    assert institute and all(q.actor_id == "lb:russtrat" for q in institute)


# --- 2022: Xi-Putin call, reported by CCTV --------------------------------------------------------------


def test_2022_xi_quote_reported_by_cctv(seed: dict[str, Article]):
    a = seed["ru-cn-2022-06"]
    xi = find(a, "China ist bereit, Russland in Fragen")
    assert xi.kind == "direct"
    assert (xi.actor_id, xi.reported_by, xi.reported_by_actor) == ("Q15031", "CCTV", "lb:cctv")
    praise = find(a, "gute Entwicklungsdynamik")
    assert (praise.actor_id, praise.reported_by) == ("Q15031", "CCTV")
    kremlin = find(a, "Es wurde vereinbart, die Zusammenarbeit")
    assert (kremlin.kind, kremlin.cue, kremlin.speaker) == ("direct", "erklärte", "der Kreml")
    stressed = find(a, "dass man Moskau in Sachen")
    assert (stressed.cue, stressed.actor_id) == ("betonte", "Q15031")
    warned = find(a, "auf der falschen Seite der Geschichte zu landen")
    assert (warned.cue, warned.actor_id) == ("warnten", "Q30")
