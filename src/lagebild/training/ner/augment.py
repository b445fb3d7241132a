"""Mention replacement: copies of the gold sentences whose entities are swapped for other gold
entities of the same type ("Gazprom kündigte …" → "Airbus kündigte …").

Low-resource NER models learn names by heart; a copy with swapped names makes the context carry
the label, which is what unseen organisations and titles (GermEval's weakest types) need. The
tags of a swapped-in mention are rebuilt (B- then I-), so the copy stays well-formed BIO.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from lagebild.ner.germeval import Sentence, spans

__all__ = ["swap_mentions"]


def swap_mentions(sentences: Sequence[Sentence], seed: int = 13) -> list[Sentence]:
    """One copy of each sentence, every entity replaced by a random gold mention of its type."""
    rng = random.Random(seed)
    pool: dict[str, list[tuple[str, ...]]] = {}
    for s in sentences:
        for start, end, kind in sorted(spans(s.tags)):
            pool.setdefault(kind, []).append(s.words[start:end])
    out = []
    for s in sentences:
        words: list[str] = []
        tags: list[str] = []
        pos = 0
        for start, end, kind in sorted(spans(s.tags)):
            words += s.words[pos:start]
            tags += s.tags[pos:start]
            mention = rng.choice(pool[kind])
            words += mention
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(mention) - 1)
            pos = end
        words += s.words[pos:]
        tags += s.tags[pos:]
        out.append(Sentence(tuple(words), tuple(tags)))
    return out
