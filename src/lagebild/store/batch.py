"""The write batches of the SQLite store: operations collected and written in one transaction."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["Op", "SPILL_OPS", "run_ops", "count_into_runs"]

# A batch larger than this is no longer held in memory: it is written into an open transaction that
# keeps the write lock until the batch ends (still atomic; other writers wait, as before batching).
SPILL_OPS = 5000


@dataclass
class Op:
    sql: str
    params: tuple[Any, ...]
    counts: str | None = None  # "added"/"failed": counted into the row of ``run`` when it writes a row
    run: int | None = None


def run_ops(db: sqlite3.Connection, ops: list[Op], counted: Counter[tuple[int, str]]) -> None:
    for op in ops:
        cur = db.execute(op.sql, op.params)
        if op.counts and op.run is not None and cur.rowcount > 0:
            counted[op.run, op.counts] += 1


def count_into_runs(db: sqlite3.Connection, counted: Counter[tuple[int, str]]) -> None:
    """Add what a batch wrote to its runs' rows, in the batch's transaction: after a lost batch or a
    kill, a run's row never claims more than the database holds."""
    for run in sorted({run for run, _ in counted}):
        db.execute(
            "UPDATE runs SET added = added + ?, failed = failed + ? WHERE id = ?",
            (counted[run, "added"], counted[run, "failed"], run),
        )
