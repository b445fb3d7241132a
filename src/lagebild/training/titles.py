"""Fitting the headline ranker of ``lagebild.meta.titles``: a conditional logit over each page's
candidate lines, trained to put its probability mass on the lines that match the page's own
headline (og:title, <h1>, <title>), with Adam on the mean negative log-likelihood."""

from __future__ import annotations

import numpy as np

from lagebild.meta.titles import TitleCandidate

__all__ = ["fit_title_ranker", "ranker_accuracy"]

Page = tuple[list[TitleCandidate], np.ndarray]  # candidates, 1 where a candidate is the headline


def fit_title_ranker(pages: list[Page], l2: float = 1.0, iters: int = 300, lr: float = 0.1) -> np.ndarray:
    usable = [(np.stack([c.features for c in cands]), y) for cands, y in pages if cands and y.sum() > 0]
    width = usable[0][0].shape[1]
    w, m, v = np.zeros(width), np.zeros(width), np.zeros(width)
    for step in range(1, iters + 1):
        grad = l2 * w
        for x, y in usable:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += x.T @ (p - q)
        grad /= len(usable)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def ranker_accuracy(pages: list[Page], w: np.ndarray) -> float:
    """Share of pages whose top-scoring candidate is the headline (pages without candidates count wrong)."""
    right = 0.0
    for cands, y in pages:
        if cands:
            right += float(y[int(np.argmax(np.stack([c.features for c in cands]) @ w))])
    return right / len(pages) if pages else 0.0
