"""What story clustering compares: full-text TF-IDF keys, linked actors, lead embeddings, languages, dates.

Each article is described by

* **keys**: the words of its title and text (4+ letters, casefolded, accents folded, cut to their first
  6 letters so "Flüchtlinge"/"Flüchtlingen" and "Erdoğan"/"Erdogan" meet; a short German/English
  stopword list left out), weighted by sublinear term frequency × inverse document frequency in the
  corpus (``1 + ln tf`` × ``ln((N + 1) / df)``, ``N`` at least ``_MIN_CORPUS`` so small sets stay
  stable); keys found in more than ``max_df`` of the articles are left out. When the
  ``entities``/``link`` stages ran, the knowledge-base actors its mentions were linked to are extra keys
  ("@" + actor id), their weight multiplied by ``actor_weight`` (they also match across languages);
* a **document embedding**: the L2-normalised mean of the multilingual-e5-small passage embeddings of
  its title and lead (the first ``lead_sentences`` sentences), from the cached sentence embedder of
  :mod:`lagebild.reuse.sentembed`;
* its **language** and **publication date** (when known to the month or day).

The similarity of two articles (:func:`similarity_block`) is the cosine of their key vectors; for two
articles whose languages differ (both known) ``cross_weight × (cosine(embeddings) − cross_cosine)`` is
added, because their words rarely meet while e5 is cross-lingual (within one language the embedding
separates topics, not events, and adds nothing measurable, see BENCHMARKS.md); two dated articles lose
``time_weight × (1 − exp(−|Δ days| / time_scale_days))``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from lagebild.model import Article
from lagebild.reuse.sentembed import DIM, SentenceEmbedder, doc_vector
from lagebild.reuse.translation import sentence_texts

if TYPE_CHECKING:
    from lagebild.config import Config

__all__ = [
    "StoryConfig",
    "Features",
    "STOPWORDS",
    "lead_texts",
    "keywords",
    "terms",
    "features",
    "similarity_block",
]

_WORD = re.compile(r"(?:\b[lLdDjJnNmMsStTcCqu]{1,2}['’])?([^\W\d_][\w\-’']*)")
_TERM = re.compile(r"[^\W\d_][\w\-]+")
_MIN_CORPUS = 50  # idf as if the corpus held at least this many articles (small sets stay stable)
_STOPWORDS = (
    # German (4+ letters; shorter words are never keys)
    "aber alle allem allen aller alles also ander andere anderem anderen anderer anderes anderm andern "
    "anders auch bereits damit dann dass daß dein deine derzeit diese diesem diesen dieser dieses doch "
    "drei durch eine einem einen einer eines etwa für gegen habe haben hatte hatten heißt hier ihre ihrem "
    "ihren ihrer jahr jahre jahren jetzt kann kein keine können könnte laut mehr muss müssen nach nicht "
    "noch oder prozent sagte schon sehr sein seine seinem seinen seiner seit sich sind soll sollen sowie "
    "über unter viel vier waren weil wenn werden wieder will wird wollen worden wurde wurden zudem zwei "
    "zwischen ersten erste neue neuen neuer "
    # English
    "about after also been before being between both could during each from have having into just "
    "more most much only other over said says such than that their them then there these they this "
    "those through under very were what when where which while will with would year years"
)
STOPWORDS = frozenset(_STOPWORDS.split())


@dataclass
class StoryConfig:
    """Clustering settings; ``from_config`` reads ``[stories]`` (defaults: the calibrated fit)."""

    threshold: float = 0.155
    actor_weight: float = 1.0  # linked-actor keys weigh this much relative to word keys
    cross_weight: float = 5.0  # across languages: + cross_weight × (embedding cosine − cross_cosine)
    cross_cosine: float = 0.90
    time_weight: float = 0.05
    time_scale_days: float = 30.0
    max_df: float = 0.5  # keys in more than this share of the articles are ignored
    lead_sentences: int = 3
    min_members: int = 2  # smaller clusters are not stored as stories

    @classmethod
    def from_config(cls, config: Config) -> StoryConfig:
        s = config["stories"]
        return cls(
            threshold=float(s["threshold"]),
            actor_weight=float(s["actor_weight"]),
            cross_weight=float(s["cross_weight"]),
            cross_cosine=float(s["cross_cosine"]),
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
    keys: list[dict[str, float]]  # key → tf-idf weight ("@Q159" for actors, folded word stems else)
    norms: np.ndarray  # the L2 norm of each article's key weights
    surfaces: dict[str, Counter[str]]  # key → surface forms seen
    days: list[float | None]  # days since 1970 of the publication date (None: undated or only a year)
    languages: list[str | None] = field(default_factory=list)  # empty: all one language
    _postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(init=False, repr=False)
    _shared: list[list[tuple[str, float]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """An inverted index of the keys at least two articles share (normalised weights)."""
        docs: dict[str, list[int]] = {}
        for i, keys in enumerate(self.keys):
            for k in keys:
                docs.setdefault(k, []).append(i)
        self._postings = {
            k: (np.array(ids), np.array([self.keys[i][k] / self.norms[i] for i in ids], dtype=np.float32))
            for k, ids in docs.items()
            if len(ids) > 1
        }
        self._shared = [
            [(k, w / float(self.norms[i])) for k, w in keys.items() if k in self._postings]
            for i, keys in enumerate(self.keys)
        ]

    def key_rows(self, rows: Sequence[int]) -> np.ndarray:
        """The key cosine of each of ``rows`` with every article: (len(rows), n)."""
        out = np.zeros((len(rows), len(self.keys)), dtype=np.float32)
        for r, i in enumerate(rows):
            acc = out[r]
            for k, w in self._shared[i]:
                ids, weights = self._postings[k]
                acc[ids] += w * weights
        return out


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
    """Names of an article (key → a surface form), for labels and outlet comparisons: linked actors
    ("@" + actor id) and, for unlinked mentions, the stems of their capitalised words (with entity
    mentions), else its capitalised words (not the first word of a sentence, 3+ letters, Latin script).
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


def terms(article: Article) -> tuple[Counter[str], dict[str, str]]:
    """Word keys of the title and text: stem → count, stem → the first surface form; linked actors
    ("@" + actor id) → mention count and their first mention text."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    text = f"{article.title or ''}\n{article.clean_text or article.raw_text}"
    for match in _TERM.finditer(text):
        word = match.group(0).strip("-")
        folded = _fold(word)
        if len(folded) < 4 or folded in STOPWORDS:
            continue
        counts[folded[:6]] += 1
        surface.setdefault(folded[:6], word)
    for mention in article.mentions:
        if mention.actor_id and not mention.actor_id.startswith("doc:"):
            counts["@" + mention.actor_id] += 1
            surface.setdefault("@" + mention.actor_id, mention.text)
    return counts, surface


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
    """Embeddings (cached per lead), tf-idf keys, languages and dates of ``articles``."""
    config = config or StoryConfig()
    embedder = embedder or SentenceEmbedder()
    vectors = np.zeros((len(articles), DIM), dtype=np.float32)
    # The embeddings only score pairs in different languages (similarity_block): a corpus in one
    # language needs none, which saves the encoder pass over every lead (most of the story time).
    if config.cross_weight and len({a.language for a in articles if a.language}) > 1:
        for i, article in enumerate(articles):
            if article.language:
                vectors[i] = doc_vector(embedder.embed_cached(lead_texts(article, config.lead_sentences)))
    raw = [terms(a) for a in articles]
    df = Counter(k for counts, _ in raw for k in counts)
    n = max(len(articles), _MIN_CORPUS)
    limit = max(2.0, config.max_df * n)
    surfaces: dict[str, Counter[str]] = {}
    weighted: list[dict[str, float]] = []
    for counts, surface in raw:
        keys: dict[str, float] = {}
        for k, c in counts.items():
            if df[k] <= limit:
                boost = config.actor_weight if k.startswith("@") else 1.0
                keys[k] = boost * (1.0 + math.log(c)) * math.log((n + 1) / df[k])
        weighted.append(keys)
        for k, form in surface.items():
            surfaces.setdefault(k, Counter())[form] += 1
    norms = np.array([math.sqrt(sum(w * w for w in keys.values())) or 1.0 for keys in weighted])
    languages = [a.language for a in articles]
    return Features(vectors, weighted, norms, surfaces, [_days(a) for a in articles], languages)


def similarity_block(
    f: Features, rows: Sequence[int], cols: Sequence[int] | None, config: StoryConfig
) -> np.ndarray:
    """The combined similarity of each of ``rows`` with each of ``cols`` (None: every article);
    an article with itself scores 1."""
    rows = list(rows)
    cols_idx = np.arange(len(f.keys)) if cols is None else np.asarray(list(cols), dtype=np.int64)
    sims = f.key_rows(rows)[:, cols_idx].astype(np.float64)
    if f.languages and config.cross_weight:
        langs = np.array([lang or "" for lang in f.languages], dtype=object)
        rl, cl = langs[rows][:, None], langs[cols_idx][None, :]
        differ = (rl != cl) & (rl != "") & (cl != "")
        if differ.any():
            cos = f.vectors[rows] @ f.vectors[cols_idx].T
            sims += np.where(differ, config.cross_weight * (cos - config.cross_cosine), 0.0)
    if config.time_weight:
        days = np.array([np.nan if d is None else d for d in f.days], dtype=np.float64)
        gap = np.abs(days[rows][:, None] - days[cols_idx][None, :])
        decay = 1.0 - np.exp(-np.nan_to_num(gap) / max(config.time_scale_days, 1e-9))
        sims -= config.time_weight * np.where(np.isnan(gap), 0.0, decay)
    sims[np.asarray(rows)[:, None] == cols_idx[None, :]] = 1.0
    return sims
