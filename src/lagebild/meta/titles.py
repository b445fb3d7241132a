"""The headline of a page copy: a learned ranker over the lines just above the body.

Copied pages put menus, section names, bylines and captions around the headline, and the
boilerplate classifier removes the headline with them (it is not body text). The ranker scores the
lines from 15 above the first body line to the one after it (a conditional logit; weights in
``meta/data/title_ranker.json``, fitted on the calibration sites of realpages by
``lagebild train titles``) on where a line stands, its form, what stands under it (a byline or a
date) and how many of its words the body's lead repeats.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np

from lagebild.errors import ConfigError
from lagebild.text.blocks import Block, normalize_for_compare

__all__ = ["TitleCandidate", "body_start", "title_candidates", "rank_titles", "load_weights", "FEATURES"]

BYLINE = re.compile(
    r"^(von|by|autor(in)?|text|foto|bild|posted|veröffentlicht|published|aktualisiert|updated|stand)\b"
    r"|\bmin(\.|uten?)? (read|lesezeit|lesedauer)\b",
    re.IGNORECASE,
)
SHORT_DATE = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"
    r"|\b\d{1,2}\.?\s+\w{3,}\.?\s+\d{4}\b|\b\w{3,9}\.?\s+\d{1,2},?\s+\d{4}\b"
)
_QUOTES = "\"'„“”»«‚‘’ "
_WINDOW = 15
_BODY_CHARS = 100
_CONTENT_WORD = re.compile(r"\w{4,}")

FEATURES = (
    "at_body",
    "above_1",
    "above_2",
    "above_3",
    "above_4_6",
    "above_7_plus",
    "in_body",
    "log_words",
    "words_4_20",
    "words_le_2",
    "ends_period",
    "ends_colon",
    "ends_question",
    "starts_upper",
    "all_upper",
    "has_date",
    "is_byline",
    "separators",
    "copyright",
    "ruled",
    "kept",
    "lead_overlap",
    "log_index",
    "first_headline_like",
    "repeated",
    "date_below",
    "byline_below",
    "date_above",
    "inner_colon",
    "headline_like",
    "blank_before",
    "digit_ratio",
)


def headline_like(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 30 or len(text) > 220:
        return False
    if text.rstrip(_QUOTES).endswith((".", ":", ",", ";")):
        return False
    if " | " in text or text.count("»") > 1 or "›" in text or "©" in text:
        return False
    if SHORT_DATE.search(text) and len(words) <= 6:
        return False
    return not BYLINE.search(text)


class TitleCandidate:
    __slots__ = ("index", "text", "features")

    def __init__(self, index: int, text: str, features: np.ndarray) -> None:
        self.index, self.text, self.features = index, text, features


def _overlap(text: str, lead: str) -> float:
    words = _CONTENT_WORD.findall(text.casefold())
    return sum(1 for w in words if w in lead) / len(words) if words else 0.0


def body_start(blocks: list[Block], kept: list[bool]) -> int:
    """Index of the body's first paragraph: the first kept line of at least 100 characters (else the
    first kept line). A short kept line above it (a kicker, a label, the headline itself) belongs to
    the page head, where headline, byline and date are looked for. 5-fold CV on the calibration
    sites: the headline is found on 0.654 of the pages around the first kept line, 0.695 around the
    first of >= 80 or 100 characters."""
    return next(
        (i for i, k in enumerate(kept) if k and len(blocks[i].text.strip()) >= _BODY_CHARS),
        next((i for i, k in enumerate(kept) if k), len(blocks) - 1),
    )


def title_candidates(blocks: list[Block], kept: list[bool], ruled: list[bool]) -> list[TitleCandidate]:
    """Candidate lines around the first kept (body) line, with their feature vectors."""
    if not blocks:
        return []
    texts = [b.text.strip() for b in blocks]
    first = body_start(blocks, kept)
    kept = [k and i >= first for i, k in enumerate(kept)]
    counts = Counter(normalize_for_compare(t) for t in texts)
    lead = " ".join(t for t, k in zip(texts, kept, strict=True) if k)[:1500].casefold()
    upwards = range(first, max(-1, first - _WINDOW - 1), -1)
    first_hl = next((i for i in upwards if headline_like(texts[i])), -1)
    out = []
    for i in range(max(0, first - _WINDOW), min(first + 2, len(blocks))):
        text, words = texts[i], texts[i].split()
        if not 1 <= len(words) <= 40 or len(text) > 250:
            continue
        d = first - i
        below = " ".join(texts[i + 1 : i + 4])
        above = " ".join(texts[max(0, i - 2) : i])
        stripped = text.rstrip(_QUOTES)
        values = [
            d == 0,
            d == 1,
            d == 2,
            d == 3,
            4 <= d <= 6,
            d >= 7,
            d < 0,
            math.log1p(len(words)),
            4 <= len(words) <= 20,
            len(words) <= 2,
            stripped.endswith((".", ",", ";")),
            text.endswith(":"),
            text.endswith(("?", "!")),
            text[:1].isupper(),
            text.isupper(),
            bool(SHORT_DATE.search(text)),
            bool(BYLINE.search(text)),
            " | " in text or "›" in text or "»" in text,
            "©" in text,
            ruled[i],
            kept[i],
            _overlap(text, lead),
            math.log1p(i),
            i == first_hl,
            counts[normalize_for_compare(text)] > 1,
            bool(SHORT_DATE.search(below)),
            bool(BYLINE.search(below)),
            bool(SHORT_DATE.search(above)),
            ":" in text[:-1],
            headline_like(text),
            blocks[i].blank_before,
            sum(c.isdigit() for c in text) / max(len(text), 1),
        ]
        out.append(TitleCandidate(i, text, np.array(values, dtype=np.float64)))
    return out


@lru_cache(maxsize=1)
def load_weights() -> np.ndarray:
    raw = resources.files("lagebild").joinpath("meta/data/title_ranker.json").read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
        weights = np.array([data["weights"][name] for name in FEATURES], dtype=np.float64)
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"title ranker weights are damaged: {exc}") from exc
    return weights


def rank_titles(candidates: list[TitleCandidate], weights: np.ndarray | None = None) -> TitleCandidate | None:
    """The best-scoring candidate (None when there is none)."""
    if not candidates:
        return None
    w = load_weights() if weights is None else weights
    scores = np.stack([c.features for c in candidates]) @ w
    return candidates[int(np.argmax(scores))]
