"""What every store shares: the :class:`Store` protocol and the records it reads and writes.

:mod:`lagebild.store` re-exports all of it; the back-ends (:mod:`lagebild.store.sqlite`) import it from
here, so they never import the package that opens them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from lagebild.model import Article

__all__ = ["Store", "RunRecord", "Edge", "Story"]


@dataclass
class RunRecord:
    id: int
    started: str
    finished: str | None
    status: str
    added: int
    unchanged: int
    failed: int
    paths: str


@dataclass
class Edge:
    """A directed relation between two articles (or an article and an outlet node).

    ``kind``: "near_duplicate" (undirected: source is the earlier or smaller id), "reposts" (source
    copied from target), "translates" (source translates target) … ``method`` names the detector
    that wrote the edge ("minhash", …); a rerun of a method replaces all of that method's edges.
    ``evidence`` is any JSON-serialisable mapping.
    """

    source_id: str
    target_id: str
    kind: str
    score: float
    method: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    """A cluster of articles about the same event or topic (written by ``lagebild.reuse.stories``).

    ``id`` is a content hash of the sorted member ids (stable across reruns while the members stay);
    ``start``/``end`` span the members' publication dates (None when none is dated); ``members`` are
    article ids, most central first; ``evidence`` holds the shared keywords and actors, the cohesion
    (mean pairwise similarity) and the method.
    """

    id: str
    label: str
    members: list[str]
    start: str | None = None
    end: str | None = None
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    cohesion: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict)


class Store(Protocol):
    """What lagebild needs from a database. Writes happen inside ``transaction()``."""

    def put(self, article: Article, replace: bool = False) -> bool:
        """Store ``article``; return False when that id is already stored (and not replaced)."""

    def get(self, article_id: str) -> Article | None: ...

    def has(self, article_id: str) -> bool: ...

    def query(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]: ...

    def count(self) -> int: ...

    def stats(self) -> dict[str, Any]: ...

    def add_source(self, source: str, article_id: str, run_id: int) -> None: ...

    def start_run(self, paths: list[str]) -> int: ...

    def finish_run(self, run_id: int, status: str, added: int, unchanged: int, failed: int) -> None:
        """Close the run's row; a store may record the counts it actually committed instead."""

    def add_failure(self, run_id: int, source: str, reason: str) -> None: ...

    def failures(self, run_id: int | None = None) -> list[tuple[str, str]]: ...

    def runs(self) -> list[RunRecord]: ...

    def put_edges(self, edges: Iterable[Edge], method: str | None = None) -> int:
        """Store ``edges``; return how many were written.

        Every stored edge of ``method`` and of each method that occurs in ``edges`` is deleted
        first, so rerunning a detector replaces its edges (pass ``method`` to clear a method's
        edges even when the new run found none). Duplicates (same source, target, kind, method)
        keep the last one.
        """

    def edges(
        self, kind: str | None = None, article_id: str | None = None, method: str | None = None
    ) -> list[Edge]:
        """Stored edges, optionally of one ``kind``/``method`` and touching ``article_id`` (either end)."""

    def put_stories(self, stories: Iterable[Story]) -> int:
        """Replace every stored story with ``stories``; return how many were written."""

    def stories(self, article_id: str | None = None) -> list[Story]:
        """Stored stories, largest first; with ``article_id`` only the story holding that article."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def commit(self) -> None: ...

    def close(self) -> None: ...
