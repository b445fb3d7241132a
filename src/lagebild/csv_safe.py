"""CSV that a spreadsheet cannot turn into formulas (the one writer of every CSV lagebild makes).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets ("CSV injection"); titles, quotes and outlet names come
from the articles, so any of them may. Following the OWASP rule, such a text cell gets a leading
``'``, which spreadsheets show as text. Numbers are left as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

__all__ = ["FORMULA_START", "safe_cell", "safe_row", "SafeDictWriter"]

# The fullwidth forms are read as formulas too by some spreadsheets in East Asian locales.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


class SafeDictWriter:
    """:class:`csv.DictWriter` whose every text cell goes through :func:`safe_cell`."""

    def __init__(self, out: IO[str], fieldnames: Iterable[str]) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = csv.DictWriter(out, fieldnames=self.fieldnames)

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow(safe_row(row))
