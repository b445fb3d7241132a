"""Which ``running`` runs are still alive: a lock file per run, held by the process that runs it.

A run killed with ``kill -9`` cannot mark itself; its row says ``running`` until the next open of
the database looks: the kernel releases a dead process's ``flock``, so a lock that can be taken
(or a missing lock file) means nobody runs that run any more and it is marked ``interrupted``.
Another live ``analyze`` on the same database keeps its lock, so its run is left alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

from lagebild.errors import StoreError

__all__ = ["RunLock", "abandoned", "lock_path"]


def lock_path(db_path: str, run_id: int) -> str:
    return f"{db_path}-run{run_id}.lock"


class RunLock:
    """An exclusive lock on the lock file of run ``run_id``, held until :meth:`release`."""

    def __init__(self, db_path: str, run_id: int) -> None:
        self.path = lock_path(db_path, run_id)
        try:
            # held open until release(): the lock lives as long as the descriptor
            self._fh: IO[str] | None = open(self.path, "w", encoding="ascii")  # noqa: SIM115
            self._fh.write(f"{os.getpid()}\n")
            self._fh.flush()
            _lock(self._fh)
        except OSError as exc:
            raise StoreError(f"cannot create the run lock {self.path}: {exc.strerror}") from exc

    def release(self) -> None:
        if self._fh is None:
            return
        with contextlib.suppress(FileNotFoundError):  # removed by hand; the lock goes with the descriptor
            os.unlink(self.path)
        self._fh.close()
        self._fh = None


def abandoned(db_path: str, run_id: int) -> bool:
    """True when no live process holds the lock of run ``run_id`` (removes the stale lock file)."""
    path = lock_path(db_path, run_id)
    try:
        fh = open(path, "r+", encoding="ascii")  # noqa: SIM115 (closed by the with below)
    except FileNotFoundError:
        return True  # killed before its lock existed, or written by a lagebild without run locks
    except OSError:
        return False  # cannot tell: leave the run as it is
    with fh:
        if not _try_lock(fh):
            return False
        os.unlink(path)
        return True


if sys.platform == "win32":  # no flock: runs are never judged abandoned there

    def _lock(fh: IO[str]) -> None:
        return None

    def _try_lock(fh: IO[str]) -> bool:
        return False

else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
