"""The three messy real articles in ../shared/data/seed-sample, checked against what a reader finds.

Expected values were determined by reading the articles (see the comments per file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.model import Article, content_id
from lagebild.pipeline import Pipeline
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def seed() -> dict[str, Article]:
    from lagebild.config import load_config

    folder = shared_path("seed-sample")
    pipeline = Pipeline.from_config(load_config(overrides=["metadata.reference_date=2026-11-23"]))
    out = {}
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = pipeline.run(
            Article(id=content_id(text), source=str(path), source_format="txt", raw_text=text)
        )
    return out


def removed_reasons(article: Article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def paragraphs(article: Article) -> list[str]:
    return article.clean_text.split("\n\n")


# --- 2017: a press-review item (InoSMI/Sputnik style) summarising Nesawissimaja Gaseta -------------
def test_2017_metadata(seed: dict[str, Article]):
    a = seed["ru-cn-2017-07"]
    assert a.title is None  # the copy has no headline
    assert (a.published.value, a.published.precision, a.published.evidence) == (
        "2017-07",
        "month",
        "date 2017-07",
    )
    assert a.authors == []
    assert a.outlet is None  # nothing in the text names the publishing outlet
    assert [(p.kind, p.name) for p in a.provenance] == [("based_on", "Nesawissimaja Gaseta")]
    assert a.language == "de"


def test_2017_text(seed: dict[str, Article]):
    a = seed["ru-cn-2017-07"]
    assert a.clean_text.startswith("In Peking hat jüngst eine weitere russisch-chinesische Gesprächsrunde")
    assert "date 2017-07" not in a.clean_text
    assert len(paragraphs(a)) == 12  # every body paragraph, the two Kaschin block quotes included
    assert "„Es wurden nicht unbedingt wichtige politische Vereinbarungen getroffen." in a.clean_text
    assert a.clean_text.endswith("ist für Verbündete durchaus typisch.")
    assert [r.reason for r in a.removed] == ["metadata:date"]


# --- 2021: KenFM repost of an RT Deutsch piece by Rainer Rupp -----------------------------------------
def test_2021_metadata(seed: dict[str, Article]):
    a = seed["ru-cn-2021-02"]
    assert a.title == "RUSSTRAT: CHINA BIETET RUSSLAND OFFIZIELLES MILITÄRBÜNDNIS AN"
    assert (a.published.value, a.published.precision) == ("2021-02-14", "day")
    assert a.published.evidence == "Posted on 14. Februar 2021"
    assert a.authors == ["Rainer Rupp"]
    assert a.outlet == "KenFM"
    assert "KenFM bemüht sich" in (a.outlet_evidence or "")
    prov = {p.kind: p for p in a.provenance}
    assert (prov["first_published"].name, prov["first_published"].date) == ("RT-Deutsch", "2021-02-10")
    assert "erschien zuerst am 10. Februar 2021 auf RT-Deutsch" in prov["first_published"].evidence
    assert prov["image_credit"].name == "Alexandros Michailidis /shutterstock"
    assert prov["permission"].evidence.startswith("Danke an den Autor")


CLUTTER_2021 = {
    "+++": "separator",
    "Danke an den Autor für das Recht zur Veröffentlichung des Beitrags.": "provenance note",
    "Dieser Beitrag erschien zuerst [am 10. Februar 2021 auf RT-Deutsch](#).": "provenance note",
    "Bildquelle: [Alexandros Michailidis](#) /shutterstock": "provenance note",
    "KenFM bemüht sich um ein breites Meinungsspektrum. Meinungsartikel und Gastbeiträge müssen nicht die "
    "Sichtweise der Redaktion widerspiegeln.": "editorial disclaimer",
    "Abonniere jetzt den KenFM-Newsletter: <https://kenfm.de/newsletter/>": "newsletter appeal",
    "Jetzt KenFM unterstützen: <https://www.patreon.com/KenFMde>": "donation appeal",
    "*Jetzt kannst Du uns auch mit Bitcoins unterstützen.*": "donation appeal",
    "**BitCoin Adresse:** 18FpEnH1Dh83GXXGpRNqSoW5TL1z1PZgZK": "donation appeal",
    "# RUSSTRAT: CHINA BIETET RUSSLAND OFFIZIELLES MILITÄRBÜNDNIS AN": "metadata:title",
    "*Posted on 14. Februar 2021*": "metadata:date",
    "Von **Rainer Rupp**.": "metadata:authors",
}


def test_2021_clutter_removed_body_kept(seed: dict[str, Article]):
    a = seed["ru-cn-2021-02"]
    reasons = removed_reasons(a)
    for text, reason in CLUTTER_2021.items():
        assert reasons.get(text) == reason, text
    assert any(t.startswith("KenFM jetzt auch als kostenlose App") for t in reasons)
    assert any(t.startswith("*Dir gefällt unser Programm?") for t in reasons)
    for word in ("KenFM", "Bitcoin", "BitCoin", "+++", "Posted on", "Rainer Rupp", "shutterstock", "patreon"):
        assert word not in a.clean_text, word
    # 18 body paragraphs; two were split mid-sentence by the copy (20 blocks) and are joined again.
    assert len(paragraphs(a)) == 18
    assert (
        "Angesichts zahlreicher Vorbehalte und Erklärungen von Spitzenbeamten beider Seiten sei dieses Thema seit 2016"
        in a.clean_text
    )
    assert "dann bedeute dies, dass auch dort" in a.clean_text
    assert "Nach einer Analyse (hier auf Russisch) vom Moskauer Institut" in a.clean_text  # link text kept
    assert a.clean_text.startswith('Nachdem sich die "strategische Partnerschaft"')
    assert a.clean_text.endswith('zwischen Russland und China geschlossen werden kann".')


# --- 2022: news-site article (Ippen network layout) with page clutter ------------------------------------
def test_2022_metadata(seed: dict[str, Article]):
    a = seed["ru-cn-2022-06"]
    assert a.title == "„Entwicklung militärischer Beziehung“: China will Putin den Rücken stärken"
    assert (a.published.value, a.published.precision) == ("2022-06-15", "day")
    assert a.published.evidence == "am Mittwoch (15. Juni)"
    assert "inferred" in a.published.note and a.published.confidence < 1
    assert a.authors == ["Nail Akkoyun"]
    assert a.outlet is None  # the copy never names the site; the layout alone is not evidence enough
    assert [(p.kind, p.name) for p in a.provenance] == [("image_credit", "Alexei Druzhinin/dpa")]


CLUTTER_2022 = {
    "1. Startseite": "navigation",
    "2. Politik": "navigation",
    "Erstellt:": "page furniture",
    "Kommentare": "comment prompt",
    "Auch interessant": "related links",
    "Von: Nail Akkoyun": "metadata:authors",
    "„Entwicklung militärischer Beziehung“: China will Putin den Rücken stärken": "metadata:title",
}


def test_2022_clutter_removed_body_kept(seed: dict[str, Article]):
    a = seed["ru-cn-2022-06"]
    reasons = removed_reasons(a)
    for text, reason in CLUTTER_2022.items():
        assert reasons.get(text) == reason, text
    captions = [
        r for r in a.removed if r.text.startswith("Die Amtskollegen Xi Jinping und Wladimir Putin prosten")
    ]
    assert len(captions) == 2 and all(r.reason == "image caption" for r in captions)
    assert any(
        r.reason == "newsletter appeal" and r.text.startswith("Das Wichtigste aus der Politik")
        for r in a.removed
    )
    for word in (
        "Startseite",
        "Kommentare",
        "Archivfoto",
        "Druzhinin",
        "Auch interessant",
        "kostenlos anmelden",
    ):
        assert word not in a.clean_text, word
    assert len(paragraphs(a)) == 8  # lead + 7 body paragraphs
    assert paragraphs(a)[0].startswith("Nach einem Gespräch zwischen dem chinesischen Präsidenten")
    assert (
        "Xi Jinping und Wladimir Putin wollen russisch-chinesische Beziehungen weiter ausbauen"
        in a.clean_text
    )
    assert a.clean_text.endswith("den Beziehungen schaden würde.")


def test_sentences_and_tokens(seed: dict[str, Article]):
    a = seed["ru-cn-2017-07"]
    first = a.sentence_texts()[0]
    assert (
        first
        == "In Peking hat jüngst eine weitere russisch-chinesische Gesprächsrunde zum Thema strategische Stabilität stattgefunden."
    )
    tokens = [a.clean_text[s:e] for s, e in a.sentences[0].tokens]
    assert tokens[:3] == ["In", "Peking", "hat"] and tokens[-1] == "."
    b = seed["ru-cn-2021-02"]
    assert any(s.startswith("Im Rahmen der Neuunterzeichnung") for s in b.sentence_texts())
