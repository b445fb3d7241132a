"""What the views read: the Store for articles and edges, the index of :mod:`lagebild.store.fts` for lists.

Every function takes a :class:`~lagebild.store.Store` and answers from indexed queries (no scan
of the article records), so pages stay fast on 100,000 articles.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lagebild.errors import StoreError
from lagebild.events.timeline import TimelineEntry, build_timeline
from lagebild.kb import KnowledgeBase, load_kb
from lagebild.outlets import Outlet, OutletRegistry, load_outlets
from lagebild.reuse.provenance import ChainLink, provenance_from_store
from lagebild.store import Store
from lagebild.store.sqlite import connection

__all__ = [
    "ArticleRow",
    "ActorRow",
    "SpeakerRow",
    "QuoteRow",
    "actor_name",
    "overview",
    "facets",
    "actors",
    "actor_detail",
    "speakers",
    "quotes",
    "articles_by_ids",
    "timeline",
    "event_actions",
    "provenance_chain",
    "outlet_profile",
]


@lru_cache(maxsize=1)
def _kb() -> KnowledgeBase:
    return load_kb()


def actor_name(actor_id: str) -> str:
    """The knowledge-base name of an actor id (the id itself when unknown)."""
    actor = _kb().actors.get(actor_id)
    return actor.name if actor else actor_id


def is_known(actor_id: str | None) -> bool:
    """Whether ``actor_id`` is a knowledge-base actor (and so has a page when mentioned)."""
    return bool(actor_id) and actor_id in _kb().actors


def kb_entry(actor_id: str) -> dict[str, Any] | None:
    actor = _kb().actors.get(actor_id)
    if actor is None:
        return None
    names = [n for n in (actor.name_de, actor.name_en) if n]
    aliases = actor.raw.get("aliases") or []
    if isinstance(aliases, dict):
        aliases = [
            a for values in aliases.values() for a in (values if isinstance(values, list) else [values])
        ]
    return {
        "type": actor.type,
        "names": names,
        "aliases": [str(a) for a in aliases if str(a) not in names][:40],
        "country": actor_name(actor.country) if actor.country else None,
        "roles": [
            {"role": r.role, "start": r.start, "end": r.end}
            for r in sorted(actor.roles, key=lambda r: r.start or "")
        ],
    }


@dataclass
class ArticleRow:
    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None


@dataclass
class ActorRow:
    id: str
    name: str
    mentions: int
    articles: int
    quotes: int


@dataclass
class SpeakerRow:
    key: str
    name: str
    quotes: int
    actor_id: str | None


@dataclass
class QuoteRow:
    article_id: str
    index: int
    speaker_key: str
    speaker: str
    actor_id: str | None
    kind: str
    text: str
    published: str | None
    outlet: str | None
    title: str | None


@dataclass
class ActorDetail:
    actor: ActorRow
    kb: dict[str, Any] | None
    months: list[tuple[str, int]] = field(default_factory=list)
    co_actors: list[tuple[ActorRow, int]] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    articles: list[ArticleRow] = field(default_factory=list)


def _rows(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    try:
        return connection(store).execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"database error: {exc}") from exc


_ARTICLE_COLS = "a.id, a.title, a.outlet, a.language, a.published"


def _actor(row: tuple[Any, ...]) -> ActorRow:
    return ActorRow(row[0], actor_name(row[0]), int(row[1]), int(row[2]), int(row[3]))


def _speaker(key: str, name: str, n: int) -> SpeakerRow:
    linked = not key.startswith("name:")
    return SpeakerRow(key, actor_name(key) if linked else name, int(n), key if linked else None)


def facets(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Articles per outlet and language (most first) and per month (in order), from the running totals."""
    out: dict[str, list[tuple[str, int]]] = {"outlet": [], "language": [], "month": []}
    for facet, value, n in _rows(
        store, "SELECT facet, value, n FROM facet_totals WHERE n > 0 ORDER BY n DESC, value"
    ):
        out.setdefault(facet, []).append((str(value), int(n)))
    out["month"].sort()
    return out


def overview(store: Store, top: int = 10) -> dict[str, Any]:
    """Counts, facets (outlets, languages, months), key actors, most quoted speakers, latest articles."""
    latest = _rows(
        store,
        f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.published IS NOT NULL "
        "ORDER BY a.published DESC LIMIT ?",
        (top,),
    )
    (quotes,) = _rows(store, "SELECT coalesce(sum(quotes), 0) FROM speaker_totals")[0]
    (n_actors,) = _rows(store, "SELECT count(*) FROM actor_totals WHERE mentions > 0")[0]
    return {
        "articles": store.count(),
        "quotes": int(quotes),
        "actors": int(n_actors),
        "edges": int(_rows(store, "SELECT count(*) FROM edges")[0][0]),
        "facets": facets(store),
        "key_actors": actors(store, limit=top),
        "top_speakers": speakers(store, limit=top),
        "latest": [ArticleRow(*r) for r in latest],
    }


def actors(store: Store, limit: int = 50, offset: int = 0) -> list[ActorRow]:
    rows = _rows(
        store,
        "SELECT actor_id, mentions, articles, quotes FROM actor_totals WHERE mentions > 0 "
        "ORDER BY mentions DESC, actor_id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_actor(r) for r in rows]


def actor_detail(store: Store, actor_id: str, limit: int = 50) -> ActorDetail | None:
    """Everything the actor page shows; None when the actor is neither mentioned nor quoted."""
    found = _rows(
        store, "SELECT actor_id, mentions, articles, quotes FROM actor_totals WHERE actor_id = ?", (actor_id,)
    )
    if not found or (found[0][1] <= 0 and found[0][3] <= 0):
        return None
    detail = ActorDetail(actor=_actor(found[0]), kb=kb_entry(actor_id))
    months = _rows(
        store,
        "SELECT coalesce(substr(published, 1, 7), '(undated)'), sum(mentions) FROM article_actors "
        "WHERE actor_id = ? GROUP BY 1 ORDER BY 1",
        (actor_id,),
    )
    detail.months = [(str(m), int(n)) for m, n in months]
    co = _rows(
        store,
        "SELECT p.b, t.mentions, t.articles, t.quotes, p.n FROM actor_pairs p "
        "JOIN actor_totals t ON t.actor_id = p.b WHERE p.a = ? AND p.n > 0 "
        "ORDER BY p.n DESC, p.b LIMIT 20",
        (actor_id,),
    )
    detail.co_actors = [(_actor(r), int(r[4])) for r in co]
    detail.quotes = quotes(store, actor=actor_id, limit=limit)
    arts = _rows(
        store,
        f"SELECT {_ARTICLE_COLS} FROM article_actors x JOIN articles a ON a.rowid = x.article_rowid "
        "WHERE x.actor_id = ? ORDER BY x.published DESC, x.article_rowid DESC LIMIT ?",
        (actor_id, limit),
    )
    detail.articles = [ArticleRow(*r) for r in arts]
    return detail


def speakers(store: Store, limit: int = 50, offset: int = 0) -> list[SpeakerRow]:
    """Speakers by number of quotes; unattributed quotes are not a speaker."""
    rows = _rows(
        store,
        "SELECT speaker_key, name, quotes FROM speaker_totals WHERE quotes > 0 "
        "AND speaker_key != 'name:unattributed' ORDER BY quotes DESC, speaker_key LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_speaker(*r) for r in rows]


def quotes(
    store: Store,
    *,
    speaker: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[QuoteRow]:
    """Quotes, newest article first; ``speaker`` is a speaker key, ``actor`` an actor id."""
    where, params = [], []
    for clause, value in (
        ("q.speaker_key = ?", speaker),
        ("q.actor_id = ?", actor),
        ("a.outlet = ?", outlet),
    ):
        if value:
            where.append(clause)
            params.append(value)
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    rows = _rows(
        store,
        "SELECT a.id, q.idx, q.speaker_key, q.speaker_name, q.actor_id, q.kind, q.text, a.published, "
        f"a.outlet, a.title FROM quote_index q JOIN articles a ON a.rowid = q.article_rowid{cond} "
        "ORDER BY q.published DESC, q.article_rowid DESC, q.idx LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    out = []
    for r in rows:
        name = actor_name(r[2]) if not r[2].startswith("name:") else r[3]
        out.append(QuoteRow(r[0], int(r[1]), r[2], name, r[4], r[5] or "", r[6] or "", r[7], r[8], r[9]))
    return out


def speaker_name(store: Store, key: str) -> str | None:
    rows = _rows(store, "SELECT name FROM speaker_totals WHERE speaker_key = ? AND quotes > 0", (key,))
    if not rows:
        return None
    return actor_name(key) if not key.startswith("name:") else str(rows[0][0])


def articles_by_ids(store: Store, ids: list[str]) -> dict[str, ArticleRow]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = _rows(store, f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.id IN ({marks})", tuple(ids))
    return {r[0]: ArticleRow(*r) for r in rows}


def event_actions(store: Store) -> list[tuple[str, int]]:
    rows = _rows(store, "SELECT action, count(*) FROM event_index GROUP BY action ORDER BY 2 DESC, 1")
    return [(str(a), int(n)) for a, n in rows]


def timeline(
    store: Store,
    *,
    actor: str | None = None,
    action: str | None = None,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    articles: int = 200,
) -> list[TimelineEntry]:
    """The cross-outlet timeline (:func:`lagebild.events.build_timeline`) of the events that match.

    The index picks the ``articles`` most recent articles with a matching event; the library merges
    their events into entries, of which those matching the filters are returned in time order.
    """
    where, params = [], []
    when = "coalesce(e.time, e.published)"
    for clause, values in (
        ("(e.actor = ? OR e.target = ?)", [actor, actor] if actor else []),
        ("e.action = ?", [action] if action else []),
        ("a.outlet = ?", [outlet] if outlet else []),
        (f"{when} >= ?", [date_from] if date_from else []),
        (f"substr({when}, 1, length(?)) <= ?", [date_to, date_to] if date_to else []),
    ):
        if values:
            where.append(clause)
            params += values
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    ids = _rows(
        store,
        f"SELECT a.id FROM event_index e JOIN articles a ON a.rowid = e.article_rowid{cond} "
        f"GROUP BY a.id ORDER BY max({when}) DESC LIMIT ?",
        (*params, articles),
    )
    found = [store.get(str(i)) for (i,) in ids]
    entries = build_timeline([a for a in found if a is not None], _kb())

    def keep(entry: TimelineEntry) -> bool:
        parties = {entry.actor, entry.target, *entry.actors, *entry.targets}
        return (
            (not actor or actor in parties)
            and (not action or entry.action == action)
            and (not outlet or outlet in entry.outlets)
            and (not date_from or (entry.time or "") >= date_from)
            and (not date_to or (entry.time or "")[: len(date_to)] <= date_to)
        )

    return [e for e in entries if keep(e)]


@lru_cache(maxsize=1)
def _outlets() -> OutletRegistry:
    return load_outlets()


def outlet_entry(name: str) -> Outlet | None:
    """The outlet registry's entry for an outlet name as the articles give it."""
    return _outlets().by_name(name)


def provenance_chain(store: Store, article_id: str) -> list[ChainLink]:
    """The article's original-source chain (:func:`lagebild.reuse.provenance.provenance_from_store`)."""
    return provenance_from_store(store, article_id, registry=_outlets()).chain


def outlet_profile(store: Store, outlet: str, top: int = 15) -> dict[str, Any] | None:
    """Registry facts, articles per month, key actors, latest articles and reuse with other outlets."""
    months = _rows(
        store,
        "SELECT coalesce(substr(published, 1, 7), '(undated)'), count(*) FROM articles WHERE outlet = ? "
        "GROUP BY 1 ORDER BY 1",
        (outlet,),
    )
    if not months:
        return None
    key_actors = _rows(
        store,
        "SELECT x.actor_id, sum(x.mentions), count(*) FROM articles a "
        "JOIN article_actors x ON x.article_rowid = a.rowid WHERE a.outlet = ? "
        "GROUP BY x.actor_id ORDER BY 2 DESC, 1 LIMIT ?",
        (outlet, top),
    )
    latest = _rows(
        store,
        f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.outlet = ? ORDER BY a.published DESC LIMIT ?",
        (outlet, top),
    )
    reuse = _rows(
        store,
        "SELECT e.kind, s.outlet, t.outlet, count(*), round(avg(e.score), 2) FROM edges e "
        "JOIN articles s ON s.id = e.source_id JOIN articles t ON t.id = e.target_id "
        "WHERE s.outlet = ? OR t.outlet = ? GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 50",
        (outlet, outlet),
    )
    entry = outlet_entry(outlet)
    return {
        "name": outlet,
        "registry": entry,
        "months": [(str(m), int(n)) for m, n in months],
        "articles": sum(int(n) for _, n in months),
        "key_actors": [(str(a), actor_name(str(a)), int(m), int(n)) for a, m, n in key_actors],
        "latest": [ArticleRow(*r) for r in latest],
        "reuse": [
            {"kind": k, "source": s or "(unknown)", "target": t or "(unknown)", "pairs": int(n), "score": sc}
            for k, s, t, n, sc in reuse
        ],
    }
