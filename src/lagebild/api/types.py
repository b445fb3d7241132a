"""Result and callback types of the library API (``lagebild.api`` re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lagebild.reuse import ReuseEdge
    from lagebild.store import Story

__all__ = ["RunSummary", "ReuseSummary", "Progress"]


@dataclass
class RunSummary:
    run_id: int
    db: str
    added: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    report: str | None = None
    interrupted: bool = False
    reuse: ReuseSummary | None = None  # near-duplicates and reposts, when [reuse] enabled
    stories: list[Story] | None = None  # stories of at least two articles, when [stories] enabled

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def exit_code(self) -> int:
        """0: every item was read; 1: some items failed; 2: nothing usable was read."""
        if self.added + self.unchanged == 0:
            return 2
        return 1 if self.failures else 0


class Progress:
    """Callbacks for long runs. The CLI draws a progress bar from them; the default does nothing."""

    def start(self, files: int) -> None:
        """Called once with the number of input files (after expanding directories)."""

    def file_done(self, path: str) -> None:
        """Called after each input file."""

    def item(self, outcome: Literal["added", "unchanged", "failed"], source: str, detail: str) -> None:
        """Called per article or failed item."""

    def reuse(self, done: int, total: int) -> None:
        """Called while near-duplicates are searched: articles hashed so far, of ``total``."""


@dataclass
class ReuseSummary:
    db: str
    articles: int  # articles compared
    edges: list[ReuseEdge] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for edge in self.edges:
            counts[edge.kind] = counts.get(edge.kind, 0) + 1
        return counts
