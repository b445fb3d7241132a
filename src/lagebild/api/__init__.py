"""The library API. The CLI and the web app are thin layers over these functions.

Analysis, the report and info live in :mod:`lagebild.api.analysis`; exports and the timeline in
:mod:`lagebild.api.exports`; reuse, provenance, translations and stories in :mod:`lagebild.api.reuse`;
the result types in :mod:`lagebild.api.types`. Everything is importable from ``lagebild.api``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lagebild.api.analysis import analyze, analyze_text, info, write_report
    from lagebild.api.exports import CSV_COLUMNS as CSV_COLUMNS
    from lagebild.api.exports import PARQUET_FORMATS as PARQUET_FORMATS
    from lagebild.api.exports import QUOTE_COLUMNS as QUOTE_COLUMNS
    from lagebild.api.exports import TIMELINE_COLUMNS as TIMELINE_COLUMNS
    from lagebild.api.exports import ExportFormat as ExportFormat
    from lagebild.api.exports import ParquetFormat as ParquetFormat
    from lagebild.api.exports import export, export_parquet, timeline
    from lagebild.api.exports import export_string as export_string
    from lagebild.api.reuse import find_reuse, find_stories, find_translations, provenance, stories, story
    from lagebild.api.types import Progress, ReuseSummary, RunSummary

# Each name and the module that defines it, loaded on first use (PEP 562): the CLI imports this
# package to declare its commands, and --help must not wait for the readers and the models.
_HOME = {
    **dict.fromkeys(("analyze", "analyze_text", "info", "write_report"), "analysis"),
    **dict.fromkeys(
        (
            "CSV_COLUMNS",
            "PARQUET_FORMATS",
            "QUOTE_COLUMNS",
            "TIMELINE_COLUMNS",
            "ExportFormat",
            "ParquetFormat",
            "export",
            "export_parquet",
            "timeline",
            "export_string",
        ),
        "exports",
    ),
    **dict.fromkeys(
        ("find_reuse", "find_stories", "find_translations", "provenance", "stories", "story"), "reuse"
    ),
    **dict.fromkeys(("Progress", "ReuseSummary", "RunSummary"), "types"),
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'lagebild.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"lagebild.api.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "RunSummary",
    "analyze",
    "analyze_text",
    "export",
    "info",
    "timeline",
    "write_report",
    "Progress",
    "export_parquet",
    "ReuseSummary",
    "find_reuse",
    "provenance",
    "find_translations",
    "find_stories",
    "stories",
    "story",
]
