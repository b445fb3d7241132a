"""SQLite implementation of :class:`~lagebild.store.Store`.

The article record is stored whole as JSON (the export schema), with the columns that lists
and filters need beside it. WAL mode: readers (the report, ``serve``) never block a writer,
and a killed run leaves every committed batch intact.

Writes inside :meth:`SQLiteStore.transaction` are collected and written at each batch boundary
in one short ``BEGIN IMMEDIATE`` transaction, retried while another process writes
(:mod:`lagebild.store.connect`): the write lock is never held while the pipeline works, so two
``analyze`` runs on one database take turns instead of failing with "database is locked".
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from lagebild.errors import StoreError
from lagebild.model import Article
from lagebild.store import fts, relations
from lagebild.store.base import Edge, RunRecord, Store, Story
from lagebild.store.batch import SPILL_OPS, Op, count_into_runs, run_ops
from lagebild.store.connect import BUSY_TIMEOUT, connect, explain, immediate, rollback
from lagebild.store.runlock import RunLock, abandoned
from lagebild.store.schema import SCHEMA_VERSION, TABLES, check_version, create_tables

__all__ = ["SQLiteStore", "SCHEMA_VERSION", "connection"]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore:
    """A lagebild database. ``readonly=True`` falls back to read-only access when the file or its
    folder cannot be written (read-only media); such a store refuses every write."""

    def __init__(self, path: str, *, readonly: bool = False, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self._batch: list[Op] | None = None  # None: no transaction open
        self._pending: dict[str, str] = {}  # article id -> JSON record written by the open batch
        self._locks: dict[int, RunLock] = {}  # runs this store started and has not finished
        self._spilled: Counter[tuple[int, str]] | None = None  # an open SQLite transaction: its counts
        self._db, self.readonly = connect(path, readonly=readonly, timeout=timeout)
        try:
            if not self.readonly:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        except StoreError:
            self._db.close()
            raise

    def _prepare(self) -> None:
        """Create missing tables, check the schema version, mark dead runs, install the search index."""
        if not self.readonly:
            names = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not set(TABLES) <= names:
                immediate(self._db, self.path, create_tables)
        if self._has_table("meta"):
            row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            check_version(self.path, row[0] if row else None)
        elif self.readonly:
            raise StoreError(f"{self.path} is not a lagebild database (no meta table)")
        if not self.readonly:
            self._mark_interrupted()
            # search index + totals, kept current by triggers; rebuilt if a part is missing
            fts.install(self._db, self.path)

    def _has_table(self, name: str) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
        return self._db.execute(sql, (name,)).fetchone() is not None

    def _mark_interrupted(self) -> None:
        """Runs still ``running`` whose process is gone (killed) become ``interrupted``.

        Judged without the write lock, so opening a database beside a live run does not wait for
        it: a run's lock file exists before its row commits, so a visible ``running`` row whose lock
        can be taken (or is missing) belongs to no live process.
        """
        rows = self._db.execute("SELECT id FROM runs WHERE status='running'").fetchall()
        dead = [int(run_id) for (run_id,) in rows if abandoned(self.path, int(run_id))]
        if dead:
            marks = ",".join("?" * len(dead))
            sql = f"UPDATE runs SET status='interrupted' WHERE status='running' AND id IN ({marks})"
            immediate(self._db, self.path, lambda db: db.execute(sql, dead))

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Collect writes; write them at :meth:`commit` and at the end (nothing when an error escapes)."""
        if self._batch is not None:
            yield
            return
        self._batch = []
        try:
            yield
        except BaseException:
            self._discard()
            raise
        try:
            self._flush()
        finally:
            self._discard()

    def commit(self) -> None:
        """Write the batch collected so far (a batch boundary); the transaction goes on."""
        if self._batch is not None:
            self._flush()

    def _discard(self) -> None:
        self._batch = None
        self._pending.clear()
        if self._spilled is not None:
            self._spilled = None
            rollback(self._db, StoreError("batch discarded"))

    def _flush(self) -> None:
        if self._spilled is not None:
            counted, self._spilled = self._spilled, None
            try:
                count_into_runs(self._db, counted)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                rollback(self._db, exc)
                raise StoreError(explain(self.path, exc)) from exc
            self._batch = []
        elif self._batch:
            ops, self._batch = self._batch, []
            try:
                self._apply(ops)
            finally:
                self._pending.clear()

    def _write(
        self, sql: str, params: tuple[Any, ...] = (), counts: str | None = None, run: int | None = None
    ) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only (read-only media or no write permission)")
        # Checked now, not when the batch is written: text SQLite cannot take (a lone surrogate)
        # fails this one write instead of the whole batch.
        for value in params:
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as exc:
                    raise StoreError(
                        f"cannot store {ascii(value[:60])}…: not valid Unicode ({exc.reason})"
                    ) from exc
        if counts and run is None and self._locks:
            run = max(self._locks)  # an article belongs to the run in progress
        op = Op(sql, params, counts, run if run in self._locks else None)
        if self._spilled is not None:
            try:
                run_ops(self._db, [op], self._spilled)
            except sqlite3.Error as exc:
                raise StoreError(explain(self.path, exc)) from exc
        elif self._batch is None:
            self._apply([op])
        else:
            self._batch.append(op)
            if len(self._batch) >= SPILL_OPS:
                self._spill()

    def _spill(self) -> None:
        """Write the batch into a transaction left open; later writes of the batch go straight in."""
        assert self._batch is not None
        ops, counted = self._batch, Counter[tuple[int, str]]()
        immediate(self._db, self.path, lambda db: run_ops(db, ops, counted), commit=False)
        self._spilled, self._batch = counted, []
        self._pending.clear()  # the open transaction shows them to has() and get() now

    def _apply(self, ops: list[Op]) -> None:
        """Write ``ops`` in one transaction, retried as a whole while another writer holds the lock."""

        def work(db: sqlite3.Connection) -> None:
            counted = Counter[tuple[int, str]]()
            run_ops(db, ops, counted)
            count_into_runs(db, counted)

        immediate(self._db, self.path, work)

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Run a read (writes go through :meth:`_write`)."""
        try:
            return self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise StoreError(explain(self.path, exc)) from exc

    # -- articles -------------------------------------------------------------------------------
    def put(self, article: Article, replace: bool = False) -> bool:
        pub = article.published
        columns = (
            "source",
            "source_format",
            "url",
            "title",
            "outlet",
            "language",
            "published",
            "published_precision",
            "added_at",
            "data",
        )
        conflict = (
            "DO UPDATE SET " + ", ".join(f"{c}=excluded.{c}" for c in columns) if replace else "DO NOTHING"
        )
        new = replace or not self.has(article.id)
        data = json.dumps(article.to_dict(), ensure_ascii=False)
        params = (
            article.id,
            article.source,
            article.source_format,
            article.url,
            article.title,
            article.outlet,
            article.language,
            pub.value if pub else None,
            pub.precision if pub else None,
            _now(),
            data,
        )
        self._write(
            f"INSERT INTO articles (id, {', '.join(columns)}) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            f"ON CONFLICT(id) {conflict}",
            params,
            counts="added",
        )
        if self._batch is not None:
            self._pending[article.id] = data
        return new

    def get(self, article_id: str) -> Article | None:
        if article_id in self._pending:
            return Article.from_dict(json.loads(self._pending[article_id]))
        row = self._execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def has(self, article_id: str) -> bool:
        if article_id in self._pending:
            return True
        return self._execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def query(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[Article]:
        where, params = [], []
        if outlet is not None:
            where.append("outlet = ?")
            params.append(outlet)
        if language is not None:
            where.append("language = ?")
            params.append(language)
        sql = "SELECT data FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published IS NULL, published, id LIMIT ? OFFSET ?"
        rows = self._execute(sql, (*params, -1 if limit is None else limit, offset)).fetchall()
        for (data,) in rows:
            yield Article.from_dict(json.loads(data))

    def count(self) -> int:
        return int(self._execute("SELECT count(*) FROM articles").fetchone()[0])

    def stats(self) -> dict[str, Any]:
        def grouped(column: str) -> dict[str, int]:
            rows = self._execute(
                f"SELECT coalesce({column}, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
            return {str(k): int(v) for k, v in rows}

        months: Counter[str] = Counter()
        for (pub,) in self._execute("SELECT published FROM articles").fetchall():
            months[pub[:7] if pub else "(undated)"] += 1
        return {
            "articles": self.count(),
            "by_outlet": grouped("outlet"),
            "by_language": grouped("language"),
            "by_format": grouped("source_format"),
            "by_month": dict(sorted(months.items())),
            "sources": int(self._execute("SELECT count(*) FROM sources").fetchone()[0]),
            "runs": int(self._execute("SELECT count(*) FROM runs").fetchone()[0]),
        }

    # -- runs and sources ---------------------------------------------------------------------------
    def add_source(self, source: str, article_id: str, run_id: int) -> None:
        self._write("INSERT OR IGNORE INTO sources VALUES (?,?,?)", (source, article_id, run_id))

    def start_run(self, paths: list[str]) -> int:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only: cannot start a run")

        def insert(db: sqlite3.Connection) -> int:
            cur = db.execute(
                "INSERT INTO runs (started, status, paths) VALUES (?, 'running', ?)",
                (_now(), json.dumps(paths)),
            )
            assert cur.lastrowid is not None
            run_id = int(cur.lastrowid)
            # The lock exists before the row commits, so no other process can take the run for dead.
            self._locks[run_id] = RunLock(self.path, run_id)
            return run_id

        return immediate(self._db, self.path, insert)

    def finish_run(self, run_id: int, status: str, added: int, unchanged: int, failed: int) -> None:
        """Close the run's row. For a run this store started, ``added`` and ``failed`` are the counts
        it committed (they stay lower than the given ones when a batch was lost, e.g. on a full disk)."""
        lock = self._locks.get(run_id)
        if lock is None:
            self._write(
                "UPDATE runs SET finished=?, status=?, added=?, unchanged=?, failed=? WHERE id=?",
                (_now(), status, added, unchanged, failed, run_id),
            )
            return
        try:
            self._write(
                "UPDATE runs SET finished=?, status=?, unchanged=? WHERE id=?",
                (_now(), status, unchanged, run_id),
            )
        finally:
            del self._locks[run_id]
            lock.release()

    def add_failure(self, run_id: int, source: str, reason: str) -> None:
        self._write(
            "INSERT INTO failures VALUES (?,?,?)", (run_id, source, reason), counts="failed", run=run_id
        )

    def failures(self, run_id: int | None = None) -> list[tuple[str, str]]:
        if run_id is None:
            row = self._execute("SELECT max(id) FROM runs").fetchone()
            run_id = row[0] if row else None
        rows = self._execute("SELECT source, reason FROM failures WHERE run_id=?", (run_id,)).fetchall()
        return [(str(s), str(r)) for s, r in rows]

    def runs(self) -> list[RunRecord]:
        rows = self._execute(
            "SELECT id, started, finished, status, added, unchanged, failed, paths FROM runs ORDER BY id"
        ).fetchall()
        return [RunRecord(*row) for row in rows]

    # -- edges and stories (lagebild.store.relations) ----------------------------------------------
    def put_edges(self, edges: Iterable[Edge], method: str | None = None) -> int:
        return relations.put_edges(self, edges, method)

    def edges(
        self, kind: str | None = None, article_id: str | None = None, method: str | None = None
    ) -> list[Edge]:
        return relations.edges(self, kind, article_id, method)

    def put_stories(self, stories: Iterable[Story]) -> int:
        return relations.put_stories(self, stories)

    def stories(self, article_id: str | None = None) -> list[Story]:
        return relations.stories(self, article_id)

    def close(self) -> None:
        """Write what an open batch collected, release the locks of unfinished runs, close."""
        try:
            self._flush()
        finally:
            self._discard()
            for lock in self._locks.values():
                lock.release()  # an unfinished run: the next open marks it interrupted
            self._locks.clear()
            self._db.close()


def connection(store: Store) -> sqlite3.Connection:
    """The SQLite connection behind ``store`` (search and the indexes exist only for SQLite)."""
    if not isinstance(store, SQLiteStore):
        raise StoreError(f"full-text search needs the SQLite store, not {type(store).__name__}")
    return store._db
