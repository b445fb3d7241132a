"""Full-text search over the index of :mod:`lagebild.store.fts`: what a user typed, with filters."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from lagebild.errors import StoreError
from lagebild.store import Store
from lagebild.store.snippet import snippet
from lagebild.store.sqlite import connection

__all__ = ["COUNT_CAP", "fts_query", "search", "SearchHit", "SearchPage"]

COUNT_CAP = 10_000  # search counts stop here ("10000+"): counting every hit of a common word is slow

_TERM = re.compile(r'"([^"]+)"|([\w][\w.\'-]*\*?)')


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a user typed: words AND-ed, "quoted phrases", a trailing * for prefixes."""
    parts: list[str] = []
    for phrase, word in _TERM.findall(text):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
        elif word:
            prefix = word.endswith("*")
            core = " ".join(re.findall(r"\w+", word))
            if core:
                parts.append(f'"{core}"' + ("*" if prefix else ""))
    return " AND ".join(parts)


@dataclass
class SearchHit:
    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    snippet: str  # plain text; matches between \x02 and \x03


@dataclass
class SearchPage:
    total: int
    capped: bool  # more than COUNT_CAP hits: ``total`` is the cap, relevance ranks the newest COUNT_CAP
    hits: list[SearchHit]


def search(
    store: Store,
    q: str = "",
    *,
    outlet: str | None = None,
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    actor: str | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Articles matching ``q`` (see :func:`fts_query`) and the filters; without ``q``, the newest first."""
    db = connection(store)
    where: list[str] = []
    params: list[object] = []
    match = fts_query(q)
    if match:
        where.append("articles_fts MATCH ?")
        params.append(match)
    for column, value in (("outlet", outlet), ("language", language)):
        if value:
            where.append(f"a.{column} = ?")
            params.append(value)
    if date_from:
        where.append("a.published >= ?")
        params.append(date_from)
    if date_to:
        where.append("substr(a.published, 1, length(?)) <= ?")
        params += [date_to, date_to]
    if actor:
        where.append("a.rowid IN (SELECT article_rowid FROM article_actors WHERE actor_id = ?)")
        params.append(actor)
    # CROSS JOIN keeps the full-text match as the outer loop (else a filter index may drive the join).
    source = "articles_fts CROSS JOIN articles a ON a.rowid = articles_fts.rowid" if match else "articles a"
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    by_date = "a.published DESC, a.rowid DESC"  # NULLs last; the published index serves it
    order = "rank" if match and sort == "relevance" else by_date
    # The page first, then the snippets of that page only (in Python: FTS5's snippet() would compute
    # one for every match before sorting, or re-run the match per row).
    try:
        (total,) = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {source}{cond} LIMIT {COUNT_CAP + 1})", params
        ).fetchone()
        if int(total) > COUNT_CAP and order == "rank":
            # Scoring every match of a very common word costs ~1 µs per article: rank the newest
            # COUNT_CAP matches only (narrowing filters or words lift the limit).
            (bound,) = db.execute(
                f"SELECT articles_fts.rowid FROM {source}{cond} ORDER BY articles_fts.rowid DESC "
                f"LIMIT 1 OFFSET {COUNT_CAP - 1}",
                params,
            ).fetchone()
            cond += " AND articles_fts.rowid >= ?"
            params.append(bound)
        rows = db.execute(
            f"SELECT a.rowid, a.id, a.title, a.outlet, a.language, a.published FROM {source}{cond} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        marks = ",".join("?" * len(rows))
        texts = db.execute(
            f"SELECT rowid, json_extract(data, '$.clean_text') FROM articles WHERE rowid IN ({marks})",
            [r[0] for r in rows],
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"search failed: {exc}") from exc
    text = {int(rowid): snippet(str(body or ""), match) for rowid, body in texts}
    hits = [SearchHit(r[1], r[2], r[3], r[4], r[5], text.get(int(r[0]), "")) for r in rows]
    return SearchPage(total=min(int(total), COUNT_CAP), capped=int(total) > COUNT_CAP, hits=hits)
