"""MinHash signatures and LSH banding with NumPy (vectorised, single-threaded).

**Signatures.** ``num_perm`` hash functions ``h_p(x) = ((a_p·x + b_p) mod 2^64) >> 32`` (multiply-
shift with odd random ``a_p``; ``x`` is an already mixed 64-bit shingle hash) give a ``uint32``
signature per text: the minimum of each ``h_p`` over the text's shingles. The share of equal
positions in two signatures estimates the Jaccard similarity of their shingle sets with standard
error ``sqrt(J(1-J)/num_perm)`` (0.044 at J = 0.5 with 128). Texts are processed in batches and
each batch in chunks of at most ``CHUNK`` hash values, so memory stays bounded.

**LSH banding.** The signature is cut into ``bands`` bands of ``rows`` values; two texts become
a candidate pair when any band is identical, which happens with probability
``1 - (1 - J^rows)^bands`` (an S-curve with its steep part near ``(1/bands)^(1/rows)``). Only
candidates are compared (their estimated Jaccard against the threshold), so the cost grows with
the number of texts plus the number of candidate pairs, not with all pairs. :func:`choose_bands`
picks ``bands × rows ≤ num_perm`` with as many rows as possible (fewest spurious candidates)
while a pair exactly at the threshold is still a candidate with probability ≥ 0.99: a missed
candidate is lost for good, a spurious one only costs one signature comparison.

**Parameters** (defaults in ``[reuse]`` of defaults.toml, tuned in ``bench/reposts.py``): 128
permutations; for a threshold of 0.3 the banding is 42 × 3 (candidate probability 0.95 at J = 0.3
… 1.0 at J ≥ 0.5, 0.10 at J = 0.1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lagebild.errors import ConfigError
from lagebild.reuse.shingles import U64, Shingler

__all__ = ["MinHasher", "LSHParams", "choose_bands", "candidate_pairs", "estimate_jaccard", "near_pairs"]

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
CHUNK = 1_000_000  # hash values per vectorised step (8 MB of uint64; larger steps were slower)
BATCH = 2_000  # texts tokenised per batch
MAX_BUCKET = 200  # a larger LSH bucket links its members to its first member only (a star)


class MinHasher:
    """``num_perm`` seeded hash functions; :meth:`signatures` maps shingle hashes to signatures."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ConfigError(f"num_perm must be positive, got {num_perm}")
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = rng.integers(0, 2**63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self.b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)

    def signatures(self, values: U64, offsets: I64) -> U32:
        """Signatures of the texts whose shingle hashes are ``values[offsets[i]:offsets[i+1]]``.

        A text without shingles gets the all-``0xFFFFFFFF`` signature (see :func:`near_pairs`,
        which leaves such texts out).
        """
        n = len(offsets) - 1
        out = np.full((n, self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        per_chunk = max(1, CHUNK // self.num_perm)
        i = 0
        while i < n:
            # Whole texts per chunk: from text i up to the last one that fits (at least one).
            limit = offsets[i] + per_chunk
            j = max(i + 1, int(np.searchsorted(offsets, limit, side="right")) - 1)
            j = min(j, n)
            lo, hi = int(offsets[i]), int(offsets[j])
            if hi > lo:
                # Layout (permutation, shingle): each reduction runs over contiguous memory (10x
                # faster than shingle-major). min(v >> 32) == min(v) >> 32, so shift after reducing.
                h = np.multiply.outer(self.a, values[lo:hi])
                h += self.b[:, None]
                starts = offsets[i:j] - lo
                nonempty = offsets[i + 1 : j + 1] > offsets[i:j]
                mins = np.minimum.reduceat(h, starts[nonempty], axis=1)
                mins >>= np.uint64(32)
                out[i:j][nonempty] = mins.T.astype(np.uint32)
            i = j
        return out


def estimate_jaccard(sig: U32, left: I64, right: I64, chunk: int = 100_000) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of the pairs ``(left[k], right[k])``: share of equal positions."""
    out = np.empty(len(left), dtype=np.float64)
    for s in range(0, len(left), chunk):
        out[s : s + chunk] = (sig[left[s : s + chunk]] == sig[right[s : s + chunk]]).mean(axis=1)
    return out


@dataclass(frozen=True)
class LSHParams:
    bands: int
    rows: int

    def probability(self, jaccard: float) -> float:
        """Probability that two texts of this Jaccard similarity become candidates."""
        return float(1.0 - (1.0 - jaccard**self.rows) ** self.bands)


def choose_bands(threshold: float, num_perm: int, min_recall: float = 0.99) -> LSHParams:
    """Bands and rows for ``threshold``: the most rows (fewest spurious candidates) such that a
    pair exactly at the threshold still becomes a candidate with probability ``min_recall``;
    ``bands = num_perm // rows``. See the module docstring."""
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"threshold must be between 0 and 1, got {threshold}")
    best = LSHParams(num_perm, 1)
    for rows in range(2, num_perm + 1):
        params = LSHParams(num_perm // rows, rows)
        if params.probability(threshold) < min_recall:
            break
        best = params
    return best


def _band_keys(sig: U32, band: int, rows: int) -> U64:
    cols = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
    key = np.full(len(sig), (band * 0x9E3779B97F4A7C15) % 2**64, dtype=np.uint64)
    for c in range(rows):
        key ^= cols[:, c] + np.uint64(0x9E3779B97F4A7C15) + (key << np.uint64(6)) + (key >> np.uint64(2))
    return key


def candidate_pairs(sig: U32, params: LSHParams, valid: npt.NDArray[np.bool_] | None = None) -> I64:
    """Candidate pairs as ``i * n + j`` codes (``i < j``), unique and sorted.

    Buckets larger than ``MAX_BUCKET`` (e.g. hundreds of copies of one boilerplate text) are
    turned into a star on their first member instead of all pairs, which keeps the cost linear.
    """
    n = len(sig)
    index = np.arange(n, dtype=np.int64) if valid is None else np.flatnonzero(valid).astype(np.int64)
    codes: list[I64] = []
    for band in range(params.bands):
        keys = _band_keys(sig, band, params.rows)[index]
        order = np.argsort(keys, kind="stable")
        sk = keys[order]
        if len(sk) < 2:
            continue
        boundary = np.flatnonzero(sk[1:] != sk[:-1]) + 1
        run_start = np.concatenate(([0], boundary))
        run_len = np.diff(np.concatenate((run_start, [len(sk)])))
        multi = run_len > 1
        if not multi.any():
            continue
        pos_start = np.repeat(run_start, run_len)
        pos_len = np.repeat(run_len, run_len)
        pos = np.arange(len(sk), dtype=np.int64)
        counts = np.where(pos_len > MAX_BUCKET, np.where(pos == pos_start, pos_len - 1, 0), 0)
        counts = np.where(pos_len <= MAX_BUCKET, pos_start + pos_len - pos - 1, counts)
        total = int(counts.sum())
        if total == 0:
            continue
        left = np.repeat(pos, counts)
        step = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        right = left + 1 + step
        a = index[order[left]]
        b = index[order[right]]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        codes.append(np.unique(lo * n + hi))
    if not codes:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(codes))


def near_pairs(
    texts: Sequence[str],
    threshold: float = 0.3,
    *,
    num_perm: int = 128,
    shingle_size: int = 5,
    min_words: int = 40,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[I64, I64, npt.NDArray[np.float64]]:
    """Pairs of texts whose estimated Jaccard similarity is at least ``threshold``.

    Returns ``(left, right, score)`` with ``left < right`` (indices into ``texts``). Texts with
    fewer than ``min_words`` words are left out: in a stub of 25 words one shared boilerplate
    sentence ("Der Volltext dieses … Artikels steht … nicht mehr zur Verfügung") makes unrelated
    stubs near-duplicates. ``progress`` is called with (texts done, total) after each batch.
    """
    hasher = MinHasher(num_perm, seed)
    shingler = Shingler(shingle_size)
    sig = np.empty((len(texts), num_perm), dtype=np.uint32)
    valid = np.zeros(len(texts), dtype=bool)
    for start in range(0, len(texts), BATCH):
        values, offsets = shingler.batch(texts[start : start + BATCH])
        sig[start : start + len(offsets) - 1] = hasher.signatures(values, offsets)
        valid[start : start + len(offsets) - 1] = np.diff(offsets) >= max(1, min_words - shingle_size + 1)
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    del shingler
    codes = candidate_pairs(sig, choose_bands(threshold, num_perm), valid)
    n = max(len(texts), 1)
    left, right = codes // n, codes % n
    score = estimate_jaccard(sig, left, right)
    keep = score >= threshold
    return left[keep], right[keep], score[keep]
