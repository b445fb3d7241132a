"""One reliability label as a user's file states it (:mod:`lagebild.outlets.reliability` reads the files).

Its own module because both the registry (an outlet holds its labels) and the label import need it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReliabilityLabel"]


@dataclass(frozen=True)
class ReliabilityLabel:
    """One row of a label file: the value and the source it states, and where the row is."""

    domain: str
    value: str
    source: str
    file: str
    row: int  # line number in the file; the header is line 1
    extra: tuple[tuple[str, str], ...] = ()  # further non-empty columns of the row, as written

    def __str__(self) -> str:
        extra = "".join(f", {k}={v}" for k, v in self.extra)
        return f"{self.value} (source: {self.source}{extra}; {self.file} row {self.row})"
