"""Edges between articles and stories (clusters of articles) in the SQLite store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import asdict
from typing import Any, Protocol

from lagebild.errors import StoreError
from lagebild.store.base import Edge, Story

__all__ = ["put_edges", "edges", "put_stories", "stories"]


class SQLiteTables(Protocol):
    """What these functions use of :class:`lagebild.store.sqlite.SQLiteStore` (which calls them), so
    this module need not import it."""

    def transaction(self) -> AbstractContextManager[None]: ...

    def _write(
        self, sql: str, params: tuple[Any, ...] = (), counts: str | None = None, run: int | None = None
    ) -> None: ...

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor: ...


# -- edges between articles -----------------------------------------------------------------
def put_edges(store: SQLiteTables, edges: Iterable[Edge], method: str | None = None) -> int:
    rows = {(e.source_id, e.target_id, e.kind, e.method): e for e in edges}
    methods = {key[3] for key in rows} | ({method} if method is not None else set())
    with store.transaction():
        for name in sorted(methods):
            store._write("DELETE FROM edges WHERE method=?", (name,))
        for e in rows.values():
            try:
                evidence = json.dumps(e.evidence, ensure_ascii=False, sort_keys=True)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"edge {e.source_id}->{e.target_id}: evidence is not JSON: {exc}") from exc
            store._write(
                "INSERT INTO edges VALUES (?,?,?,?,?,?)",
                (e.source_id, e.target_id, e.kind, float(e.score), evidence, e.method),
            )
    return len(rows)


def edges(
    store: SQLiteTables, kind: str | None = None, article_id: str | None = None, method: str | None = None
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
        for s, t, k, sc, m, ev in store._execute(sql, tuple(params)).fetchall()
    ]


# -- stories (clusters of articles) ---------------------------------------------------------------
def put_stories(store: SQLiteTables, stories: Iterable[Story]) -> int:
    rows = {s.id: s for s in stories}
    with store.transaction():
        store._write("DELETE FROM story_members")
        store._write("DELETE FROM stories")
        for s in rows.values():
            data = {k: v for k, v in asdict(s).items() if k not in ("id", "label", "start", "end")}
            try:
                payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"story {s.id}: evidence is not JSON: {exc}") from exc
            store._write(
                "INSERT INTO stories VALUES (?,?,?,?,?,?)",
                (s.id, s.label, len(s.members), s.start, s.end, payload),
            )
            for member in dict.fromkeys(s.members):
                store._write("INSERT INTO story_members VALUES (?,?)", (s.id, member))
    return len(rows)


def stories(store: SQLiteTables, article_id: str | None = None) -> list[Story]:
    sql = "SELECT id, label, start, end, data FROM stories"
    params: tuple[Any, ...] = ()
    if article_id is not None:
        sql += " WHERE id IN (SELECT story_id FROM story_members WHERE article_id = ?)"
        params = (article_id,)
    sql += " ORDER BY size DESC, start IS NULL, start, id"
    out = []
    for sid, label, start, end, data in store._execute(sql, params).fetchall():
        extra = json.loads(data)
        out.append(Story(id=str(sid), label=str(label), start=start, end=end, **extra))
    return out
