"""Stories in the web UI: the list, one story with its outlets side by side (HTML), and /api/stories."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from lagebild.model import Article
from lagebild.reuse.compare import OutletColumn, compare_outlets
from lagebild.store import Store, Story
from lagebild.web import queries
from lagebild.web.api_routes import store_of
from lagebild.web.schemas import NOT_FOUND

__all__ = ["api", "pages", "StoryOut", "story_detail"]

api = APIRouter(prefix="/api", tags=["api"])
pages = APIRouter(include_in_schema=False)


class StoryArticle(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None


class StoryOut(BaseModel):
    """One story with its member articles and the outlets side by side (actors and quotes each features)."""

    story: Story
    articles: list[StoryArticle]
    outlets: list[OutletColumn]


def story_detail(store: Store, story_id: str) -> StoryOut | None:
    found = next((s for s in store.stories() if s.id == story_id), None)
    if found is None:
        return None
    members: list[Article] = [a for a in (store.get(i) for i in found.members) if a is not None]
    return StoryOut(
        story=found,
        articles=[
            StoryArticle(
                id=a.id,
                title=a.title,
                outlet=a.outlet,
                published=a.published.value if a.published else None,
                language=a.language,
            )
            for a in members
        ],
        outlets=compare_outlets(found, members, queries.actor_name),
    )


@api.get("/stories", response_model=list[Story], summary="Stories: articles about one event across outlets")
def stories_json(
    request: Request,
    article: Annotated[str | None, Query(max_length=64, description="only the story holding it")] = None,
) -> list[Story]:
    """Stored stories, largest first (written by `lagebild analyze` / `lagebild stories --recompute`)."""
    return store_of(request).stories(article)


@api.get("/stories/{story_id}", response_model=StoryOut, responses=NOT_FOUND, summary="One story")
def story_json(request: Request, story_id: str) -> StoryOut:
    detail = story_detail(store_of(request), story_id)
    if detail is None:
        raise HTTPException(404, f"no story {story_id}")
    return detail


def _render(request: Request, template: str, **context: object) -> HTMLResponse:
    from lagebild.web.pages import actor_url, outlet_url

    html = request.app.state.templates.get_template(template).render(
        request=request, actor_url=actor_url, outlet_url=outlet_url, **context
    )
    return HTMLResponse(html)


@pages.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    return _render(request, "stories.html", stories=store_of(request).stories())


@pages.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    detail = story_detail(store_of(request), story_id)
    if detail is None:
        raise HTTPException(404, f"no story {story_id}")
    return _render(request, "story.html", d=detail)
