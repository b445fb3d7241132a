"""Mention replacement keeps the context and swaps entities for gold mentions of the same type."""

from __future__ import annotations

from lagebild.ner.germeval import Sentence, spans
from lagebild.training.ner.augment import swap_mentions

SENTS = [
    Sentence(("Gazprom", "kündigte", "an", "."), ("B-ORG", "O", "O", "O")),
    Sentence(("Die", "Deutsche", "Bank", "in", "Berlin"), ("O", "B-ORG", "I-ORG", "O", "B-LOC")),
    Sentence(("Ja", "."), ("O", "O")),
]


def test_entities_are_swapped_for_mentions_of_the_same_type() -> None:
    copies = swap_mentions(SENTS, seed=1)
    assert len(copies) == len(SENTS)
    assert copies[2] == SENTS[2]  # nothing to swap
    for original, copy in zip(SENTS, copies, strict=True):
        assert [k for _, _, k in sorted(spans(copy.tags))] == [k for _, _, k in sorted(spans(original.tags))]
        assert len(copy.words) == len(copy.tags)
    orgs = {("Gazprom",), ("Deutsche", "Bank")}
    first = copies[0]
    ((start, end, _),) = spans(first.tags)
    assert first.words[start:end] in orgs and first.words[end:] == ("kündigte", "an", ".")
    second = copies[1]
    assert second.words[0] == "Die" and second.words[-1] == "Berlin"  # the only LOC
    assert second.tags[1] == "B-ORG"


def test_the_same_seed_gives_the_same_copies() -> None:
    many = SENTS * 20
    assert swap_mentions(many, seed=3) == swap_mentions(many, seed=3)
    assert swap_mentions(many, seed=3) != swap_mentions(many, seed=4)
