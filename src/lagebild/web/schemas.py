"""Response models of the JSON API (they make up /openapi.json)."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel

from lagebild.events.timeline import Report, TimelineEntry
from lagebild.web import queries
from lagebild.web.queries import ActorRow, ArticleRow, QuoteRow, SpeakerRow

__all__ = [
    "ErrorOut",
    "NOT_FOUND",
    "Facet",
    "OverviewOut",
    "HitOut",
    "SearchOut",
    "KbOut",
    "CoActor",
    "ActorOut",
    "TimelineEntryOut",
    "timeline_out",
    "OutletOut",
    "registry_out",
]


class ErrorOut(BaseModel):
    detail: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not found"}}


class Facet(BaseModel):
    value: str
    n: int


class OverviewOut(BaseModel):
    articles: int
    quotes: int
    actors: int
    edges: int
    outlets: list[Facet]
    languages: list[Facet]
    months: list[Facet]
    key_actors: list[ActorRow]
    top_speakers: list[SpeakerRow]
    latest: list[ArticleRow]


class HitOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    snippet: str


class SearchOut(BaseModel):
    query: str
    total: int
    capped: bool
    limit: int
    offset: int
    hits: list[HitOut]


class KbOut(BaseModel):
    type: str
    names: list[str]
    aliases: list[str]
    country: str | None
    roles: list[dict[str, str | None]]


class CoActor(BaseModel):
    actor: ActorRow
    shared_articles: int


class ActorOut(BaseModel):
    actor: ActorRow
    kb: KbOut | None
    months: list[Facet]
    co_actors: list[CoActor]
    quotes: list[QuoteRow]
    articles: list[ArticleRow]


class TimelineEntryOut(BaseModel):
    time: str | None
    action: str
    mode: str | None
    actor: str | None
    actor_name: str | None
    target: str | None
    target_name: str | None
    place: str | None
    status: str
    first_reported: str | None
    outlets: list[str]
    reports: list[Report]


def timeline_out(entry: TimelineEntry) -> TimelineEntryOut:
    def name(x: str | None) -> str | None:
        return queries.actor_name(x) if x else None

    return TimelineEntryOut(
        time=entry.time,
        action=entry.action,
        mode=entry.mode,
        actor=entry.actor,
        actor_name=name(entry.actor),
        target=entry.target,
        target_name=name(entry.target),
        place=entry.place,
        status=entry.status,
        first_reported=entry.first_reported,
        outlets=entry.outlets,
        reports=entry.reports,
    )


class OutletOut(BaseModel):
    name: str
    articles: int
    registry: dict[str, Any] | None
    months: list[Facet]
    key_actors: list[ActorRow]
    latest: list[ArticleRow]
    reuse: list[dict[str, str | int | float | None]]


def registry_out(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    keys = ("id", "name", "type", "country", "languages", "domains", "parent", "note")
    out = {k: getattr(entry, k) for k in keys}
    out["facts"] = [dataclasses.asdict(f) for f in entry.facts]
    return out
