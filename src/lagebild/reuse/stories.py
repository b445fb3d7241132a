"""Stories: clusters of articles about the same event or topic, across outlets, languages and time.

Each article is described by three things:

* a **document embedding**: the L2-normalised mean of the multilingual-e5-small passage embeddings
  of its title and lead (the first ``lead_sentences`` sentences), from the cached sentence
  embedder of :mod:`lagebild.reuse.sentembed` (offline, cross-lingual);
* **keys**: the knowledge-base actors its mentions were linked to and the names of its other
  entity mentions (when the ``entities``/``link`` stages ran), else its capitalised words that do
  not open a sentence (accents folded, the first 6 letters, so "Puchers"/"Pucher" and
  "Erdoğan"/"Erdogan" meet across inflection and languages), each weighted by its inverse
  document frequency in the corpus; keys found in more than ``max_df`` of the articles (in
  German: the common nouns) are left out;
* its **publication date**, when known to the month or day.

The similarity of two articles is ``cosine(embeddings) + entity_weight × cosine(idf-weighted keys)
− time_weight × (1 − exp(−|Δ days| / time_scale_days))``; undated articles get no time penalty.
Articles are grouped by **average-linkage agglomerative clustering** cut at ``threshold``: two
clusters merge while the mean similarity of all their cross pairs reaches it, so every story is
cohesive as a whole, not a chain of neighbours. The candidate graph (pairs that could reach the
threshold) splits the corpus into components first; average linkage never merges across them.

``threshold``, ``entity_weight`` and ``max_df`` are fitted on the calibration half of a hand-annotated
gold set (``bench/stories.py``); the defaults in ``[stories]`` of ``defaults.toml`` are that fit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from lagebild.model import Article
from lagebild.reuse.sentembed import DIM, SentenceEmbedder, doc_vector
from lagebild.reuse.translation import sentence_texts
from lagebild.store import Story

if TYPE_CHECKING:
    from lagebild.config import Config

__all__ = [
    "METHOD",
    "StoryConfig",
    "Features",
    "lead_texts",
    "keywords",
    "features",
    "similarity_matrix",
    "average_linkage",
    "cluster",
    "cluster_matrix",
    "build_stories",
    "find_stories",
    "story_id",
]

METHOD = "e5-lead+keys/avg-link"
_WORD = re.compile(r"(?:\b[lLdDjJnNmMsStTcCqu]{1,2}['’])?([^\W\d_][\w\-’']*)")
_MIN_CORPUS = 50  # idf as if the corpus held at least this many articles (small sets stay stable)


@dataclass
class StoryConfig:
    """Clustering settings; ``from_config`` reads ``[stories]`` (defaults: the calibrated fit)."""

    threshold: float = 1.095
    entity_weight: float = 1.5
    time_weight: float = 0.1
    time_scale_days: float = 30.0
    max_df: float = 1.0  # keys in more than this share of the articles (common nouns) are ignored
    lead_sentences: int = 3
    min_members: int = 2  # smaller clusters are not stored as stories

    @classmethod
    def from_config(cls, config: Config) -> StoryConfig:
        s = config["stories"]
        return cls(
            threshold=float(s["threshold"]),
            entity_weight=float(s["entity_weight"]),
            time_weight=float(s["time_weight"]),
            time_scale_days=float(s["time_scale_days"]),
            max_df=float(s["max_df"]),
            lead_sentences=int(s["lead_sentences"]),
            min_members=int(s["min_members"]),
        )


@dataclass
class Features:
    """What the clustering compares: one row per article."""

    vectors: np.ndarray  # (n, 384) normalised document embeddings
    keys: list[dict[str, float]]  # key → idf weight ("@Q159" for actors, folded word stems else)
    norms: np.ndarray  # the L2 norm of each article's key weights
    surfaces: dict[str, Counter[str]]  # key → surface forms seen
    days: list[float | None]  # days since 1970 of the publication date (None: undated or only a year)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def lead_texts(article: Article, lead_sentences: int = 3) -> list[str]:
    """The title and the first ``lead_sentences`` sentences (a sentence repeating the title skipped)."""
    out = [" ".join(article.title.split())] if article.title else []
    for sentence in sentence_texts(article):
        if len(out) >= lead_sentences + (1 if article.title else 0):
            break
        if sentence not in out:
            out.append(sentence)
    return out or [" ".join((article.clean_text or article.raw_text).split())[:500]]


def keywords(article: Article) -> dict[str, str]:
    """Keys of an article → a surface form. With entity mentions (the ``entities`` stage ran): linked
    actors ("@" + actor id) and, for unlinked mentions, the stems of their capitalised words. Without
    mentions: its capitalised words (not the first word of a sentence, 3+ letters, Latin script).
    A stem is the folded first 6 letters."""
    out: dict[str, str] = {}
    if article.mentions:
        for mention in article.mentions:
            if mention.actor_id and not mention.actor_id.startswith("doc:"):
                out.setdefault("@" + mention.actor_id, mention.text)
            else:
                for match in _WORD.finditer(mention.text):
                    _add(out, match.group(1), mention.text)
        return out
    sentences = ([article.title] if article.title else []) + sentence_texts(article)
    for sentence in sentences:
        for k, match in enumerate(_WORD.finditer(sentence)):
            if k:
                _add(out, match.group(1), None)
    return out


def _add(out: dict[str, str], word: str, surface: str | None) -> None:
    word = word.strip("-’'")
    if len(word) < 3 or not word[0].isupper():
        return
    folded = _fold(word)
    if folded.isascii() and folded.isalpha():
        out.setdefault(folded[:6], surface or word)


def _days(article: Article) -> float | None:
    if article.published is None:
        return None
    value = article.published.value
    try:
        if len(value) >= 10:
            day = dt.date.fromisoformat(value[:10])
        elif len(value) >= 7:
            day = dt.date(int(value[:4]), int(value[5:7]), 15)
        else:
            return None
    except ValueError:
        return None
    return float(day.toordinal())


def features(
    articles: Sequence[Article], config: StoryConfig | None = None, embedder: SentenceEmbedder | None = None
) -> Features:
    """Embeddings (cached per lead), idf-weighted keys and dates of ``articles``."""
    config = config or StoryConfig()
    embedder = embedder or SentenceEmbedder()
    vectors = np.zeros((len(articles), DIM), dtype=np.float32)
    for i, article in enumerate(articles):
        vectors[i] = doc_vector(embedder.embed_cached(lead_texts(article, config.lead_sentences)))
    raw = [keywords(a) for a in articles]
    df = Counter(k for keys in raw for k in keys)
    n = max(len(articles), _MIN_CORPUS)
    limit = max(2.0, config.max_df * n)
    surfaces: dict[str, Counter[str]] = {}
    weighted: list[dict[str, float]] = []
    for keys in raw:
        weighted.append({k: math.log((n + 1) / df[k]) for k in keys if df[k] <= limit})
        for k, surface in keys.items():
            surfaces.setdefault(k, Counter())[surface] += 1
    norms = np.array([math.sqrt(sum(w * w for w in keys.values())) or 1.0 for keys in weighted])
    return Features(vectors, weighted, norms, surfaces, [_days(a) for a in articles])


def _key_cosine(f: Features, i: int, j: int) -> float:
    a, b = f.keys[i], f.keys[j]
    if len(a) > len(b):
        a, b = b, a
    shared = sum(w * w for k, w in a.items() if k in b)
    return float(shared / (f.norms[i] * f.norms[j]))


def _penalty(f: Features, i: int, j: int, config: StoryConfig) -> float:
    di, dj = f.days[i], f.days[j]
    if di is None or dj is None or config.time_weight == 0:
        return 0.0
    return config.time_weight * (1.0 - math.exp(-abs(di - dj) / max(config.time_scale_days, 1e-9)))


def similarity_matrix(f: Features, members: Sequence[int], config: StoryConfig) -> np.ndarray:
    """The combined similarity of every pair among ``members`` (the diagonal is 1)."""
    idx = list(members)
    sims: np.ndarray = f.vectors[idx] @ f.vectors[idx].T
    for a in range(len(idx)):
        for b in range(a + 1, len(idx)):
            i, j = idx[a], idx[b]
            extra = config.entity_weight * _key_cosine(f, i, j) - _penalty(f, i, j, config)
            sims[a, b] += extra
            sims[b, a] += extra
    np.fill_diagonal(sims, 1.0)
    return sims


def _components(f: Features, config: StoryConfig, block: int = 1024) -> list[list[int]]:
    """Connected components of the pairs whose combined similarity reaches the threshold."""
    n = len(f.vectors)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    floor = config.threshold - max(0.0, config.entity_weight)  # the key overlap adds at most this
    for start in range(0, n, block):
        cos = f.vectors[start : start + block] @ f.vectors.T
        rows, cols = np.nonzero(cos >= floor)
        for r, j in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if j <= i or find(i) == find(j):
                continue
            sim = float(cos[r, j]) + config.entity_weight * _key_cosine(f, i, j) - _penalty(f, i, j, config)
            if sim >= config.threshold:
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
    """The actors and keyword keys shared by the most members (at least two, else none)."""
    counts = Counter(k for i in members for k in f.keys[i])
    need = 2 if len(members) > 1 else 1
    weight = {k: f.keys[i][k] for i in members for k in f.keys[i]}
    shared = sorted((k for k, c in counts.items() if c >= need), key=lambda k: (-counts[k], -weight[k], k))
    actors = [k for k in shared if k.startswith("@")][:limit]
    words = [k for k in shared if not k.startswith("@")][:limit]
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
