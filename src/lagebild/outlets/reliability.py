"""Reliability labels imported from a user-given CSV file, matched to outlets by domain.

lagebild ships no ratings and never makes one up. A label is exactly what a row of the user's file
says: its value as written, the source the file states for it (for example ``newsguard``, ``mbfc`` or
``wikipedia`` in the ``label_source`` column of the NAACL 2024 ``golden_truth_dataset.csv``), the file
name and the row. An outlet without a matching row has no label.

The default columns are those of ``golden_truth_dataset.csv`` (``domain``, ``reliability_label``,
``label_source``); other files name their columns with the keyword arguments. A file without a source
column needs ``source=`` to state, for every row, where its labels come from.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.errors import InputError
from lagebild.outlets.label import ReliabilityLabel
from lagebild.outlets.registry import DOMAIN_RE, OutletRegistry, host_of

__all__ = [
    "AttachResult",
    "LabelFileError",
    "LabelImport",
    "LabelRowError",
    "ReliabilityLabel",
    "attach_labels",
    "load_labels",
    "read_labels",
]


class LabelFileError(InputError):
    """A label file is missing, unreadable, lacks a needed column or (in strict mode) has bad rows."""

    def __init__(self, source: str, reason: str, errors: list[LabelRowError] | None = None) -> None:
        super().__init__(source, reason)
        self.errors: list[LabelRowError] = errors or []


@dataclass(frozen=True)
class LabelRowError:
    file: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file} row {self.row}: {self.reason}"


@dataclass
class LabelImport:
    labels: list[ReliabilityLabel]
    errors: list[LabelRowError]


@dataclass
class AttachResult:
    matched: int
    unmatched: int
    outlets_labelled: int
    unmatched_labels: list[ReliabilityLabel] = field(default_factory=list)


def load_labels(
    path: str | Path,
    *,
    domain_column: str = "domain",
    label_column: str = "reliability_label",
    source_column: str = "label_source",
    source: str | None = None,
) -> LabelImport:
    """Read every well-formed row of ``path``; malformed rows go to ``errors`` with their row number.

    ``source`` states the source of every label when the file has no ``source_column``; a file that
    has the column keeps each row's own source (a row with an empty source is an error).
    Raises :class:`LabelFileError` when the file is missing or unreadable or lacks a needed column.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise LabelFileError(str(path), "label file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelFileError(str(path), f"cannot read label file: {exc}") from exc
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise LabelFileError(str(path), "label file is empty (no header row)")
    if len(set(header)) != len(header):
        raise LabelFileError(str(path), f"duplicate column names in header {header}")
    missing = [c for c in (domain_column, label_column) if c not in header]
    has_source = source_column in header
    if not has_source and source is None:
        missing.append(source_column)
    if missing:
        hint = "" if has_source or source else "; or state the source of all labels with source=…"
        raise LabelFileError(str(path), f"missing column(s) {missing}; the header has {header}{hint}")
    own = {domain_column, label_column, source_column}
    labels: list[ReliabilityLabel] = []
    errors: list[LabelRowError] = []
    for line, row in enumerate(reader, 2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(LabelRowError(name, line, f"{len(row)} fields, the header has {len(header)}"))
            continue
        cells = {h: c.strip() for h, c in zip(header, row, strict=True)}
        host = host_of(cells[domain_column])
        if host is None or not DOMAIN_RE.match(host):
            errors.append(
                LabelRowError(name, line, f"{domain_column} {cells[domain_column]!r} is not a domain")
            )
            continue
        if not cells[label_column]:
            errors.append(LabelRowError(name, line, f"empty {label_column}"))
            continue
        row_source = cells[source_column] if has_source else (source or "")
        if not row_source:
            errors.append(LabelRowError(name, line, f"empty {source_column}: a label needs its source"))
            continue
        extra = tuple((h, cells[h]) for h in header if h not in own and cells[h])
        labels.append(ReliabilityLabel(host, cells[label_column], row_source, name, line, extra))
    return LabelImport(labels, errors)


def read_labels(
    path: str | Path,
    *,
    domain_column: str = "domain",
    label_column: str = "reliability_label",
    source_column: str = "label_source",
    source: str | None = None,
    errors: list[LabelRowError] | None = None,
) -> list[ReliabilityLabel]:
    """The labels of ``path`` (see :func:`load_labels` for the columns).

    Malformed rows are appended to ``errors`` when a list is given, and the well-formed rows are returned;
    without the list, any malformed row raises :class:`LabelFileError` (its ``errors`` name every row).
    """
    result = load_labels(
        path,
        domain_column=domain_column,
        label_column=label_column,
        source_column=source_column,
        source=source,
    )
    if errors is not None:
        errors.extend(result.errors)
    elif result.errors:
        shown = "; ".join(str(e) for e in result.errors[:5])
        more = f" (and {len(result.errors) - 5} more)" if len(result.errors) > 5 else ""
        raise LabelFileError(
            str(path),
            f"{len(result.errors)} malformed row(s): {shown}{more}; pass errors=[] to skip and collect them",
            result.errors,
        )
    return result.labels


def attach_labels(registry: OutletRegistry, labels: Iterable[ReliabilityLabel]) -> AttachResult:
    """Attach each label to the outlet owning its domain (``OutletRegistry.by_domain``: exact domain, or the
    longest registered domain the label's host is a subdomain of). A label for ``rt.com`` thus goes to RT,
    never to RT DE (``de.rt.com``). Labels already attached are not added twice."""
    matched = 0
    unmatched: list[ReliabilityLabel] = []
    labelled: set[str] = set()
    for label in labels:
        outlet = registry.by_domain(label.domain)
        if outlet is None:
            unmatched.append(label)
            continue
        matched += 1
        labelled.add(outlet.id)
        if label not in outlet.labels:
            outlet.labels.append(label)
    return AttachResult(matched, len(unmatched), len(labelled), unmatched)
