"""The boilerplate line classifier for plain text copied from web pages.

Two stacked logistic models over a page's lines (blocks):
1. each line's own and neighbours' features (``linefeatures``) plus word evidence: the log-odds of
   body vs clutter of its first words, from a hashed table learned on pages of other sites;
2. the first model's probability, its running means over windows of 1-15 lines, and where the line
   stands relative to the page's main body run (the densest stretch of likely body lines), since
   prose in a sidebar or under "related articles" reads like body prose on its own.
Trained by ``lagebild.training.boilerplate`` (``lagebild train boilerplate``); the model ships as
``text/models/boilerplate.npz`` (NumPy only at run time).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from importlib import resources
from io import BytesIO

import numpy as np

from lagebild.errors import ConfigError
from lagebild.text.blocks import Block
from lagebild.text.linefeatures import line_features

__all__ = ["BoilerplateModel", "load_model", "word_ids", "word_features", "context_features", "HASH_SIZE"]

HASH_SIZE = 1 << 14
_WORDS_PER_LINE = 12
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_WINDOWS = (1, 3, 7, 15)


def word_ids(block: Block) -> list[int]:
    """Hashed ids of a line's first words (case-folded letters only)."""
    words = _WORD.findall(block.text)[:_WORDS_PER_LINE]
    return [zlib.crc32(w.casefold().encode()) % HASH_SIZE for w in words]


def word_features(ids: list[list[int]], table: np.ndarray) -> np.ndarray:
    """Per line: mean, min, max and first word's log-odds, and the mean of the two lines either side."""
    own = np.zeros((len(ids), 4), dtype=np.float64)
    lengths = np.array([len(line) for line in ids], dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        # One gather and segment reductions over all lines' words, instead of a NumPy call per line.
        flat = np.fromiter((i for line in ids for i in line), dtype=np.int64, count=int(lengths.sum()))
        values = table[flat]
        starts = (np.cumsum(lengths) - lengths)[filled]
        own[filled, 0] = np.add.reduceat(values, starts) / lengths[filled]
        own[filled, 1] = np.minimum.reduceat(values, starts)
        own[filled, 2] = np.maximum.reduceat(values, starts)
        own[filled, 3] = values[starts]
    around = [np.roll(own[:, 0], shift) for shift in (-2, -1, 1, 2)]
    return np.concatenate([own, np.stack(around, axis=1)], axis=1) if len(ids) else np.zeros((0, 8))


def _main_run(prob: np.ndarray, chars: np.ndarray) -> tuple[int, int]:
    """First and last line of the stretch with the largest sum of (p - 0.5) weighted by length."""
    score = (prob - 0.5) * np.log1p(chars)
    best, current, start, best_start, best_end = -np.inf, 0.0, 0, 0, 0
    for i, value in enumerate(score):
        if current <= 0:
            current, start = float(value), i
        else:
            current += float(value)
        if current > best:
            best, best_start, best_end = current, start, i
    return best_start, best_end


def context_features(prob: np.ndarray, chars: np.ndarray) -> np.ndarray:
    n = len(prob)
    if n == 0:
        return np.zeros((0, len(_WINDOWS) + 5))
    sums = np.concatenate([[0.0], np.cumsum(prob)])
    idx = np.arange(n)
    cols = []
    for width in _WINDOWS:
        lo, hi = np.clip(idx - width, 0, n), np.clip(idx + width + 1, 0, n)
        cols.append((sums[hi] - sums[lo]) / (hi - lo))
    first, last = _main_run(prob, chars)
    cols += [
        ((idx >= first) & (idx <= last)).astype(np.float64),
        np.clip((first - idx) / 10, 0, 3),
        np.clip((idx - last) / 10, 0, 3),
        np.log1p(np.abs(idx - first)),
        np.log1p(np.abs(last - idx)),
    ]
    return np.stack(cols, axis=1)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


@dataclass(frozen=True)
class BoilerplateModel:
    table: np.ndarray  # word log-odds, HASH_SIZE
    mean1: np.ndarray
    std1: np.ndarray
    w1: np.ndarray
    mean2: np.ndarray
    std2: np.ndarray
    w2: np.ndarray
    threshold: float  # body when p >= threshold

    def stage1(self, blocks: list[Block], ruled: set[int]) -> tuple[np.ndarray, np.ndarray]:
        x1 = np.concatenate(
            [line_features(blocks, ruled), word_features([word_ids(b) for b in blocks], self.table)], axis=1
        )
        return x1, _sigmoid(((x1 - self.mean1) / self.std1) @ self.w1)

    def body_probability(self, blocks: list[Block], ruled: set[int]) -> np.ndarray:
        """P(body) of each block, given the blocks a clutter rule names (``ruled``)."""
        if not blocks:
            return np.zeros(0)
        x1, p1 = self.stage1(blocks, ruled)
        chars = np.array([len(b.text) for b in blocks], dtype=np.float64)
        x2 = stacked_features(x1, p1, chars)
        return _sigmoid(((x2 - self.mean2) / self.std2) @ self.w2)

    def to_bytes(self) -> bytes:
        out = BytesIO()
        np.savez_compressed(
            out,
            table=self.table.astype(np.float32),
            mean1=self.mean1,
            std1=self.std1,
            w1=self.w1,
            mean2=self.mean2,
            std2=self.std2,
            w2=self.w2,
            threshold=np.array(self.threshold),
        )
        return out.getvalue()


def stacked_features(x1: np.ndarray, p1: np.ndarray, chars: np.ndarray) -> np.ndarray:
    logit = np.log(np.clip(p1, 1e-9, 1.0) / np.clip(1.0 - p1, 1e-9, 1.0))
    return np.concatenate([x1, logit[:, None], context_features(p1, chars)], axis=1)


def load_model(data: bytes | None = None) -> BoilerplateModel:
    """The shipped model (or one serialised by :meth:`BoilerplateModel.to_bytes`)."""
    if data is None:
        data = resources.files("lagebild").joinpath("text/models/boilerplate.npz").read_bytes()
    try:
        with np.load(BytesIO(data)) as arrays:
            return BoilerplateModel(
                table=arrays["table"].astype(np.float64),
                mean1=arrays["mean1"],
                std1=arrays["std1"],
                w1=arrays["w1"],
                mean2=arrays["mean2"],
                std2=arrays["std2"],
                w2=arrays["w2"],
                threshold=float(arrays["threshold"]),
            )
    except (KeyError, ValueError, OSError) as exc:
        raise ConfigError(f"boilerplate model file is damaged: {exc}") from exc
