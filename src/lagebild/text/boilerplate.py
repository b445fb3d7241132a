"""The boilerplate line classifier for plain text copied from web pages.

Two stacked models over a page's lines (blocks), a logistic regression and boosted trees:
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
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from typing import Any

import numpy as np

from lagebild.errors import ConfigError
from lagebild.text.blocks import Block
from lagebild.text.linefeatures import line_features

__all__ = [
    "BoilerplateModel",
    "Trees",
    "load_model",
    "word_ids",
    "word_features",
    "context_features",
    "HASH_SIZE",
]

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


@dataclass(frozen=True)
class Trees:
    """A boosted ensemble of binary trees as flat arrays (trees × nodes), evaluated in NumPy: a row
    goes left at a split when its feature value is <= the threshold; the margin is ``base`` plus the
    sum of the leaves it reaches (trained by scikit-learn in ``lagebild.training.boilerplate``)."""

    feature: np.ndarray  # int32, trees × nodes
    threshold: np.ndarray  # float64
    left: np.ndarray  # int32
    right: np.ndarray  # int32
    leaf: np.ndarray  # bool
    value: np.ndarray  # float64
    base: float

    def margin(self, x: np.ndarray) -> np.ndarray:
        walk = self._walk()
        n, width = x.shape
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        row_start = (np.arange(n, dtype=np.int64) * width)[:, None]
        node = np.broadcast_to(walk.roots, (n, len(walk.roots)))
        # Every row walks every tree at once, one level per step.
        for _ in range(walk.depth):
            node = walk.left[node] + (flat_x[row_start + walk.feature[node]] > walk.threshold[node])
        return np.asarray(self.base + walk.value[node].sum(axis=1))

    def _walk(self) -> _Walk:
        cached: _Walk | None = self.__dict__.get("_walk_cache")
        if cached is None:
            cached = _Walk.of(self)
            object.__setattr__(self, "_walk_cache", cached)
        return cached

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}feature": self.feature,
            f"{prefix}threshold": self.threshold,
            f"{prefix}left": self.left,
            f"{prefix}right": self.right,
            f"{prefix}leaf": self.leaf,
            f"{prefix}value": self.value,
            f"{prefix}base": np.array(self.base),
        }

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> Trees:
        """Read back :meth:`arrays`; a ValueError when they do not form trees (a damaged file)."""
        trees = cls(
            feature=arrays[f"{prefix}feature"].astype(np.int64),
            threshold=arrays[f"{prefix}threshold"].astype(np.float64),
            left=arrays[f"{prefix}left"].astype(np.int64),
            right=arrays[f"{prefix}right"].astype(np.int64),
            leaf=arrays[f"{prefix}leaf"].astype(bool),
            value=arrays[f"{prefix}value"].astype(np.float64),
            base=float(arrays[f"{prefix}base"]),
        )
        shape = trees.feature.shape
        parts = (trees.threshold, trees.left, trees.right, trees.leaf, trees.value)
        if len(shape) != 2 or any(a.shape != shape for a in parts):
            raise ValueError("tree arrays of different shapes")
        inner = ~trees.leaf
        for child in (trees.left, trees.right):
            if inner.any() and not ((child[inner] > 0) & (child[inner] < shape[1])).all():
                raise ValueError("a tree node points outside its tree")
        if inner.any() and (trees.feature[inner] < 0).any():
            raise ValueError("a tree splits on a negative feature index")
        return trees


@dataclass(frozen=True)
class _Walk:
    """:class:`Trees` renumbered for the walk: node ids run across all trees, an inner node's right
    child is its left child + 1 (so one step is ``left[node] + (x > threshold)``), and a leaf leads
    to itself (threshold +inf, ``left`` = itself)."""

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    value: np.ndarray
    depth: int

    @classmethod
    def of(cls, trees: Trees) -> _Walk:
        depth = _depth(trees)
        roots: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        value: list[float] = []
        for t in range(len(trees.feature)):
            roots.append(len(feature))
            order = [0]  # old ids in new order; children are appended side by side
            for old in order:  # grows while it is read: a breadth-first walk
                new = len(feature)
                feature.append(0)
                threshold.append(np.inf)
                left.append(new)
                value.append(float(trees.value[t, old]))
                if not trees.leaf[t, old]:
                    feature[-1] = int(trees.feature[t, old])
                    threshold[-1] = float(trees.threshold[t, old])
                    left[-1] = roots[-1] + len(order)
                    order += [int(trees.left[t, old]), int(trees.right[t, old])]
        return cls(
            np.array(roots, dtype=np.int64),
            np.array(feature, dtype=np.int64),
            np.array(threshold, dtype=np.float64),
            np.array(left, dtype=np.int64),
            np.array(value, dtype=np.float64),
            depth,
        )


def _depth(trees: Trees) -> int:
    """Levels of the deepest node reachable from the roots; a ValueError when a tree has a cycle."""
    count, width = trees.feature.shape
    level = np.full((count, width), -1, dtype=np.int64)
    level[:, 0] = 0
    rows = np.arange(count)[:, None]
    for _ in range(width + 1):
        inner = ~trees.leaf & (level >= 0)
        before = level.copy()
        for child in (trees.left, trees.right):
            targets = np.where(inner, child, 0)
            np.maximum.at(
                level, (np.broadcast_to(rows, targets.shape)[inner], targets[inner]), level[inner] + 1
            )
        if np.array_equal(level, before):
            return int(level.max())
    raise ValueError("a tree has a cycle")


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
    trees2: Trees | None = None  # stage 2 as boosted trees (the shipped model); else logistic w2

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
        if self.trees2 is not None:
            return _sigmoid(self.trees2.margin(x2))
        return _sigmoid(((x2 - self.mean2) / self.std2) @ self.w2)

    def to_bytes(self) -> bytes:
        out = BytesIO()
        arrays: dict[str, np.ndarray] = {
            "table": self.table.astype(np.float32),
            "mean1": self.mean1,
            "std1": self.std1,
            "w1": self.w1,
            "mean2": self.mean2,
            "std2": self.std2,
            "w2": self.w2,
            "threshold": np.array(self.threshold),
        }
        if self.trees2 is not None:
            arrays.update(self.trees2.arrays("trees2_"))
        np.savez_compressed(out, allow_pickle=False, **arrays)
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
                trees2=Trees.from_arrays(arrays, "trees2_") if "trees2_base" in arrays else None,
            )
    except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"boilerplate model file is damaged: {exc}") from exc
