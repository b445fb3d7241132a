"""Near-duplicates and reposts between articles: document-level edges and paragraph alignment.

:func:`find_near_duplicates` hashes every article's text (``clean_text``, else ``raw_text``) into
a MinHash signature, finds candidate pairs with LSH banding (no all-pairs comparison) and keeps
pairs whose estimated Jaccard similarity of word shingles reaches ``threshold``. Each edge is
then directed when the evidence allows:

* a **provenance note** of one article (kind ``first_published``, ``source`` or ``based_on``,
  e.g. "erschien zuerst auf RT-Deutsch") names the other article's outlet (by name or an alias
  in the outlet registry, or by the URL's host) → the noting article reposts the other;
* otherwise **dates** that differ at their common precision → the later article reposts the earlier;
* otherwise the edge is ``near_duplicate`` (undirected; source is the smaller id).

:func:`align_paragraphs` tells which paragraphs were copied (exact Jaccard of 3-word shingles per
paragraph pair, greedy one-to-one matching), which were added in the copy (intros, footers) and
which were cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lagebild.model import Article
from lagebild.outlets import OutletRegistry, host_of, load_outlets
from lagebild.reuse.minhash import near_pairs
from lagebild.reuse.shingles import jaccard, shingle_set
from lagebild.store import Edge

__all__ = [
    "METHOD",
    "NOTE_KINDS",
    "ReuseEdge",
    "ParagraphAlignment",
    "find_near_duplicates",
    "align_paragraphs",
    "paragraphs",
    "direction",
    "OutletMatcher",
]

METHOD = "minhash"
NOTE_KINDS = ("first_published", "source", "based_on")
_PARA_SPLIT = re.compile(r"\n\s*\n")


@dataclass
class ReuseEdge:
    """``source_id`` reposts (copies from) ``target_id``; for ``near_duplicate`` the order is by id."""

    source_id: str
    target_id: str
    kind: str  # "reposts" or "near_duplicate"
    score: float  # estimated Jaccard similarity of the word shingles
    evidence: dict[str, Any] = field(default_factory=dict)
    direction_evidence: str | None = None
    method: str = METHOD  # the detector that found the edge ("minhash", "e5-align", …)

    def to_edge(self) -> Edge:
        """The stored form (its own ``method``; the direction evidence goes into ``evidence``)."""
        evidence = dict(self.evidence)
        if self.direction_evidence:
            evidence["direction"] = self.direction_evidence
        return Edge(self.source_id, self.target_id, self.kind, self.score, self.method, evidence)

    @classmethod
    def from_edge(cls, edge: Edge) -> ReuseEdge:
        """The edge back from its stored form, whatever detector wrote it (method kept)."""
        evidence = dict(edge.evidence)
        direction_evidence = evidence.pop("direction", None)
        return cls(
            edge.source_id, edge.target_id, edge.kind, edge.score, evidence, direction_evidence, edge.method
        )


@dataclass
class ParagraphAlignment:
    """Paragraph correspondence of an original ``a`` and a copy ``b`` (indices into :func:`paragraphs`)."""

    pairs: list[tuple[int, int, float]]  # (paragraph of a, paragraph of b, Jaccard), in the order of b
    added: list[int]  # paragraphs of b without a counterpart in a (intros, footers, new text)
    cut: list[int]  # paragraphs of a without a counterpart in b
    paragraphs_a: int
    paragraphs_b: int

    @property
    def copied(self) -> list[int]:
        """Paragraphs of ``a`` that reappear in ``b``."""
        return sorted(i for i, _, _ in self.pairs)

    @property
    def reordered(self) -> bool:
        """True when the copied paragraphs appear in ``b`` in another order than in ``a``."""
        order = [i for i, _, _ in self.pairs]
        return order != sorted(order)

    def to_evidence(self) -> dict[str, Any]:
        return {
            "copied": [[i, j, round(s, 3)] for i, j, s in self.pairs],
            "added": len(self.added),
            "cut": len(self.cut),
            "added_paragraphs": self.added,
            "cut_paragraphs": self.cut,
            "reordered": self.reordered,
        }


def _text(item: Article | str) -> str:
    if isinstance(item, str):
        return item
    return item.clean_text or item.raw_text


def paragraphs(item: Article | str) -> list[str]:
    """Paragraphs of a text: blocks separated by blank lines; a text without blank lines is split
    at line breaks. Empty blocks are dropped."""
    text = _text(item).strip()
    parts = _PARA_SPLIT.split(text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [p.strip() for p in parts if p.strip()]


def align_paragraphs(
    a: Article | str, b: Article | str, *, shingle_size: int = 3, min_jaccard: float = 0.25
) -> ParagraphAlignment:
    """Align the paragraphs of the original ``a`` with those of the copy ``b``.

    Every paragraph pair is scored by the exact Jaccard similarity of its ``shingle_size``-word
    shingles; pairs are matched greedily from the most similar down to ``min_jaccard``, each
    paragraph at most once.
    """
    pa, pb = paragraphs(a), paragraphs(b)
    sa = [shingle_set(p, shingle_size) for p in pa]
    sb = [shingle_set(p, shingle_size) for p in pb]
    index: dict[tuple[str, ...], list[int]] = {}
    for j, shingles in enumerate(sb):
        for sh in shingles:
            index.setdefault(sh, []).append(j)
    scored: list[tuple[float, int, int]] = []
    for i, shingles in enumerate(sa):
        touched = {j for sh in shingles for j in index.get(sh, ())}
        for j in touched:
            score = jaccard(shingles, sb[j])
            if score >= min_jaccard:
                scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for score, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j, score))
    pairs.sort(key=lambda t: t[1])
    return ParagraphAlignment(
        pairs=pairs,
        added=[j for j in range(len(pb)) if j not in used_b],
        cut=[i for i in range(len(pa)) if i not in used_a],
        paragraphs_a=len(pa),
        paragraphs_b=len(pb),
    )


# -- direction -------------------------------------------------------------------------------------
def _norm(name: str) -> str:
    return re.sub(r"\W+", "", name.casefold())


class OutletMatcher:
    """Decides whether a provenance name refers to an article's outlet (aliases via the registry)."""

    def __init__(self, registry: OutletRegistry | None) -> None:
        self.registry = registry

    def key(self, name: str) -> str:
        if self.registry is not None:
            for variant in (name, name.replace("-", " "), re.sub(r"^(?:auf|bei|von|from|on)\s+", "", name)):
                outlet = self.registry.by_name(variant.strip())
                if outlet is not None:
                    return "id:" + outlet.id
        return "name:" + _norm(name)

    def names(self, article: Article) -> set[str]:
        keys = {self.key(article.outlet)} if article.outlet else set()
        if self.registry is not None:
            for key in list(keys):
                if key.startswith("id:"):
                    keys |= {"id:" + p.id for p in self.registry.parents(key[3:])}
        return keys

    def note(self, article: Article, other: Article) -> str | None:
        """The evidence of a provenance note of ``article`` that names ``other``'s outlet or host."""
        names = self.names(other)
        other_host = host_of(other.url) if other.url else None
        for prov in article.provenance:
            if prov.kind not in NOTE_KINDS:
                continue
            if (prov.name and self.key(prov.name) in names) or (
                prov.url and other_host and host_of(prov.url) == other_host
            ):
                return f"{prov.kind}: {prov.evidence or prov.name}"
        return None


def _date(article: Article) -> str | None:
    return article.published.value if article.published else None


def direction(
    a: Article, b: Article, matcher: OutletMatcher | None = None
) -> tuple[Article, Article, str] | None:
    """``(copy, original, evidence)`` when a provenance note or the dates tell the direction."""
    matcher = matcher or OutletMatcher(None)
    note_a, note_b = matcher.note(a, b), matcher.note(b, a)
    if note_a and not note_b:
        return a, b, note_a
    if note_b and not note_a:
        return b, a, note_b
    da, db = _date(a), _date(b)
    if da and db:
        common = min(len(da), len(db))
        if da[:common] != db[:common]:
            later, earlier = (a, b) if da[:common] > db[:common] else (b, a)
            return later, earlier, f"published {_date(later)} after {_date(earlier)}"
    return None


def _needs_registry(articles: Sequence[Article]) -> bool:
    return any(p.kind in NOTE_KINDS for a in articles for p in a.provenance)


def find_near_duplicates(
    articles: Sequence[Article],
    threshold: float = 0.3,
    *,
    num_perm: int = 128,
    shingle_size: int = 5,
    min_words: int = 40,
    seed: int = 1,
    align: bool = True,
    registry: OutletRegistry | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ReuseEdge]:
    """Document-level near-duplicate and repost edges among ``articles`` (see the module docstring).

    Texts shorter than ``min_words`` words are not compared (see :func:`near_pairs`).
    ``align`` adds the paragraph alignment of each pair to the evidence. The outlet registry (for
    aliases in provenance notes) is loaded only when some article has such a note.
    """
    texts = [_text(a) for a in articles]
    left, right, scores = near_pairs(
        texts,
        threshold,
        num_perm=num_perm,
        shingle_size=shingle_size,
        min_words=min_words,
        seed=seed,
        progress=progress,
    )
    if registry is None and len(left) and _needs_registry(articles):
        registry = load_outlets()
    matcher = OutletMatcher(registry)
    edges: list[ReuseEdge] = []
    for i, j, score in zip(left.tolist(), right.tolist(), scores.tolist(), strict=True):
        a, b = articles[i], articles[j]
        found = direction(a, b, matcher)
        if found is None:
            source, target = (a, b) if a.id <= b.id else (b, a)
            edge = ReuseEdge(source.id, target.id, "near_duplicate", round(score, 4))
        else:
            source, target, why = found
            edge = ReuseEdge(source.id, target.id, "reposts", round(score, 4), direction_evidence=why)
        if align:
            edge.evidence = align_paragraphs(target, source).to_evidence()
        edges.append(edge)
    edges.sort(key=lambda e: (-e.score, e.source_id, e.target_id))
    return edges
