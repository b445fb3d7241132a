"""lagebild: turn a pile of news articles into a situation picture an analyst can trust.

The public API is re-exported here; see :mod:`lagebild.api` for the functions the CLI uses.
"""

from __future__ import annotations

from lagebild.api import RunSummary, analyze, export, info, write_report
from lagebild.config import Config, load_config
from lagebild.errors import (
    ConfigError,
    DecodeError,
    InputError,
    LagebildError,
    MissingExtraError,
    PipelineError,
    StageError,
    StoreError,
    UnsupportedInputError,
)
from lagebild.model import Article, DateInfo, Provenance, RemovedSpan, Sentence
from lagebild.pipeline import Context, Pipeline, registered_stages, stage
from lagebild.store import Store, open_store
from lagebild.version import __version__

__all__ = [
    "__version__",
    "analyze",
    "export",
    "info",
    "write_report",
    "RunSummary",
    "Config",
    "load_config",
    "Article",
    "DateInfo",
    "Provenance",
    "RemovedSpan",
    "Sentence",
    "Context",
    "Pipeline",
    "registered_stages",
    "stage",
    "Store",
    "open_store",
    "LagebildError",
    "ConfigError",
    "InputError",
    "UnsupportedInputError",
    "DecodeError",
    "StageError",
    "PipelineError",
    "StoreError",
    "MissingExtraError",
]
