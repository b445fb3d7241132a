"""Story clustering (lagebild.reuse.stories): features, average linkage, the time penalty, labels, storage."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.model import Article, DateInfo, Mention
from lagebild.reuse import ReuseEdge
from lagebild.reuse.sentembed import SentenceEmbedder
from lagebild.reuse.stories import (
    Features,
    StoryConfig,
    average_linkage,
    build_stories,
    cluster,
    cluster_matrix,
    features,
    find_stories,
    keywords,
    lead_texts,
    similarity_matrix,
    story_id,
    terms,
)
from lagebild.store import Edge, open_store

QUAKE_DE = (
    "Ein Erdbeben der Stärke 7,1 hat am Montag die Provinz Hatay im Süden der Türkei erschüttert. "
    "Mindestens 120 Menschen kamen ums Leben, teilte die Katastrophenschutzbehörde AFAD mit. "
    "Rettungskräfte suchen in Antakya nach Verschütteten. Präsident Erdoğan kündigte Hilfe an."
)
QUAKE_EN = (
    "A magnitude 7.1 earthquake struck Hatay province in southern Turkey on Monday. "
    "At least 120 people were killed, the disaster agency AFAD said. "
    "Rescuers are searching for survivors in Antakya. President Erdoğan promised help."
)
FOOTBALL = (
    "Der FC Bayern München hat am Samstag gegen Borussia Dortmund mit 3:1 gewonnen. "
    "Thomas Müller traf zweimal, Leroy Sané einmal. Trainer Tuchel lobte die Mannschaft."
)


def art(
    aid: str,
    text: str,
    title: str | None = None,
    outlet: str | None = None,
    language: str = "de",
    date: str | None = None,
) -> Article:
    a = Article(
        id=aid,
        source=f"{aid}.txt",
        source_format="txt",
        raw_text=text,
        clean_text=text,
        title=title,
        outlet=outlet,
        language=language,
    )
    if date:
        a.published = DateInfo(date, "day" if len(date) == 10 else "month", date, "text")
    return a


def corpus() -> list[Article]:
    return [
        art("quake-de", QUAKE_DE, "Schweres Erdbeben in der Türkei", "Tagesschau", "de", "2023-02-06"),
        art("quake-en", QUAKE_EN, "Strong earthquake hits Turkey", "BBC", "en", "2023-02-06"),
        art("football", FOOTBALL, "Bayern schlägt Dortmund", "Kicker", "de", "2023-02-04"),
    ]


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder(cache_dir=None)


def test_two_outlets_in_two_languages_form_one_story_and_the_rest_stays_alone(embedder: SentenceEmbedder):
    articles = corpus()
    config = StoryConfig.from_config(load_config())  # the calibrated defaults
    f = features(articles, config, embedder)
    clusters = sorted(sorted(articles[i].id for i in c) for c in cluster(f, config))
    assert clusters == [["football"], ["quake-de", "quake-en"]]
    stories = build_stories(articles, cluster(f, config), f, config)
    assert len(stories) == 1  # singletons are not stories
    story = stories[0]
    assert story.id == story_id(["quake-en", "quake-de"])
    assert sorted(story.members) == ["quake-de", "quake-en"]
    assert story.outlets == ["BBC", "Tagesschau"] and story.languages == ["de", "en"]
    assert story.start == story.end == "2023-02-06"
    for name in ("AFAD", "Antakya", "Hatay"):
        assert name in story.evidence["keywords"]
    assert any(name in story.label for name in ("AFAD", "Antakya", "Hatay", "Erdoğan"))
    assert story.cohesion >= config.threshold


def test_lead_texts_and_keywords():
    a = art("x", QUAKE_DE, "Schweres Erdbeben in der Türkei")
    lead = lead_texts(a, 2)
    assert lead[0] == "Schweres Erdbeben in der Türkei" and len(lead) == 3
    keys = keywords(a)
    assert keys["antaky"] == "Antakya" and keys["afad"] == "AFAD"
    assert "ein" not in keys  # the first word of a sentence is no keyword
    a.mentions = [
        Mention(0, 3, "Erdoğan", "PER", actor_id="Q39723"),
        Mention(0, 3, "er", "PER", actor_id="doc:1"),
    ]
    keys = keywords(a)
    assert keys["@Q39723"] == "Erdoğan" and "@doc:1" not in keys


def test_terms_are_folded_stems_of_the_whole_text_without_stopwords_plus_linked_actors():
    a = art(
        "x", "Die Flüchtlinge und den Flüchtlingen halfen Rettungskräfte. Erdoğan und Erdogan kamen.", "Titel"
    )
    counts, surface = terms(a)
    assert counts["flucht"] == 2 and surface["flucht"] == "Flüchtlinge"
    assert counts["erdoga"] == 2 and counts["titel"] == 1 and counts["rettun"] == 1
    assert counts["kamen"] == 1 and counts["halfen"] == 1
    assert not any(k in counts for k in ("und", "die", "den"))  # short words and stopwords
    a.mentions = [
        Mention(0, 3, "Erdoğan", "PER", actor_id="Q39723"),
        Mention(4, 7, "Erdogan", "PER", actor_id="Q39723"),
    ]
    counts, surface = terms(a)
    assert counts["@Q39723"] == 2 and surface["@Q39723"] == "Erdoğan"


def test_key_weights_are_sublinear_tf_idf_and_actors_weigh_more(embedder: SentenceEmbedder):
    a = art("a", "Hatay Hatay Hatay Antakya.")
    b = art("b", "Hatay Provinz.")
    config = StoryConfig(actor_weight=2.0, max_df=1.0)
    f = features([a, b], config, embedder)
    n = 50  # _MIN_CORPUS: idf as if the corpus held 50 articles
    assert f.keys[0]["hatay"] == pytest.approx((1 + math.log(3)) * math.log((n + 1) / 2))
    assert f.keys[0]["antaky"] == pytest.approx(math.log((n + 1) / 1))
    norms = [math.sqrt(sum(w * w for w in k.values())) for k in f.keys]
    expected = f.keys[0]["hatay"] * f.keys[1]["hatay"] / (norms[0] * norms[1])
    assert similarity_matrix(f, [0, 1], config)[0, 1] == pytest.approx(expected, rel=1e-5)
    a.mentions = [Mention(0, 5, "Hatay", "LOC", actor_id="Q83274")]
    f = features([a, b], config, embedder)
    assert f.keys[0]["@Q83274"] == pytest.approx(2.0 * math.log((n + 1) / 1))


def test_embeddings_count_only_across_languages(embedder: SentenceEmbedder):
    v = np.array([[1.0, 0.0], [0.96, 0.28], [0.96, 0.28]])
    keys: list[dict[str, float]] = [{"x": 1.0}, {"y": 1.0}, {"z": 1.0}]
    f = _features(v, keys, [None, None, None], ["de", "fr", "de"])
    config = StoryConfig(threshold=0.2, cross_weight=5.0, cross_cosine=0.90, time_weight=0.0)
    sims = similarity_matrix(f, [0, 1, 2], config)
    assert sims[0, 1] == pytest.approx(5.0 * (0.96 - 0.90), abs=1e-5)  # de–fr: the embedding counts
    assert sims[0, 2] == pytest.approx(0.0)  # de–de: only the (disjoint) keys
    assert sims[1, 2] == pytest.approx(5.0 * (1.0 - 0.90), abs=1e-5)
    # average linkage: {1, 2} at 0.5; 0 joins at (0.3 + 0) / 2 = 0.15 < 0.2
    assert sorted(sorted(c) for c in cluster(f, config)) == [[0], [1, 2]]
    assert sorted(sorted(c) for c in cluster(f, replace(config, threshold=0.15))) == [[0, 1, 2]]
    # an unknown language is treated as the same language
    f = _features(v, keys, [None, None, None], ["de", None, "de"])
    assert similarity_matrix(f, [0, 1], config)[0, 1] == pytest.approx(0.0)


def test_average_linkage_does_not_chain():
    sims = np.array([[1.0, 0.95, 0.5], [0.95, 1.0, 0.95], [0.5, 0.95, 1.0]])
    # single linkage would join all three through b; the mean similarity of c to {a, b} is 0.725
    assert sorted(sorted(c) for c in average_linkage(sims, 0.9)) == [[0, 1], [2]]
    assert sorted(sorted(c) for c in average_linkage(sims, 0.7)) == [[0, 1, 2]]
    assert average_linkage(np.ones((1, 1)), 0.5) == [[0]]


def _features(
    vectors: np.ndarray,
    keys: list[dict[str, float]],
    days: list[float | None],
    languages: list[str | None] | None = None,
) -> Features:
    norms = np.array([math.sqrt(sum(w * w for w in k.values())) or 1.0 for k in keys])
    return Features(vectors.astype(np.float32), keys, norms, {}, days, languages or [])


def test_the_sparse_and_dense_paths_agree():
    rng = np.random.default_rng(3)
    base = rng.normal(size=(6, 16))
    vectors = np.repeat(base, 5, axis=0) + 0.35 * rng.normal(size=(30, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = [
        {f"k{i // 5}": float(rng.uniform(0.5, 2)), f"n{i}": 1.0, f"m{i % 4}": 0.7}
        if i % 2
        else {f"n{i}": 1.0}
        for i in range(30)
    ]
    days: list[float | None] = [float(i * 7) if i % 3 else None for i in range(30)]
    languages: list[str | None] = [("de", "fr", None)[i % 3] for i in range(30)]
    f = _features(vectors, keys, days, languages)
    for threshold, weight in ((0.3, 2.0), (0.5, 5.0), (0.2, 0.0)):
        config = StoryConfig(threshold=threshold, cross_weight=weight, cross_cosine=0.5, time_weight=0.1)
        sims = similarity_matrix(f, range(30), config)
        dense = sorted(sorted(c) for c in cluster_matrix(sims, threshold))
        assert sorted(sorted(c) for c in cluster(f, config)) == dense
        assert any(len(c) > 1 for c in dense) and len(dense) > 1  # the case is not trivial


def test_time_decay_penalises_distant_dates_and_undated_articles_are_neutral():
    v = np.ones((4, 4)) / 2.0
    keys: list[dict[str, float]] = [{"k": 1.0}, {"k": 1.0}, {"k": 1.0}, {"k": 1.0}]
    day0 = float(738000)
    f = _features(v, keys, [day0, day0 + 1, day0 + 730, None])
    config = StoryConfig(threshold=0.95, time_weight=0.1, time_scale_days=30.0)
    sims = similarity_matrix(f, [0, 1, 2, 3], config)
    assert sims[0, 1] == pytest.approx(1 - 0.1 * (1 - math.exp(-1 / 30)), abs=1e-6)
    assert sims[0, 2] == pytest.approx(0.9, abs=1e-4)  # two years apart: the whole penalty
    assert sims[0, 3] == pytest.approx(1.0) and sims[2, 3] == pytest.approx(1.0)  # undated: neutral
    assert sorted(sorted(c) for c in cluster(f, config)) == [[0, 1, 3], [2]]


def test_story_ids_are_stable_content_hashes():
    assert story_id(["b", "a"]) == story_id(["a", "b"]) != story_id(["a", "c"])
    assert story_id(["a"]).startswith("story-") and len(story_id(["a"])) == 22


def test_find_stories_needs_two_articles(embedder: SentenceEmbedder):
    assert find_stories(corpus()[:1], embedder=embedder) == []


def test_reuse_edges_keep_their_method():
    translated = Edge("a", "b", "translates", 0.9, "e5-align", {"direction": "publication dates"})
    back = ReuseEdge.from_edge(translated)
    assert back.method == "e5-align" and back.direction_evidence == "publication dates"
    assert back.to_edge() == translated
    assert ReuseEdge("a", "b", "reposts", 0.5).to_edge().method == "minhash"


def test_api_stores_stories_after_analyze_and_lists_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for a in corpus():
        (folder / f"{a.id}.txt").write_text(f"{a.title}\n\n{a.clean_text}\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    config = load_config(
        overrides=[
            'pipeline.stages=["language","clean","metadata","sentences"]',
            f'stories.cache_dir="{tmp_path / "cache"}"',
        ]
    )
    summary = api.analyze([str(folder)], db=db, config=config)
    assert summary.stories is not None and len(summary.stories) == 1
    stored = api.stories(db)
    assert [sorted(s.members) for s in stored] == [sorted(summary.stories[0].members)]
    assert len(stored[0].members) == 2 and stored[0].languages == ["de", "en"]
    one = stored[0].members[0]
    assert api.stories(db, article_id=one)[0].id == stored[0].id
    story, members = api.story(db, stored[0].id)
    assert {m.id for m in members} == set(story.members)
    # a rerun replaces the stories (same members: same id)
    again = api.find_stories(db, config)
    assert [s.id for s in again] == [s.id for s in stored]
    store = open_store(db)
    assert len(store.stories()) == 1
    store.close()
