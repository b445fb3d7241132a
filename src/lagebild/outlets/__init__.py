"""The outlet registry and reliability labels imported from user-given files.

``load_outlets()`` reads the shipped outlet files (``lagebild/kb/outlets/*.yaml``) and any user
directories; ``read_labels()`` and ``attach_labels()`` import reliability labels with their stated
sources. No label is ever invented: an outlet without an imported label has none.
"""

from __future__ import annotations

from lagebild.outlets.registry import (
    FACT_KINDS,
    OUTLET_TYPES,
    Outlet,
    OutletDataError,
    OutletFact,
    OutletRegistry,
    host_of,
    load_outlets,
)
from lagebild.outlets.reliability import (
    AttachResult,
    LabelFileError,
    LabelImport,
    LabelRowError,
    ReliabilityLabel,
    attach_labels,
    load_labels,
    read_labels,
)

__all__ = [
    "FACT_KINDS",
    "OUTLET_TYPES",
    "AttachResult",
    "LabelFileError",
    "LabelImport",
    "LabelRowError",
    "Outlet",
    "OutletDataError",
    "OutletFact",
    "OutletRegistry",
    "ReliabilityLabel",
    "attach_labels",
    "host_of",
    "load_labels",
    "load_outlets",
    "read_labels",
]
