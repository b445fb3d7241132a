"""GermEval 2014 NER data and the project's split convention.

Train on dev (2,200 sentences) + the first 4,100 sentences of test; report on the last 1,000
sentences of test, never trained on. Outer tags only. The ``deriv`` and ``part`` tags (adjectives
such as "russische", compounds such as "EU-Staaten") are mapped to O: they are not names of
entities, and actor linking handles demonyms from the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lagebild.errors import InputError

__all__ = ["Sentence", "read_germeval", "project_split", "LABELS", "spans"]

TYPES = ("PER", "LOC", "ORG", "OTH")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in ("B", "I")))


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    tags: tuple[str, ...]


def _tag(raw: str) -> str:
    if raw == "O" or raw.endswith(("deriv", "part")):
        return "O"
    return raw


def read_germeval(path: str | Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                sentences.append(Sentence(tuple(words), tuple(tags)))
            words, tags = [], []
            continue
        cols = line.split("\t")
        words.append(cols[1])
        tags.append(_tag(cols[2]))
    if words:
        sentences.append(Sentence(tuple(words), tuple(tags)))
    return sentences


def project_split(folder: str | Path) -> tuple[list[Sentence], list[Sentence]]:
    """(train, held-out test) by the convention in shared/README.md."""
    folder = Path(folder)
    dev = read_germeval(folder / "NER-de-dev.tsv")
    test = read_germeval(folder / "NER-de-test.tsv")
    if len(test) != 5100:
        raise InputError(str(folder / "NER-de-test.tsv"), f"expected 5,100 sentences, found {len(test)}")
    return dev + test[:4100], test[4100:]


def spans(tags: list[str] | tuple[str, ...]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) from BIO tags; an I- without a B- starts an entity."""
    out: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind and start >= 0
        if not inside:
            if start >= 0:
                out.add((start, i, kind))
            start, kind = (i, tag[2:]) if tag != "O" else (-1, "")
    return out
