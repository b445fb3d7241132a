"""Storage behind one small interface. SQLite is the default; other back-ends implement ``Store``.

The protocol and the records are in :mod:`lagebild.store.base`; everything is importable from here.
"""

from __future__ import annotations

from lagebild.store.base import Edge, RunRecord, Store, Story

__all__ = ["Store", "RunRecord", "Edge", "Story", "open_store"]


def open_store(path: str, *, readonly: bool = False) -> Store:
    """Open (creating if needed) the store at ``path``: a SQLite file name.

    ``readonly=True`` is for readers (``info``, ``export``, ``report``, ``serve``): a database on
    read-only media or without write permission is opened read-only instead of failing.
    """
    from lagebild.store.sqlite import SQLiteStore

    return SQLiteStore(path, readonly=readonly)
