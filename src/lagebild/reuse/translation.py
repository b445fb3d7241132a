"""Cross-language translation detection with sentence and paragraph alignment.

Two steps, so that the embedding model only sees likely pairs:

1. **Blocking** (cheap, no model): documents in different languages whose lengths are within
   ``max_length_ratio`` of each other and that share at least ``min_shared`` *anchors*: numbers
   (separators dropped, two digits or more) and Latin-script capitalised words that do not open a
   sentence (accents folded, elided French articles cut, the first 6 letters, so "Pucher"/"Puchers"
   and "SPÖ"/"SPÖ" meet). Anchors found in more than ``max_df`` documents are ignored; candidate
   pairs come from an inverted index over anchors. Documents with fewer than ``min_anchors``
   usable anchors are paired with every other-language document of fitting length.
2. **Scoring**: multilingual-e5-small sentence embeddings (cached, see
   :mod:`lagebild.reuse.sentembed`); sentence i of A and j of B are *aligned* when each is the
   other's most similar sentence and their cosine is at least ``sentence_threshold``. The pair is
   a translation when ``coverage`` (aligned sentences / sentences of the shorter document) reaches
   ``coverage_threshold`` and the document cosine (normalised mean of sentence vectors) reaches
   ``doc_threshold``.

The thresholds are fitted on the calibration half of WMT21 (``bench/translations.py``) with
:func:`fit_thresholds`; the defaults below are that fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from lagebild.model import Article
from lagebild.reuse.sentembed import SentenceEmbedder, doc_vector
from lagebild.store import Edge

__all__ = [
    "TranslationConfig",
    "PairScore",
    "anchors",
    "sentence_texts",
    "paragraph_of_sentences",
    "candidate_pairs",
    "score_embeddings",
    "align_paragraphs",
    "fit_blocking",
    "fit_thresholds",
    "find_translations",
    "METHOD",
]

METHOD = "e5-align"
_NUMBER = re.compile(r"\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"(?:\b[lLdDjJnNmMsStTcCqu]{1,2}['’])?([^\W\d_][\w\-’']*)")


@dataclass
class TranslationConfig:
    """Blocking and decision thresholds (defaults: fitted on the WMT21 calibration half)."""

    # Fitted by bench/translations.py (seed 20261123) on the WMT21 calibration half, rounded.
    max_length_ratio: float = 1.57  # characters of the longer / the shorter document
    min_shared: int = 1  # shared anchors for a candidate pair
    min_anchors: int = 3  # documents with fewer usable anchors are paired by length alone
    max_df: float = 0.2  # anchors in more than this share of documents (and > 10) are ignored
    sentence_threshold: float = 0.88
    coverage_threshold: float = 0.486
    doc_threshold: float = 0.915
    evidence_pairs: int = 12  # aligned sentence pairs quoted in an edge's evidence


@dataclass
class PairScore:
    coverage: float
    doc_cosine: float
    aligned: list[tuple[int, int, float]] = field(default_factory=list)  # (i in A, j in B, cosine)
    mean_aligned: float = 0.0
    # Sentences of the shorter document matched beyond the 1:1 alignment: ((A first, A last),
    # (B first, B last), cosine); one side is a single sentence, the other one or two (merged/split).
    partial: list[tuple[tuple[int, int], tuple[int, int], float]] = field(default_factory=list)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _spans(article: Article) -> list[tuple[int, int]]:
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    from lagebild.stages.sentences import split_regex

    return [(s.start, s.end) for s in split_regex(article.clean_text or article.raw_text)]


def sentence_texts(article: Article) -> list[str]:
    """The article's sentences (from the sentences stage when it ran, else the regex splitter)."""
    text = article.clean_text or article.raw_text
    spans = [" ".join(text[a:b].split()) for a, b in _spans(article)]
    return [s for s in spans if s]


def paragraph_of_sentences(article: Article) -> list[int]:
    """For each sentence of :func:`sentence_texts`, the index of its paragraph (blank-line blocks)."""
    text = article.clean_text or article.raw_text
    breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
    starts = [a for a, b in _spans(article) if text[a:b].strip()]
    return [sum(1 for b in breaks if b <= start) for start in starts]


def anchors(sentences: list[str]) -> set[str]:
    """Language-independent tokens of a document: numbers and capitalised Latin-script words."""
    out: set[str] = set()
    for sentence in sentences:
        for number in _NUMBER.findall(sentence):
            digits = re.sub(r"\D", "", number)
            if len(digits) >= 2:
                out.add("#" + digits)
        for k, match in enumerate(_WORD.finditer(sentence)):
            word = match.group(1)
            if k == 0 or not word[0].isupper() or len(word) < 3:
                continue
            folded = _fold(word)
            if folded.isascii():
                out.add(folded[:6])
    return out


def _char_len(article: Article) -> int:
    return max(1, len((article.clean_text or article.raw_text).strip()))


def _usable(sets: list[set[str]], config: TranslationConfig) -> list[set[str]]:
    """Anchor sets without the anchors that occur in too many documents."""
    df = Counter(a for s in sets for a in s)
    limit = max(10, int(config.max_df * len(sets)))
    return [{a for a in s if df[a] <= limit} for s in sets]


def fit_blocking(
    articles: list[Article],
    labels: list[bool],
    pairs: list[tuple[int, int]],
    anchor_sets: list[set[str]],
    base: TranslationConfig | None = None,
    slack: float = 1.15,
) -> TranslationConfig:
    """Blocking fitted on labelled pairs: the length ratio of the most unequal positive × ``slack``;
    the most shared anchors (at most 3) that every positive still has; and ``min_anchors`` one above
    what any positive short of shared anchors has, so such pairs are compared by length alone."""
    config = TranslationConfig(**asdict(base or TranslationConfig()))
    usable = _usable(anchor_sets, config)
    lengths = [_char_len(a) for a in articles]
    positives = [p for p, y in zip(pairs, labels, strict=True) if y]
    if not positives:
        return config
    ratios = [max(lengths[i], lengths[j]) / min(lengths[i], lengths[j]) for i, j in positives]
    shared = [len(usable[i] & usable[j]) for i, j in positives]
    config.max_length_ratio = round(max(ratios) * slack, 3)
    config.min_shared = max(1, min(3, min(shared)))
    # Positives that share too few anchors (exonyms: "Liège"/"Lüttich") must come in as anchor-poor.
    missed = [min(len(usable[i]), len(usable[j])) for (i, j), k in zip(positives, shared, strict=True)]
    missed = [m for m, k in zip(missed, shared, strict=True) if k < config.min_shared]
    config.min_anchors = max([config.min_shared, *(m + 2 for m in missed)])
    return config


def candidate_pairs(
    articles: list[Article], config: TranslationConfig, anchor_sets: list[set[str]] | None = None
) -> list[tuple[int, int]]:
    """Index pairs (i < j) that pass blocking: different languages, length ratio, shared anchors."""
    sets = _usable(
        anchor_sets if anchor_sets is not None else [anchors(sentence_texts(a)) for a in articles], config
    )
    n = len(articles)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for anchor in s:
            postings[anchor].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                shared[(ids[x], ids[y])] += 1
    poor = [i for i, s in enumerate(sets) if len(s) < max(config.min_anchors, config.min_shared)]
    pairs = {p for p, c in shared.items() if c >= config.min_shared}
    pairs |= {(min(i, j), max(i, j)) for i in poor for j in range(n) if j != i}
    lengths = [_char_len(a) for a in articles]
    out = []
    for i, j in sorted(pairs):
        la, lb = articles[i].language, articles[j].language
        if not la or not lb or la == lb:
            continue
        if max(lengths[i], lengths[j]) / min(lengths[i], lengths[j]) > config.max_length_ratio:
            continue
        out.append((i, j))
    return out


def score_embeddings(a: np.ndarray, b: np.ndarray, sentence_threshold: float) -> PairScore:
    """Sentence alignment of two documents' (normalised) sentence embeddings.

    First 1:1: sentences that are each other's best match with cosine ≥ the threshold. Then every
    unaligned sentence of the shorter document may match, at the same threshold, its best sentence or
    pair of adjacent sentences of the longer one (their normalised vector sum) when it is also that
    span's best sentence; this catches sentences that a translation joined or split. ``coverage``:
    aligned sentences of the shorter document (by sentence count) over its sentences.
    """
    if len(a) == 0 or len(b) == 0:
        return PairScore(0.0, 0.0)
    a, b = a.astype(np.float32), b.astype(np.float32)
    sims = a @ b.T
    best_j = sims.argmax(1)
    best_i = sims.argmax(0)
    aligned = [
        (int(i), int(j), float(sims[i, j]))
        for i, j in enumerate(best_j)
        if best_i[j] == i and sims[i, j] >= sentence_threshold
    ]
    a_short = len(a) <= len(b)
    short, long_, cross = (a, b, sims) if a_short else (b, a, sims.T)
    done = {(i if a_short else j) for i, j, _ in aligned}
    partial: list[tuple[tuple[int, int], tuple[int, int], float]] = []
    rest = [x for x in range(len(short)) if x not in done]
    if rest:
        windows = long_[:-1] + long_[1:]
        windows /= np.maximum(np.linalg.norm(windows, axis=1, keepdims=True), 1e-9)
        wall = short @ windows.T if len(windows) else np.zeros((len(short), 0), np.float32)
        for x in rest:
            y = int(cross[x].argmax())
            span, best, back = (y, y), float(cross[x, y]), int(cross[:, y].argmax())
            if wall.shape[1] and float(wall[x].max()) > best:
                w = int(wall[x].argmax())
                span, best, back = (w, w + 1), float(wall[x, w]), int(wall[:, w].argmax())
            # Mutual as well: x is the sentence of the shorter document closest to that span.
            if best >= sentence_threshold and back == x:
                partial.append(((x, x), span, best) if a_short else (span, (x, x), best))
    coverage = (len(aligned) + len(partial)) / len(short)
    doc_cos = float(doc_vector(a) @ doc_vector(b))
    mean = float(np.mean([s for _, _, s in aligned])) if aligned else 0.0
    return PairScore(coverage, doc_cos, aligned, mean, partial)


def align_paragraphs(
    aligned: list[tuple[int, int, float]], paragraphs_a: list[int], paragraphs_b: list[int]
) -> list[tuple[int, int, int]]:
    """Paragraph pairs (paragraph in A, paragraph in B, aligned sentences): for each paragraph of A
    that has aligned sentences, the paragraph of B that holds most of their counterparts."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for i, j, _ in aligned:
        if i < len(paragraphs_a) and j < len(paragraphs_b):
            counts[paragraphs_a[i]][paragraphs_b[j]] += 1
    return [(pa, *c.most_common(1)[0]) for pa, c in sorted(counts.items())]


def _best_split(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    """Threshold (midpoint between neighbouring values) maximising F1 of ``value >= t``; and the F1."""
    values = np.unique(np.concatenate([pos, neg]))
    if len(values) == 0 or len(pos) == 0:
        return 1.0, 0.0
    cuts = np.concatenate([[values[0] - 1e-6], (values[1:] + values[:-1]) / 2, [values[-1] + 1e-6]])
    best = (float(cuts[-1]), -1.0, -1.0)
    for t in cuts:
        tp = float((pos >= t).sum())
        fp = float((neg >= t).sum())
        f1 = 2 * tp / (2 * tp + fp + (len(pos) - tp)) if tp else 0.0
        # Among equal F1, prefer the widest gap (midpoint already), then the lower threshold.
        gap = float(
            min(pos[pos >= t].min() - t if tp else 0.0, t - neg[neg < t].max() if (neg < t).any() else 1.0)
        )
        if f1 > best[1] + 1e-12 or (abs(f1 - best[1]) <= 1e-12 and gap > best[2]):
            best = (float(t), f1, gap)
    return best[0], best[1]


def fit_thresholds(
    pair_embeddings: list[tuple[np.ndarray, np.ndarray]],
    labels: list[bool],
    base: TranslationConfig | None = None,
    sentence_grid: tuple[float, ...] = tuple(np.round(np.arange(0.78, 0.95, 0.01), 2)),
) -> tuple[TranslationConfig, dict[str, Any]]:
    """Fit ``doc_threshold``, ``sentence_threshold`` and ``coverage_threshold`` on labelled pairs.

    ``doc_threshold`` is the F1-optimal split of the document cosine; then, for every sentence
    threshold of the grid, the F1-optimal coverage split over the pairs above it; the sentence
    threshold with the best F1 (ties: the widest coverage gap, then the middle of the tie) wins.
    """
    config = TranslationConfig(**asdict(base or TranslationConfig()))
    y = np.array(labels, dtype=bool)
    doc = np.array([float(doc_vector(a) @ doc_vector(b)) for a, b in pair_embeddings])
    config.doc_threshold, doc_f1 = _best_split(doc[y], doc[~y])
    # A loose document prefilter: keep every calibration positive (the coverage does the rest).
    config.doc_threshold = min(config.doc_threshold, float(doc[y].min()) - 0.01) if y.any() else 0.0
    keep = doc >= config.doc_threshold
    table: list[dict[str, float]] = []
    for t_sent in sentence_grid:
        cov = np.array(
            [
                score_embeddings(a, b, float(t_sent)).coverage if k else 0.0
                for (a, b), k in zip(pair_embeddings, keep, strict=True)
            ]
        )
        t_cov, f1 = _best_split(cov[y], cov[~y])
        neg_max = float(cov[~y].max()) if (~y).any() else 0.0
        pos_min = float(cov[y].min()) if y.any() else 0.0
        table.append({"sentence": float(t_sent), "coverage": t_cov, "f1": f1, "gap": pos_min - neg_max})
    top = max(r["f1"] for r in table)
    best_rows = [r for r in table if r["f1"] >= top - 1e-12]
    widest = max(r["gap"] for r in best_rows)
    best_rows = [r for r in best_rows if r["gap"] >= widest - 1e-9]
    chosen = best_rows[len(best_rows) // 2]
    config.sentence_threshold = chosen["sentence"]
    config.coverage_threshold = chosen["coverage"]
    return config, {"doc_f1": doc_f1, "grid": table, "chosen": chosen}


def _direction(a: Article, b: Article) -> tuple[Article, Article, str]:
    """(translation, original, reason)."""
    for x, y in ((a, b), (b, a)):
        for note in x.provenance:
            if note.kind == "translation" and (note.language is None or note.language == y.language):
                return x, y, f"translation note: {note.evidence}"
    da = a.published.value if a.published else None
    db = b.published.value if b.published else None
    if da and db and da != db:
        later, earlier = (a, b) if da > db else (b, a)
        return later, earlier, "publication dates"
    first, second = sorted((a, b), key=lambda x: x.id)
    return first, second, "unknown (no translation note or dates)"


def find_translations(
    articles: list[Article],
    config: TranslationConfig | None = None,
    embedder: SentenceEmbedder | None = None,
) -> list[Edge]:
    """ "translates" edges (source translates target) between articles in different languages."""
    config = config or TranslationConfig()
    embedder = embedder or SentenceEmbedder()
    texts = [sentence_texts(a) for a in articles]
    sets = [anchors(t) for t in texts]
    pairs = candidate_pairs(articles, config, sets)
    vectors: dict[int, np.ndarray] = {}
    edges: list[Edge] = []
    for i, j in pairs:
        for k in (i, j):
            if k not in vectors:
                vectors[k] = embedder.embed_cached(texts[k])
        score = score_embeddings(vectors[i], vectors[j], config.sentence_threshold)
        if score.coverage < config.coverage_threshold or score.doc_cosine < config.doc_threshold:
            continue
        src, dst, reason = _direction(articles[i], articles[j])
        aligned = score.aligned if src is articles[i] else [(y, x, s) for x, y, s in score.aligned]
        partial = score.partial if src is articles[i] else [(y, x, c) for x, y, c in score.partial]
        s_idx, d_idx = (i, j) if src is articles[i] else (j, i)
        paragraphs = align_paragraphs(
            aligned + [(sa, ta, c) for (sa, _), (ta, _), c in partial],
            paragraph_of_sentences(articles[s_idx]),
            paragraph_of_sentences(articles[d_idx]),
        )
        evidence = {
            "coverage": round(score.coverage, 4),
            "doc_cosine": round(score.doc_cosine, 4),
            "mean_aligned_cosine": round(score.mean_aligned, 4),
            "aligned_sentences": len(aligned),
            "partial_sentences": len(partial),
            "sentences": [len(texts[s_idx]), len(texts[d_idx])],
            "languages": [src.language, dst.language],
            "direction": reason,
            "paragraphs": [list(p) for p in paragraphs],
            "pairs": [
                {"source": texts[s_idx][x][:300], "target": texts[d_idx][y][:300], "cosine": round(c, 4)}
                for x, y, c in aligned[: config.evidence_pairs]
            ],
            "partial": [
                {
                    "source": [sa, sb],
                    "target": [ta, tb],
                    "text": " ".join(texts[s_idx][sa : sb + 1])[:300],
                    "cosine": round(c, 4),
                }
                for (sa, sb), (ta, tb), c in partial[: config.evidence_pairs]
            ],
        }
        edges.append(Edge(src.id, dst.id, "translates", round(score.coverage, 4), METHOD, evidence))
    return edges
