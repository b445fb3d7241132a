"""Stories: clusters of articles about the same event or topic, across outlets, languages and time.

Articles are compared by :mod:`lagebild.reuse.story_features`: the cosine of their full-text
TF-IDF keys (words, plus linked actors when the ``entities``/``link`` stages ran), for articles in
different languages plus ``cross_weight × (cosine of the e5 title+lead embeddings − cross_cosine)``,
minus a time decay for dated articles. Articles are grouped by **average-linkage agglomerative
clustering** cut at ``threshold``: two clusters merge while the mean similarity of all their cross
pairs reaches it, so every story is cohesive as a whole, not a chain of neighbours. The pairs that
reach the threshold split the corpus into components first (computed block by block through an
inverted index of the keys); average linkage never merges across them.

``threshold`` and ``max_df`` are fitted on the calibration half of a hand-annotated German gold set,
``cross_weight`` and ``cross_cosine`` on the calibration half of WMT21 German–French document pairs
(``bench/stories.py``); the defaults in ``[stories]`` of ``defaults.toml`` are that fit.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from lagebild.model import Article
from lagebild.reuse.sentembed import SentenceEmbedder
from lagebild.reuse.story_features import (
    Features,
    StoryConfig,
    features,
    keywords,
    lead_texts,
    similarity_block,
    terms,
)
from lagebild.store import Story

__all__ = [
    "METHOD",
    "StoryConfig",
    "Features",
    "lead_texts",
    "keywords",
    "terms",
    "features",
    "similarity_matrix",
    "average_linkage",
    "cluster",
    "cluster_matrix",
    "build_stories",
    "find_stories",
    "story_id",
]

METHOD = "tfidf-keys+e5-cross/avg-link"


def similarity_matrix(f: Features, members: Sequence[int], config: StoryConfig) -> np.ndarray:
    """The combined similarity of every pair among ``members`` (the diagonal is 1)."""
    return similarity_block(f, members, members, config)


def _components(f: Features, config: StoryConfig, block: int = 256) -> list[list[int]]:
    """Connected components of the pairs whose combined similarity reaches the threshold."""
    n = len(f.keys)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for start in range(0, n, block):
        rows = list(range(start, min(n, start + block)))
        sims = similarity_block(f, rows, None, config)
        hit_rows, cols = np.nonzero(sims >= config.threshold)
        for r, j in zip(hit_rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if j > i:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def average_linkage(sims: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerative clustering with average linkage, stopped when no two clusters reach ``threshold``.

    ``sims`` is a symmetric similarity matrix; returns clusters as lists of row indices.
    """
    m = len(sims)
    clusters: list[list[int]] = [[i] for i in range(m)]
    if m < 2:
        return clusters
    avg = sims.astype(np.float64).copy()
    np.fill_diagonal(avg, -np.inf)
    sizes = np.ones(m)
    alive = np.ones(m, dtype=bool)
    while True:
        flat = int(np.argmax(avg))
        i, j = divmod(flat, m)
        if not np.isfinite(avg[i, j]) or avg[i, j] < threshold:
            break
        merged = (sizes[i] * avg[i] + sizes[j] * avg[j]) / (sizes[i] + sizes[j])  # Lance-Williams
        avg[i], avg[:, i] = merged, merged
        avg[i, i] = -np.inf
        avg[j], avg[:, j] = -np.inf, -np.inf
        avg[i, ~alive] = -np.inf
        avg[~alive, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        clusters[i].extend(clusters[j])
        clusters[j] = []
    return [c for c in clusters if c]


def cluster(f: Features, config: StoryConfig | None = None) -> list[list[int]]:
    """Every article in exactly one cluster (singletons included), as lists of indices into ``f``."""
    config = config or StoryConfig()
    out: list[list[int]] = []
    for component in _components(f, config):
        if len(component) == 1:
            out.append(component)
            continue
        sims = similarity_matrix(f, component, config)
        out.extend([component[k] for k in part] for part in average_linkage(sims, config.threshold))
    return out


def cluster_matrix(sims: np.ndarray, threshold: float) -> list[list[int]]:
    """The clusters of :func:`cluster` from a precomputed dense similarity matrix (for calibration grids)."""
    n = len(sims)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows, cols = np.nonzero(np.triu(sims >= threshold, 1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out: list[list[int]] = []
    for component in groups.values():
        part = sims[np.ix_(component, component)]
        out.extend([component[k] for k in c] for c in average_linkage(part, threshold))
    return out


def story_id(member_ids: Sequence[str]) -> str:
    """A stable id: the hash of the sorted member ids."""
    digest = hashlib.sha256("\x1f".join(sorted(member_ids)).encode()).hexdigest()
    return "story-" + digest[:16]


def _label_keys(f: Features, members: list[int], limit: int) -> tuple[list[str], list[str]]:
    """The actors and capitalised keys (names, German nouns) shared by the most members (at least two,
    else none), then by the highest tf-idf weight."""
    counts = Counter(k for i in members for k in f.keys[i])
    need = 2 if len(members) > 1 else 1
    weight: dict[str, float] = {}
    for i in members:
        for k, w in f.keys[i].items():
            weight[k] = max(weight.get(k, 0.0), w)
    shared = sorted((k for k, c in counts.items() if c >= need), key=lambda k: (-counts[k], -weight[k], k))
    actors = [k for k in shared if k.startswith("@")][:limit]
    words = [k for k in shared if not k.startswith("@") and f.surfaces[k].most_common(1)[0][0][:1].isupper()]
    words = words[:limit]
    return actors, words


def build_stories(
    articles: Sequence[Article],
    clusters: list[list[int]],
    f: Features,
    config: StoryConfig | None = None,
    actor_names: dict[str, str] | None = None,
) -> list[Story]:
    """Stories from clusters: id, label (shared actors, then keywords), dates, outlets, languages."""
    config = config or StoryConfig()
    names = actor_names or {}
    stories: list[Story] = []
    for members in clusters:
        if len(members) < config.min_members:
            continue
        sims = similarity_matrix(f, members, config)
        n = len(members)
        centrality = (sims.sum(1) - 1.0) / max(1, n - 1)
        cohesion = float((sims.sum() - n) / (n * (n - 1))) if n > 1 else 1.0
        order = sorted(range(n), key=lambda k: (-centrality[k], articles[members[k]].id))
        ordered = [members[k] for k in order]
        actors, words = _label_keys(f, ordered, 6)
        actor_labels = [names.get(k[1:]) or f.surfaces[k].most_common(1)[0][0] for k in actors]
        word_labels = [f.surfaces[k].most_common(1)[0][0] for k in words]
        parts = list(dict.fromkeys(actor_labels[:3] + word_labels))[:4]
        head = articles[ordered[0]]
        label = ", ".join(parts) if parts else (head.title or lead_texts(head, 1)[0])[:100]
        dates = sorted(a.published.value for a in (articles[i] for i in members) if a.published)
        evidence: dict[str, Any] = {
            "actors": [k[1:] for k in actors],
            "keywords": word_labels,
            "headline": head.title or "",
            "method": METHOD,
            "threshold": config.threshold,
        }
        stories.append(
            Story(
                id=story_id([articles[i].id for i in members]),
                label=label,
                members=[articles[i].id for i in ordered],
                start=dates[0] if dates else None,
                end=dates[-1] if dates else None,
                outlets=sorted({o for i in members if (o := articles[i].outlet)}),
                languages=sorted({lang for i in members if (lang := articles[i].language)}),
                cohesion=round(cohesion, 4),
                evidence=evidence,
            )
        )
    stories.sort(key=lambda s: (-len(s.members), s.start or "9999", s.id))
    return stories


def find_stories(
    articles: Sequence[Article],
    config: StoryConfig | None = None,
    embedder: SentenceEmbedder | None = None,
    actor_names: dict[str, str] | None = None,
) -> list[Story]:
    """The stories (clusters of at least ``min_members`` articles) among ``articles``."""
    config = config or StoryConfig()
    if len(articles) < max(2, config.min_members):
        return []
    f = features(articles, config, embedder)
    return build_stories(articles, cluster(f, config), f, config, actor_names)
