"""Reuse between articles: near-duplicates and reposts (MinHash/LSH over word shingles).

``find_near_duplicates(articles)`` returns :class:`ReuseEdge` records ("reposts" from the copy to
the original when dates or provenance notes tell the direction, else "near_duplicate") with a
paragraph alignment as evidence; ``align_paragraphs(a, b)`` aligns two texts paragraph by
paragraph. ``lagebild.api.find_reuse`` runs it over a database and stores the edges.
"""

from __future__ import annotations

from lagebild.reuse.duplicates import (
    METHOD,
    NOTE_KINDS,
    OutletMatcher,
    ParagraphAlignment,
    ReuseEdge,
    align_paragraphs,
    direction,
    find_near_duplicates,
    paragraphs,
)
from lagebild.reuse.minhash import LSHParams, MinHasher, choose_bands, near_pairs
from lagebild.reuse.shingles import Shingler, jaccard, shingle_set, words

__all__ = [
    "METHOD",
    "NOTE_KINDS",
    "LSHParams",
    "MinHasher",
    "OutletMatcher",
    "ParagraphAlignment",
    "ReuseEdge",
    "Shingler",
    "align_paragraphs",
    "choose_bands",
    "direction",
    "find_near_duplicates",
    "jaccard",
    "near_pairs",
    "paragraphs",
    "shingle_set",
    "words",
]
