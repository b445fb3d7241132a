"""lagebild: turn a pile of news articles into a situation picture an analyst can trust.

The public API is re-exported here; see :mod:`lagebild.api` for the functions the CLI uses.
Names are loaded on first use (PEP 562), so ``import lagebild`` and ``lagebild --help`` stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
from lagebild.version import __version__

if TYPE_CHECKING:
    from lagebild.api import RunSummary, analyze, export, info, write_report
    from lagebild.config import Config, load_config
    from lagebild.model import Article, DateInfo, Provenance, RemovedSpan, Sentence
    from lagebild.pipeline import Context, Pipeline, registered_stages, stage
    from lagebild.store import Store, open_store

_LAZY = {
    **dict.fromkeys(("RunSummary", "analyze", "export", "info", "write_report"), "lagebild.api"),
    **dict.fromkeys(("Config", "load_config"), "lagebild.config"),
    **dict.fromkeys(("Article", "DateInfo", "Provenance", "RemovedSpan", "Sentence"), "lagebild.model"),
    **dict.fromkeys(("Context", "Pipeline", "registered_stages", "stage"), "lagebild.pipeline"),
    **dict.fromkeys(("Store", "open_store"), "lagebild.store"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lagebild' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
