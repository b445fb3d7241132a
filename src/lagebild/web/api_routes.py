"""JSON under /api (documented in /openapi.json) and CSV/JSONL downloads of every list."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from lagebild.csv_safe import SafeDictWriter
from lagebild.model import Article
from lagebild.reuse.provenance import ChainLink
from lagebild.store import Edge, Store
from lagebild.store.search import search
from lagebild.web import queries
from lagebild.web.queries import ActorRow, QuoteRow, SpeakerRow
from lagebild.web.render import plain_snippet
from lagebild.web.schemas import (
    NOT_FOUND,
    ActorOut,
    CoActor,
    Facet,
    HitOut,
    KbOut,
    OutletOut,
    OverviewOut,
    SearchOut,
    TimelineEntryOut,
    registry_out,
    timeline_out,
)

__all__ = ["router", "store_of", "SearchParams"]

router = APIRouter(prefix="/api", tags=["api"])


def store_of(request: Request) -> Store:
    store: Store = request.app.state.stores.get()
    return store


Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
# Filter values are matched exactly against stored data (outlet names, actor ids, speaker keys),
# which has no length limit of its own: only absurd sizes are refused.
Text = Annotated[str | None, Query(max_length=100_000)]
DateParam = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Format = Annotated[Literal["csv", "jsonl"], Query(alias="format")]


class SearchParams(BaseModel):
    q: str = ""
    outlet: str | None = None
    language: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    actor: str | None = None
    sort: Literal["relevance", "date"] = "relevance"


def search_params(
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Text = None,
    language: Text = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    actor: Text = None,
    sort: Literal["relevance", "date"] = "relevance",
) -> SearchParams:
    """The search filters as query parameters (shared by the search and its download)."""
    return SearchParams(
        q=q, outlet=outlet, language=language, date_from=date_from, date_to=date_to, actor=actor, sort=sort
    )


SearchQuery = Annotated[SearchParams, Depends(search_params)]


@dataclasses.dataclass
class TimelineFilter:
    actor: str | None
    action: str | None
    outlet: str | None
    date_from: str | None
    date_to: str | None


def timeline_filter(
    actor: Text = None,
    action: Text = None,
    outlet: Text = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
) -> TimelineFilter:
    """Timeline filters as query parameters (``actor``: actor or target)."""
    return TimelineFilter(actor, action, outlet, date_from, date_to)


TimelineQuery = Annotated[TimelineFilter, Depends(timeline_filter)]


def _search(store: Store, p: SearchParams, limit: int, offset: int) -> SearchOut:
    page = search(store, **p.model_dump(), limit=limit, offset=offset)
    hits = [HitOut(**{**dataclasses.asdict(h), "snippet": plain_snippet(h.snippet)}) for h in page.hits]
    return SearchOut(query=p.q, total=page.total, capped=page.capped, limit=limit, offset=offset, hits=hits)


def _facets(rows: list[tuple[str, int]]) -> list[Facet]:
    return [Facet(value=v, n=n) for v, n in rows]


# -- downloads -----------------------------------------------------------------------------------
EXPORT_MAX = 10_000
_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
        "description": "CSV with a header row, or one JSON object per line",
    }
}


def _rows_out(rows: Iterable[Any], fmt: str, name: str) -> StreamingResponse:
    dicts = (dataclasses.asdict(r) if not isinstance(r, dict) else r for r in rows)

    def lines() -> Iterator[str]:
        if fmt == "jsonl":
            for d in dicts:
                yield json.dumps(d, ensure_ascii=False) + "\n"
            return
        fields: list[str] | None = None
        for d in dicts:
            buf = io.StringIO()
            writer = SafeDictWriter(buf, fieldnames=fields or list(d))
            if fields is None:
                fields = writer.fieldnames
                writer.writeheader()
            writer.writerow(d)
            yield buf.getvalue()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    disposition = f'attachment; filename="lagebild-{name}.{fmt}"'
    return StreamingResponse(lines(), media_type=media, headers={"content-disposition": disposition})


@router.get("/overview", response_model=OverviewOut, summary="Counts, outlets, key actors, latest articles")
def overview(request: Request) -> OverviewOut:
    data = queries.overview(store_of(request))
    facets = data.pop("facets")
    return OverviewOut(
        **data,
        outlets=_facets(facets["outlet"]),
        languages=_facets(facets["language"]),
        months=_facets(facets["month"]),
    )


@router.get("/search", response_model=SearchOut, summary="Full-text search with filters")
def search_api(request: Request, params: SearchQuery, limit: Limit = 20, offset: Offset = 0) -> SearchOut:
    """Words are AND-ed; "quoted phrases" match as phrases; a trailing * matches a prefix."""
    return _search(store_of(request), params, limit, offset)


@router.get("/articles/{article_id}", response_model=Article, responses=NOT_FOUND, summary="One article")
def article(request: Request, article_id: str) -> Article:
    """The whole record, as `lagebild export --format jsonl` writes it."""
    found = store_of(request).get(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/articles/{article_id}/edges", response_model=list[Edge], responses=NOT_FOUND)
def article_edges(request: Request, article_id: str) -> list[Edge]:
    """Reuse, translation and provenance edges touching the article (P5 detectors write them)."""
    store = store_of(request)
    if not store.has(article_id):
        raise HTTPException(404, f"no article {article_id}")
    return store.edges(article_id=article_id)


@router.get("/articles/{article_id}/provenance", response_model=list[ChainLink], responses=NOT_FOUND)
def article_provenance(request: Request, article_id: str) -> list[ChainLink]:
    """The original-source chain (lagebild.reuse.provenance): reposts, translations, notes, cited sources."""
    store = store_of(request)
    if not store.has(article_id):
        raise HTTPException(404, f"no article {article_id}")
    return queries.provenance_chain(store, article_id)


@router.get("/actors", response_model=list[ActorRow], summary="Linked actors, most mentioned first")
def actors(request: Request, limit: Limit = 50, offset: Offset = 0) -> list[ActorRow]:
    return queries.actors(store_of(request), limit=limit, offset=offset)


@router.get(
    "/actors/export", response_class=StreamingResponse, responses=_DOWNLOAD, summary="Download actors"
)
def actors_export(request: Request, fmt: Format) -> StreamingResponse:
    return _rows_out(queries.actors(store_of(request), limit=EXPORT_MAX), fmt, "actors")


@router.get("/actors/{actor_id}", response_model=ActorOut, responses=NOT_FOUND, summary="One actor")
def actor(request: Request, actor_id: str, limit: Limit = 50) -> ActorOut:
    detail = queries.actor_detail(store_of(request), actor_id, limit=limit)
    if detail is None:
        raise HTTPException(404, f"actor {actor_id} is not mentioned in this database")
    return ActorOut(
        actor=detail.actor,
        kb=KbOut(**detail.kb) if detail.kb else None,
        months=_facets(detail.months),
        co_actors=[CoActor(actor=a, shared_articles=n) for a, n in detail.co_actors],
        quotes=detail.quotes,
        articles=detail.articles,
    )


@router.get("/timeline", response_model=list[TimelineEntryOut], summary="Events merged across outlets")
def timeline(
    request: Request, filters: TimelineQuery, articles: Annotated[int, Query(ge=1, le=1000)] = 200
) -> list[TimelineEntryOut]:
    """Entries in event-time order (``actor``: actor or target), from the newest ``articles`` that match."""
    entries = queries.timeline(store_of(request), **dataclasses.asdict(filters), articles=articles)
    return [timeline_out(e) for e in entries]


@router.get(
    "/timeline/export", response_class=StreamingResponse, responses=_DOWNLOAD, summary="Download the timeline"
)
def timeline_export(request: Request, fmt: Format, filters: TimelineQuery) -> StreamingResponse:
    """JSONL: the entries as /api/timeline gives them; CSV: one row per entry, reports joined."""
    entries = [timeline_out(e) for e in queries.timeline(store_of(request), **dataclasses.asdict(filters))]
    if fmt == "jsonl":
        return _rows_out((e.model_dump() for e in entries), fmt, "timeline")
    flat = (
        {
            **e.model_dump(exclude={"reports", "outlets"}),
            "outlets": "; ".join(e.outlets),
            "articles": "; ".join(dict.fromkeys(r.article_id for r in e.reports)),
            "evidence": " | ".join(dict.fromkeys(r.sentence for r in e.reports)),
        }
        for e in entries
    )
    return _rows_out(flat, fmt, "timeline")


@router.get("/outlets", response_model=list[Facet], summary="Outlets with their article counts")
def outlets(request: Request) -> list[Facet]:
    return _facets(queries.facets(store_of(request))["outlet"])


@router.get("/outlets/{name:path}", response_model=OutletOut, responses=NOT_FOUND, summary="One outlet")
def outlet(request: Request, name: str) -> OutletOut:
    """Registry profile, articles per month, most mentioned actors, latest articles, reuse between outlets."""
    p = queries.outlet_profile(store_of(request), name)
    if p is None:
        raise HTTPException(404, f"no articles from {name}")
    return OutletOut(
        name=p["name"],
        articles=p["articles"],
        registry=registry_out(p["registry"]),
        months=_facets(p["months"]),
        key_actors=[ActorRow(a, nm, m, n, 0) for a, nm, m, n in p["key_actors"]],
        latest=p["latest"],
        reuse=p["reuse"],
    )


@router.get("/speakers", response_model=list[SpeakerRow], summary="Speakers, most quoted first")
def speakers(request: Request, limit: Limit = 50, offset: Offset = 0) -> list[SpeakerRow]:
    return queries.speakers(store_of(request), limit=limit, offset=offset)


@router.get("/quotes", response_model=list[QuoteRow], summary="Who said what, newest first")
def quotes(
    request: Request,
    speaker: Text = None,
    actor: Text = None,
    outlet: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[QuoteRow]:
    """``speaker`` is a speaker key from /api/speakers (an actor id or name:<name>)."""
    return queries.quotes(
        store_of(request), speaker=speaker, actor=actor, outlet=outlet, limit=limit, offset=offset
    )


@router.get(
    "/search/export", response_class=StreamingResponse, responses=_DOWNLOAD, summary="Download search hits"
)
def search_export(request: Request, fmt: Format, params: SearchQuery) -> StreamingResponse:
    hits = _search(store_of(request), params, EXPORT_MAX, 0).hits
    return _rows_out((h.model_dump() for h in hits), fmt, "search")


@router.get(
    "/quotes/export", response_class=StreamingResponse, responses=_DOWNLOAD, summary="Download quotes"
)
def quotes_export(
    request: Request, fmt: Format, speaker: Text = None, actor: Text = None, outlet: Text = None
) -> StreamingResponse:
    rows = queries.quotes(store_of(request), speaker=speaker, actor=actor, outlet=outlet, limit=EXPORT_MAX)
    return _rows_out(rows, fmt, "quotes")


@router.get(
    "/speakers/export", response_class=StreamingResponse, responses=_DOWNLOAD, summary="Download speakers"
)
def speakers_export(request: Request, fmt: Format) -> StreamingResponse:
    return _rows_out(queries.speakers(store_of(request), limit=EXPORT_MAX), fmt, "speakers")
