"""Server-rendered HTML views (Jinja2, autoescaped). No page runs a script."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from lagebild.store.search import search as fts_search
from lagebild.web import queries, render
from lagebild.web.api_routes import SearchParams, Text, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PAGE = 20


def actor_url(actor_id: str) -> str:
    return "/actors/" + quote(actor_id, safe="")


def outlet_url(name: str) -> str:
    return "/outlets/" + quote(name, safe="")


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        request=request, actor_url=actor_url, outlet_url=outlet_url, **context
    )
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    data = queries.overview(store_of(request))
    return _page(request, "overview.html", data=data, chart=render.month_chart(data["facets"]["month"]))


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Text = None,
    language: Text = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    actor: Text = None,
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    # Empty form fields arrive as "": treat them as absent. Malformed dates are ignored, not an error page.
    dates = [d if d and _iso(d) else None for d in (date_from, date_to)]
    params = SearchParams(
        q=q,
        outlet=outlet or None,
        language=language or None,
        date_from=dates[0],
        date_to=dates[1],
        actor=actor or None,
        sort=sort,
    )
    store = store_of(request)
    result = fts_search(store, **params.model_dump(), limit=PAGE, offset=(page - 1) * PAGE)
    raw = {k: v for k, v in params.model_dump().items() if v}
    query = urlencode(raw)  # the current filters, for the pager and the download links
    return _page(
        request,
        "search.html",
        params=params,
        result=result,
        hits=[(h, render.snippet(h.snippet)) for h in result.hits],
        facets=queries.facets(store),
        actor_name=queries.actor_name(params.actor) if params.actor else None,
        page=page,
        pages=(result.total + PAGE - 1) // PAGE,
        query=query,
    )


def _iso(value: str) -> bool:
    return re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) is not None


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str, clutter: bool = False) -> HTMLResponse:
    store = store_of(request)
    found = store.get(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    spans = render.article_spans(found, actor_url, queries.actor_name)
    edges = store.edges(article_id=article_id)
    others = queries.articles_by_ids(
        store, [e.target_id if e.source_id == article_id else e.source_id for e in edges]
    )
    counts = {
        kind: sum(1 for s in spans if s.kind == kind) for kind in ("mention", "quote", "timex", "event")
    }
    chain = queries.provenance_chain(store, article_id)
    return _page(
        request,
        "article.html",
        a=found,
        paragraphs=render.with_clutter(found) if clutter else render.highlight(found, spans),
        clutter=clutter,
        counts=counts,
        edges=edges,
        others=others,
        chain=chain if len(chain) > 1 else [],
        actor_name=queries.actor_name,
    )


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    rows = queries.actors(store_of(request), limit=50, offset=(page - 1) * 50)
    return _page(request, "actors.html", rows=rows, page=page, more=len(rows) == 50)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: str) -> HTMLResponse:
    detail = queries.actor_detail(store_of(request), actor_id)
    if detail is None:
        raise HTTPException(404, f"actor {actor_id} is not mentioned in this database")
    return _page(request, "actor.html", d=detail, chart=render.month_chart(detail.months))


@router.get("/outlets", response_class=HTMLResponse)
def outlets(request: Request) -> HTMLResponse:
    store = store_of(request)
    rows = [(name, n, queries.outlet_entry(name)) for name, n in queries.facets(store)["outlet"]]
    return _page(request, "outlets.html", rows=rows)


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet(request: Request, name: str) -> HTMLResponse:
    profile = queries.outlet_profile(store_of(request), name)
    if profile is None:
        raise HTTPException(404, f"no articles from {name}")
    return _page(
        request, "outlet.html", p=profile, chart=render.month_chart(profile["months"], label="articles")
    )


@router.get("/timeline", response_class=HTMLResponse)
def timeline(
    request: Request,
    actor: Text = None,
    action: Text = None,
    outlet: Text = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    store = store_of(request)
    dates = [d if d and _iso(d) else None for d in (date_from, date_to)]
    filters = {"actor": actor or None, "action": action or None, "outlet": outlet or None}
    entries = queries.timeline(
        store,
        actor=filters["actor"],
        action=filters["action"],
        outlet=filters["outlet"],
        date_from=dates[0],
        date_to=dates[1],
    )
    months: dict[str, int] = {}
    for e in entries:
        if e.time:
            months[e.time[:7]] = months.get(e.time[:7], 0) + 1
    return _page(
        request,
        "timeline.html",
        entries=entries,
        filters=filters,
        date_from=dates[0],
        date_to=dates[1],
        actions=queries.event_actions(store),
        outlets=queries.facets(store)["outlet"],
        actor_name=queries.actor_name,
        is_known=queries.is_known,
        query=urlencode(
            {k: v for k, v in {**filters, "date_from": dates[0], "date_to": dates[1]}.items() if v}
        ),
        chart=render.month_chart(sorted(months.items()), label="events per month"),
    )


@router.get("/quotes", response_class=HTMLResponse)
def quotes(
    request: Request,
    speaker: Text = None,
    outlet: Text = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    store = store_of(request)
    speaker, outlet = speaker or None, outlet or None
    name = queries.speaker_name(store, speaker) if speaker else None
    if speaker and name is None:
        raise HTTPException(404, f"no quotes by {speaker}")
    rows = queries.quotes(store, speaker=speaker, outlet=outlet, limit=50, offset=(page - 1) * 50)
    raw = {k: v for k, v in (("speaker", speaker), ("outlet", outlet)) if v}
    return _page(
        request,
        "quotes.html",
        rows=rows,
        speakers=queries.speakers(store, limit=30),
        speaker=speaker,
        speaker_label=name,
        outlet=outlet,
        page=page,
        more=len(rows) == 50,
        query=urlencode(raw),
    )
