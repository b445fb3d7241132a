from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.model import Article, DateInfo, Provenance, Sentence
from lagebild.reuse.sentembed import SentenceEmbedder
from lagebild.reuse.translation import (
    TranslationConfig,
    align_paragraphs,
    anchors,
    candidate_pairs,
    find_translations,
    fit_thresholds,
    paragraph_of_sentences,
    score_embeddings,
    sentence_texts,
)

GERMAN = """Die Außenminister Russlands und Chinas, Sergej Lawrow und Wang Yi, haben am 4. Februar 2021 telefoniert.

Nach Angaben des Moskauer Außenministeriums ging es um den Vertrag über gute Nachbarschaft aus dem Jahr 2001 und seine Zukunft. Beide Seiten wollen ihn um weitere fünf Jahre verlängern.

Lawrow sagte, die Zusammenarbeit sei so eng wie nie zuvor. Wang Yi lud ihn zu einem Besuch in Peking im März ein."""

FRENCH = """Les ministres des Affaires étrangères de la Russie et de la Chine, Sergueï Lavrov et Wang Yi, se sont entretenus par téléphone le 4 février 2021.

Selon le ministère russe des Affaires étrangères, il a été question du traité de bon voisinage signé en 2001 et de son avenir. Les deux parties veulent le prolonger de cinq ans.

Lavrov a déclaré que la coopération n'avait jamais été aussi étroite. Wang Yi l'a invité à une visite à Pékin en mars."""

UNRELATED_FR = """Le club de football de Lyon a remporté dimanche son match contre Marseille par 3 buts à 1 devant 45 000 spectateurs.

L'entraîneur a salué la performance de ses jeunes joueurs. La saison reprendra en 2021 après la trêve hivernale.

Les supporters ont fêté la victoire jusque tard dans la nuit sur la place Bellecour."""


def article(aid: str, text: str, lang: str, date: str | None = None) -> Article:
    a = Article(id=aid, source=aid, source_format="txt", raw_text=text, clean_text=text, language=lang)
    if date:
        a.published = DateInfo(date, "day", date, "text")
    return a


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> SentenceEmbedder:
    return SentenceEmbedder(cache_dir=Path(tmp_path_factory.mktemp("e5cache")))


def test_sentences_and_paragraphs_without_the_sentences_stage():
    a = article("de", GERMAN, "de")
    texts = sentence_texts(a)
    assert len(texts) == 5
    assert texts[0].startswith("Die Außenminister") and texts[-1].startswith("Wang Yi lud")
    assert paragraph_of_sentences(a) == [0, 1, 1, 2, 2]


def test_sentences_from_the_sentences_stage():
    text = "Erster Satz. Zweiter Satz.\n\nDritter Satz."
    a = Article(id="x", source="x", source_format="txt", raw_text=text, clean_text=text)
    a.sentences = [Sentence(0, 12), Sentence(13, 26), Sentence(28, 41)]
    assert sentence_texts(a) == ["Erster Satz.", "Zweiter Satz.", "Dritter Satz."]
    assert paragraph_of_sentences(a) == [0, 0, 1]


def test_anchors_are_language_independent():
    de = anchors(sentence_texts(article("de", GERMAN, "de")))
    fr = anchors(sentence_texts(article("fr", FRENCH, "fr")))
    assert {"#2021", "#2001", "wang"} <= de & fr
    assert "#4" not in de  # single digits are too common
    assert "sergej" in de and "sergue" in fr  # transliterations differ: blocking needs several anchors
    assert anchors(["Die SPÖ und l’ÖVP zahlen 1.000 Euro."]) >= {"spo", "ovp", "#1000", "euro"}


def test_blocking_keeps_the_translation_and_drops_same_language_and_length_mismatch():
    arts = [
        article("de", GERMAN, "de"),
        article("fr", FRENCH, "fr"),
        article("fr2", UNRELATED_FR, "fr"),
        article("de2", GERMAN + "\n\nNoch ein Absatz über Wang Yi im Jahr 2021.", "de"),
        article("long", " ".join([FRENCH] * 6), "fr"),
    ]
    pairs = candidate_pairs(arts, TranslationConfig(max_length_ratio=1.8, min_shared=2))
    assert (0, 1) in pairs
    assert (0, 3) not in pairs  # same language
    assert (0, 4) not in pairs  # six times longer
    assert (0, 2) not in pairs  # shares only "2021"


def test_alignment_of_a_translation_and_an_unrelated_text(embedder: SentenceEmbedder):
    de, fr, other = (
        sentence_texts(article(k, t, k[:2]))
        for k, t in (("de", GERMAN), ("fr", FRENCH), ("fr", UNRELATED_FR))
    )
    e_de, e_fr, e_other = (embedder.embed_cached(t) for t in (de, fr, other))
    good = score_embeddings(e_de, e_fr, 0.88)
    bad = score_embeddings(e_de, e_other, 0.88)
    assert [(i, j) for i, j, _ in good.aligned] == [(k, k) for k in range(5)]
    assert good.coverage == 1.0 and bad.coverage < 0.3
    assert good.doc_cosine > bad.doc_cosine
    para = align_paragraphs(good.aligned, [0, 1, 1, 2, 2], [0, 1, 1, 2, 2])
    assert para == [(0, 0, 1), (1, 1, 2), (2, 2, 2)]
    # The cache returns the same vectors (float16 on disk).
    assert np.allclose(embedder.embed_cached(de), e_de, atol=2e-3)


def test_find_translations_direction_and_evidence(embedder: SentenceEmbedder):
    de = article("de", GERMAN, "de", "2021-02-06")
    fr = article("fr", FRENCH, "fr", "2021-02-05")
    other = article("fr2", UNRELATED_FR, "fr", "2021-02-05")
    edges = find_translations([de, fr, other], embedder=embedder)
    assert len(edges) == 1
    edge = edges[0]
    assert (edge.source_id, edge.target_id, edge.kind) == ("de", "fr", "translates")  # later one translates
    assert edge.evidence["direction"] == "publication dates"
    assert edge.evidence["aligned_sentences"] == 5
    assert edge.evidence["pairs"][0]["source"].startswith("Die Außenminister")
    assert edge.evidence["paragraphs"][0] == [0, 0, 1]
    # A translation note beats the dates.
    fr.provenance = [
        Provenance("translation", "Hans Meier", "Aus dem Deutschen von Hans Meier", language="de")
    ]
    edges = find_translations([de, fr, other], embedder=embedder)
    assert (edges[0].source_id, edges[0].target_id) == ("fr", "de")
    assert edges[0].evidence["direction"].startswith("translation note")


def test_fit_thresholds_separates_labelled_pairs():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(6, 384)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)

    def noisy(x: np.ndarray, scale: float) -> np.ndarray:
        y = x + rng.normal(scale=scale, size=x.shape).astype(np.float32)
        return y / np.linalg.norm(y, axis=1, keepdims=True)

    pairs = [(base, noisy(base, 0.02)) for _ in range(4)] + [(base, noisy(base, 0.5)) for _ in range(4)]
    config, info = fit_thresholds(pairs, [True] * 4 + [False] * 4)
    assert info["chosen"]["f1"] == 1.0
    scores = [score_embeddings(a, b, config.sentence_threshold) for a, b in pairs]
    decided = [
        s.coverage >= config.coverage_threshold and s.doc_cosine >= config.doc_threshold for s in scores
    ]
    assert decided == [True] * 4 + [False] * 4


def test_api_find_translations_stores_edges(tmp_path: Path):
    from lagebild import api
    from lagebild.store import open_store

    db = str(tmp_path / "t.db")
    store = open_store(db)
    with store.transaction():
        for a in (article("de", GERMAN, "de"), article("fr", FRENCH, "fr"), article("x", UNRELATED_FR, "fr")):
            store.put(a)
    store.close()
    edges = api.find_translations(db, cache_dir=str(tmp_path / "cache"))
    assert [(e.kind, e.method) for e in edges] == [("translates", "e5-align")]
    assert {edges[0].source_id, edges[0].target_id} == {"de", "fr"}
    store = open_store(db)
    assert len(store.edges(kind="translates")) == 1
    store.close()
    assert api.find_translations(db, cache_dir=str(tmp_path / "cache")) == edges  # rerun: same edges


def test_joined_sentences_align_as_partial_matches():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 384)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    joined = np.stack([a[0] + a[1], a[2], a[3] + a[4]])  # a translation that joined 0+1 and 3+4, cut 5
    joined /= np.linalg.norm(joined, axis=1, keepdims=True)
    score = score_embeddings(a, joined, 0.89)
    assert score.coverage == 1.0  # all three sentences of the shorter document are matched
    assert [(i, j) for i, j, _ in score.aligned] == [(2, 1)]
    assert sorted((sa, sb) for sa, sb, _ in score.partial) == [((0, 1), (0, 0)), ((3, 4), (2, 2))]
