"""Features of a page's lines (blocks) for the boilerplate classifier.

Each block gets a vector of its own properties (length, punctuation, stop-word density, link-like
tokens, position, repetition, whether a clutter rule names it) and of its neighbourhood's (the
paragraph run it stands in, the density of the lines around it), as jusText weighs blocks on HTML.
The names in :data:`FEATURES` fix the column order that the shipped model was trained with.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from lagebild.text.blocks import Block, normalize_for_compare

__all__ = ["FEATURES", "CONTEXT", "line_features", "STOPWORDS"]

# Function words of the shipped languages: their density separates prose from menus and labels.
STOPWORDS = frozenset(
    """der die das den dem des ein eine einer eines einem einen und oder aber auch als an auf aus bei
    bis durch für gegen in im ins mit nach seit über um unter von vom vor zu zum zur nicht ist sind war
    waren wird werden wurde wurden hat haben hatte hatten sei es er sie wir ihr ich man sich dass daß
    wie wenn so noch nur schon mehr sehr hier dort dann doch denn weil ob was wer wo
    the a an and or but of to in on at for with from by as is are was were be been has have had it its
    this that these those he she they we you i not no so if than then there their his her which who
    what when where will would can could should may might do does did into about after before over
    le la les un une des et de du en est que qui dans pour par sur pas il elle ils el los las y del
    con por para es que se un una il lo gli e di che non per""".split()  # noqa: SIM905
)

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_URLISH = re.compile(r"https?://|www\.|\.(?:com|de|org|net|at|ch|html?)\b|@\w", re.I)
_DATEISH = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b\d{1,2}\.?\s+[A-Za-zÄÖÜäöüé]{3,}\.?\s+\d{4}\b|\b[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b",
)
_SEPARATORS = re.compile(r"\s[|·•/»›>]\s|\s[-–]\s")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|alle rechte|all rights", re.I)
_SENTENCE_MARK = re.compile(r"[.!?](?:\s|$)")

# Per-line features; the model also sees them for the neighbours named in CONTEXT.
FEATURES = (
    "bias",
    "log_chars",
    "log_words",
    "sentence_end",
    "colon_end",
    "stopword_ratio",
    "upper_ratio",
    "digit_ratio",
    "punct_ratio",
    "starts_lower",
    "title_case_ratio",
    "urlish",
    "dateish",
    "separators",
    "copyright",
    "blank_before",
    "position",
    "log_lines_before",
    "log_lines_after",
    "repeated",
    "rule",
    "run_lines",
    "run_log_chars",
    "window_long",
    "window_log_chars",
    "sentences",
    "mean_word_len",
    "short_line",
)
CONTEXT = (-2, -1, 1, 2)


# Bit flags of the character classes that _own counts, per code point of the Basic Multilingual Plane.
_CLASS_METHODS = (str.isalpha, str.isupper, str.isdigit, str.isalnum, str.isspace)
_BMP = 0x10000


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    chars = [chr(i) for i in range(_BMP)]
    table = np.zeros(_BMP, dtype=np.uint8)
    for bit, method in enumerate(_CLASS_METHODS):
        table |= np.fromiter(map(method, chars), dtype=np.uint8, count=_BMP) << bit
    return table


def char_class_counts(texts: list[str]) -> list[list[int]]:
    """Per text: how many characters are letters, upper case, digits, alphanumeric, white space.

    Counted for the whole page at once over its code points (a table look-up in NumPy), since a
    loop over characters in Python is the slowest part of cleaning a page."""
    joined = "".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = _class_table()[np.minimum(points, _BMP - 1)]
    astral = np.flatnonzero(points >= _BMP)
    for at in astral.tolist():  # rare: emoji, historic scripts
        char = joined[at]
        flags[at] = sum(int(method(char)) << bit for bit, method in enumerate(_CLASS_METHODS))
    bounds = np.cumsum([0, *(len(t) for t in texts)])
    columns = []
    for bit in range(len(_CLASS_METHODS)):
        running = np.concatenate([[0], np.cumsum((flags >> bit) & 1, dtype=np.int64)])
        columns.append(running[bounds[1:]] - running[bounds[:-1]])
    counts: list[list[int]] = np.stack(columns, axis=1).tolist() if texts else []
    return counts


def _sentence_end(text: str) -> bool:
    """Ends in sentence punctuation, maybe followed by closing quotes or brackets."""
    return text.rstrip("\"'“”»«)]")[-1:] in (".", "!", "?", "…")


def _own(
    block: Block, text: str, index: int, total: int, repeated: bool, ruled: bool, classes: list[int]
) -> list[float]:
    chars = len(text)
    words = _WORD.findall(text)
    n_words = len(words)
    letters, upper, digits, alnum, space = classes
    punct = chars - alnum - space
    stop = sum(map(STOPWORDS.__contains__, map(str.casefold, words)))
    capitalised = sum(1 for w in words if w[:1].isupper())
    return [
        1.0,
        math.log1p(chars),
        math.log1p(n_words),
        float(_sentence_end(text)),
        float(text.endswith(":")),
        stop / n_words if n_words else 0.0,
        upper / letters if letters else 0.0,
        digits / chars if chars else 0.0,
        punct / chars if chars else 0.0,
        float(text[:1].islower()),
        capitalised / n_words if n_words else 0.0,
        float(bool(_URLISH.search(text))),
        float(bool(_DATEISH.search(text))),
        min(len(_SEPARATORS.findall(text)), 5) / 5,
        float(bool(_COPYRIGHT.search(text))),
        float(block.blank_before),
        index / max(total - 1, 1),
        math.log1p(index),
        math.log1p(total - 1 - index),
        float(repeated),
        float(ruled),
        0.0,  # run_lines, filled per run
        0.0,  # run_log_chars
        0.0,  # window_long
        0.0,  # window_log_chars
        min(len(_SENTENCE_MARK.findall(text)), 10) / 10,
        (sum(map(len, words)) / n_words) / 10 if n_words else 0.0,
        float(chars < 40),
    ]


def line_features(blocks: list[Block], ruled: set[int]) -> np.ndarray:
    """Matrix (blocks × (1 + len(CONTEXT)) · len(FEATURES)): own features, then each neighbour's.

    ``ruled`` holds the indices of blocks that a clutter rule names.
    """
    total = len(blocks)
    width = len(FEATURES)
    if total == 0:
        return np.zeros((0, width * (1 + len(CONTEXT))), dtype=np.float32)
    texts = [b.plain or b.text for b in blocks]
    norms = [normalize_for_compare(t) for t in texts]
    counts = Counter(norms)
    classes = char_class_counts(texts)
    own = np.array(
        [
            _own(b, texts[i], i, total, counts[norms[i]] > 1, b.index in ruled, classes[i])
            for i, b in enumerate(blocks)
        ],
        dtype=np.float32,
    )
    chars = np.array([len(t) for t in texts], dtype=np.float32)
    # Paragraph runs: lines between blank lines (a copied <p> or a menu's items).
    run_id = np.cumsum([1 if b.blank_before else 0 for b in blocks])
    run_lines = np.bincount(run_id)
    run_chars = np.bincount(run_id, weights=chars)
    own[:, FEATURES.index("run_lines")] = np.log1p(run_lines[run_id])
    own[:, FEATURES.index("run_log_chars")] = np.log1p(run_chars[run_id])
    # Means over the window of three lines either side, from running sums.
    idx = np.arange(total)
    lo, hi = np.maximum(idx - 3, 0), np.minimum(idx + 4, total)
    span = (hi - lo).astype(np.float64)
    long_sums = np.concatenate([[0.0], np.cumsum(chars >= 80, dtype=np.float64)])
    char_sums = np.concatenate([[0.0], np.cumsum(chars, dtype=np.float64)])
    own[:, FEATURES.index("window_long")] = (long_sums[hi] - long_sums[lo]) / span
    own[:, FEATURES.index("window_log_chars")] = np.log1p((char_sums[hi] - char_sums[lo]) / span)
    parts = [own]
    for offset in CONTEXT:
        shifted = np.zeros_like(own)
        if offset < 0:
            shifted[-offset:] = own[:offset]
        else:
            shifted[:-offset] = own[offset:]
        parts.append(shifted)
    return np.concatenate(parts, axis=1)
