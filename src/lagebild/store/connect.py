"""Opening a SQLite database and writing to it safely: busy waits, retries, read-only fallbacks.

Several processes may write one database (two ``analyze`` runs, ``reuse`` beside ``serve``):
every write is a short ``BEGIN IMMEDIATE`` transaction, retried while another writer holds the
lock. A database on read-only media (or one the user may not write) is opened with the
``mode=ro`` URI and, when even that fails because the WAL index cannot be created, ``immutable=1``.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lagebild.errors import StoreError

__all__ = ["BUSY_TIMEOUT", "connect", "is_busy", "explain", "immediate", "rollback"]

T = TypeVar("T")

# Seconds one statement waits for another writer's lock (SQLite's busy handler), and how long a
# whole write transaction is retried after that. Writers hold the lock for one batch write only.
BUSY_TIMEOUT = 30.0
RETRY_FOR = 300.0

_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_READONLY = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", -1)) & 0xFF


def is_busy(exc: sqlite3.Error) -> bool:
    """True when ``exc`` means another connection holds a lock (waiting and retrying may help)."""
    return _code(exc) in _BUSY or "database is locked" in str(exc)


def explain(path: str, exc: sqlite3.Error) -> str:
    """A one-line message for ``exc`` that keeps SQLite's own words ("database or disk is full")."""
    if _code(exc) == sqlite3.SQLITE_FULL:
        return f"database or disk is full: cannot write {path} ({exc})"
    if is_busy(exc):
        return f"database {path} stayed locked by another writer for {RETRY_FOR:.0f} s ({exc})"
    return f"database error in {path}: {exc}"


def rollback(db: sqlite3.Connection, error: BaseException) -> None:
    """Roll back the open transaction, if SQLite has not already done so (it does on SQLITE_FULL).

    A failing ROLLBACK must not hide the error that caused it: it is added to ``error`` as a note.
    """
    if not db.in_transaction:
        return
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        error.add_note(f"rollback failed too: {exc}")


def _open(target: str, uri: bool, timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(target, uri=uri, timeout=timeout, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file and the WAL index
    except sqlite3.Error:
        db.close()
        raise
    return db


def connect(path: str, *, readonly: bool, timeout: float = BUSY_TIMEOUT) -> tuple[sqlite3.Connection, bool]:
    """A connection to ``path`` and whether it is read-only.

    ``readonly=False``: a normal read-write connection (the file is created if missing).
    ``readonly=True``: read-write when possible (so that maintenance on open still happens), else
    ``mode=ro``, else ``immutable=1`` (read-only media: the WAL index cannot be created).
    """
    if readonly and not Path(path).is_file():  # a reader must not leave an empty database behind
        raise StoreError(f"no database at {path} (run `lagebild analyze` first)")
    try:
        db = _open(path, False, timeout)
    except sqlite3.Error as exc:
        if not readonly or _code(exc) not in _READONLY:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        first = str(exc)
    else:
        # A file or folder we may not write: SQLite would open it read-only without saying so.
        if not readonly or _writable(path):
            return db, False
        db.close()
        first = "the file or its folder is not writable"
    uri = Path(path).resolve().as_uri()
    for query in ("?mode=ro", "?immutable=1"):
        try:
            return _open(uri + query, True, timeout), True
        except sqlite3.Error as exc:
            if _code(exc) not in _READONLY:
                raise StoreError(f"cannot open database {path} read-only: {exc}") from exc
    raise StoreError(f"cannot open database {path}, not even read-only: {first}")


def _writable(path: str) -> bool:
    """Whether a writer could use ``path``: the file and its folder (WAL and lock files live beside it)."""
    import os

    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def immediate(
    db: sqlite3.Connection,
    path: str,
    work: Callable[[sqlite3.Connection], T],
    *,
    retry_for: float = RETRY_FOR,
    commit: bool = True,
) -> T:
    """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction; retry it while another writer holds the lock.

    ``work`` must be safe to run again from the start (it is, when it only writes: a rolled-back
    attempt left nothing behind). Any other database error rolls back and becomes a StoreError.
    ``commit=False`` leaves the transaction open (and the write lock held) for the caller to end.
    """
    deadline = time.monotonic() + retry_for
    pause = 0.05
    while True:
        try:
            db.execute("BEGIN IMMEDIATE")
            result = work(db)
            if commit:
                db.execute("COMMIT")
            return result
        except sqlite3.Error as exc:
            rollback(db, exc)
            if is_busy(exc) and time.monotonic() < deadline:
                # jitter: two writers that collided should not retry in step
                time.sleep(pause * (0.5 + random.random()))
                pause = min(pause * 2, 1.0)
                continue
            raise StoreError(explain(path, exc)) from exc
        except BaseException as exc:
            rollback(db, exc)
            raise
