"""SQLite implementation of :class:`~lagebild.store.Store`.

The article record is stored whole as JSON (the export schema), with the columns that lists
and filters need beside it. WAL mode: readers (the report, ``serve``) never block a writer,
and a killed run leaves every committed batch intact.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from lagebild.errors import StoreError
from lagebild.model import Article
from lagebild.store import Edge, RunRecord, Story, fts

__all__ = ["SQLiteStore", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    source_format TEXT NOT NULL,
    url TEXT,
    title TEXT,
    outlet TEXT,
    language TEXT,
    published TEXT,
    published_precision TEXT,
    added_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    run_id INTEGER NOT NULL,
    PRIMARY KEY (source, article_id)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    paths TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS failures (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edges (
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (source_id, target_id, kind, method)
);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target_id);
CREATE INDEX IF NOT EXISTS edges_kind ON edges(kind);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    start TEXT,
    end TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_members (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX IF NOT EXISTS story_members_article ON story_members(article_id);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"{path} was written by a newer lagebild (schema {row[0]})")
            fts.install(self._db)  # search index + totals, kept current by triggers
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        self._in_tx = False

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_tx:
            yield
            return
        self._execute("BEGIN")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self._in_tx = False
            self._execute("ROLLBACK")
            raise
        self._in_tx = False
        self._execute("COMMIT")

    def commit(self) -> None:
        """Commit the open transaction (if any) and start a new one: a batch boundary."""
        if self._in_tx:
            self._execute("COMMIT")
            self._execute("BEGIN")

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database error in {self.path}: {exc}") from exc

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
        cur = self._execute(
            f"INSERT INTO articles (id, {', '.join(columns)}) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            f"ON CONFLICT(id) {conflict}",
            (
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
                json.dumps(article.to_dict(), ensure_ascii=False),
            ),
        )
        return cur.rowcount == 1

    def get(self, article_id: str) -> Article | None:
        row = self._execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def has(self, article_id: str) -> bool:
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
        self._execute("INSERT OR IGNORE INTO sources VALUES (?,?,?)", (source, article_id, run_id))

    def start_run(self, paths: list[str]) -> int:
        cur = self._execute(
            "INSERT INTO runs (started, status, paths) VALUES (?, 'running', ?)", (_now(), json.dumps(paths))
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, added: int, unchanged: int, failed: int) -> None:
        self._execute(
            "UPDATE runs SET finished=?, status=?, added=?, unchanged=?, failed=? WHERE id=?",
            (_now(), status, added, unchanged, failed, run_id),
        )

    def add_failure(self, run_id: int, source: str, reason: str) -> None:
        self._execute("INSERT INTO failures VALUES (?,?,?)", (run_id, source, reason))

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

    # -- edges between articles -----------------------------------------------------------------
    def put_edges(self, edges: Iterable[Edge], method: str | None = None) -> int:
        rows = {(e.source_id, e.target_id, e.kind, e.method): e for e in edges}
        methods = {key[3] for key in rows} | ({method} if method is not None else set())
        with self.transaction():
            for name in sorted(methods):
                self._execute("DELETE FROM edges WHERE method=?", (name,))
            for e in rows.values():
                try:
                    evidence = json.dumps(e.evidence, ensure_ascii=False, sort_keys=True)
                except (TypeError, ValueError) as exc:
                    raise StoreError(
                        f"edge {e.source_id}->{e.target_id}: evidence is not JSON: {exc}"
                    ) from exc
                self._execute(
                    "INSERT INTO edges VALUES (?,?,?,?,?,?)",
                    (e.source_id, e.target_id, e.kind, float(e.score), evidence, e.method),
                )
        return len(rows)

    def edges(
        self, kind: str | None = None, article_id: str | None = None, method: str | None = None
    ) -> list[Edge]:
        where: list[str] = []
        params: list[Any] = []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if method is not None:
            where.append("method = ?")
            params.append(method)
        if article_id is not None:
            where.append("(source_id = ? OR target_id = ?)")
            params += [article_id, article_id]
        sql = "SELECT source_id, target_id, kind, score, method, evidence FROM edges"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY kind, score DESC, source_id, target_id"
        return [
            Edge(str(s), str(t), str(k), float(sc), str(m), json.loads(ev))
            for s, t, k, sc, m, ev in self._execute(sql, tuple(params)).fetchall()
        ]

    # -- stories (clusters of articles) ---------------------------------------------------------------
    def put_stories(self, stories: Iterable[Story]) -> int:
        rows = {s.id: s for s in stories}
        with self.transaction():
            self._execute("DELETE FROM story_members")
            self._execute("DELETE FROM stories")
            for s in rows.values():
                data = {k: v for k, v in asdict(s).items() if k not in ("id", "label", "start", "end")}
                try:
                    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
                except (TypeError, ValueError) as exc:
                    raise StoreError(f"story {s.id}: evidence is not JSON: {exc}") from exc
                self._execute(
                    "INSERT INTO stories VALUES (?,?,?,?,?,?)",
                    (s.id, s.label, len(s.members), s.start, s.end, payload),
                )
                for member in dict.fromkeys(s.members):
                    self._execute("INSERT INTO story_members VALUES (?,?)", (s.id, member))
        return len(rows)

    def stories(self, article_id: str | None = None) -> list[Story]:
        sql = "SELECT id, label, start, end, data FROM stories"
        params: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE id IN (SELECT story_id FROM story_members WHERE article_id = ?)"
            params = (article_id,)
        sql += " ORDER BY size DESC, start IS NULL, start, id"
        out = []
        for sid, label, start, end, data in self._execute(sql, params).fetchall():
            extra = json.loads(data)
            out.append(Story(id=str(sid), label=str(label), start=start, end=end, **extra))
        return out

    def close(self) -> None:
        if self._in_tx:
            self._execute("COMMIT")
            self._in_tx = False
        self._db.close()
