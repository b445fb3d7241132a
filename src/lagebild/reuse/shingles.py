"""Normalised word shingles, hashed to 64-bit integers. Language-independent.

Normalisation: Unicode NFKC, case folding (``ß`` → ``ss``), and words are runs of Unicode word
characters (``\\w+``: letters of any script, digits, underscore); punctuation, quotes and
spacing are dropped. So ``„Putin sagte:“`` and ``"putin  sagte"`` give the same words, in any
language and script. A shingle is ``k`` consecutive words; a text shorter than ``k`` words has
one shingle (its words padded). Shingles are hashed, not stored: each word gets a stable 32-bit
CRC (cached per :class:`Shingler`), the ``k`` word hashes are combined with fixed odd multipliers
and mixed with the SplitMix64 finaliser. Hashes are identical across runs and processes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from lagebild.errors import ConfigError

__all__ = ["Shingler", "words", "shingle_set", "jaccard", "U64"]

U64 = npt.NDArray[np.uint64]

_WORD = re.compile(r"\w+")
# Odd 64-bit multipliers, one per word position in a shingle (fixed: hashes must be stable).
_POSITION = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)
MAX_K = len(_POSITION)


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (NFKC, case-folded, ``\\w+`` runs)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingle_set(text: str, k: int) -> set[tuple[str, ...]]:
    """The set of ``k``-word shingles of ``text`` (as word tuples); for exact Jaccard on small texts."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < k:
        return {tuple(ws)}
    return {tuple(ws[i : i + k]) for i in range(len(ws) - k + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 for two empty sets."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _mix(x: U64) -> U64:
    """SplitMix64 finaliser, in place (uint64 arithmetic wraps around)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


class _WordCache(dict[str, int]):
    """word → stable 32-bit hash + 1 (0 stays free as padding), computed on first look-up."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8", "surrogatepass")) + 1
        return value


class Shingler:
    """Turns texts into arrays of shingle hashes; keeps a word → hash cache for speed.

    One instance per run: the cache holds every distinct word seen (about 100 bytes each).
    """

    def __init__(self, k: int = 5) -> None:
        if not 1 <= k <= MAX_K:
            raise ConfigError(f"shingle size must be between 1 and {MAX_K}, got {k}")
        self.k = k
        self._cache = _WordCache()

    def word_hashes(self, text: str) -> list[int]:
        return list(map(self._cache.__getitem__, words(text)))

    def hashes(self, text: str) -> U64:
        """The shingle hashes of one text (with repeats; empty for a text without words)."""
        values, offsets = self.batch([text])
        return values[offsets[0] : offsets[1]]

    def batch(self, texts: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
        """Shingle hashes of many texts at once: ``(values, offsets)``.

        The shingles of text ``i`` are ``values[offsets[i]:offsets[i + 1]]`` (none for a text
        without words). One vectorised pass over the concatenated word hashes of all texts.
        """
        k = self.k
        lists = [self.word_hashes(t) for t in texts]
        lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        padded = np.where(lengths > 0, np.maximum(lengths, k), 0)
        counts = np.where(padded > 0, padded - k + 1, 0)
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        total = int(padded.sum())
        if total == 0:
            return np.zeros(0, dtype=np.uint64), offsets
        flat = np.zeros(total, dtype=np.uint64)
        starts = np.zeros(len(lists), dtype=np.int64)
        np.cumsum(padded[:-1], out=starts[1:])
        joined = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.uint64, count=int(lengths.sum()))
        word_pos = np.repeat(starts, lengths) + (
            np.arange(len(joined), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        )
        flat[word_pos] = joined
        width = total - k + 1
        combined = flat[:width] * _POSITION[0]
        for i in range(1, k):
            combined += flat[i : i + width] * _POSITION[i]
        # Keep only shingles that start inside one text and end inside it.
        n_sh = int(offsets[-1])
        first = np.repeat(starts, counts) + (
            np.arange(n_sh, dtype=np.int64) - np.repeat(offsets[:-1], counts)
        )
        return _mix(combined[first]), offsets
