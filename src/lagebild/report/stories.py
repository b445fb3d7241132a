"""The report's stories section: each story with its label, dates, outlets, members and outlet comparison."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lagebild.model import Article
from lagebild.reuse.compare import OutletColumn, compare_outlets
from lagebild.store import Story

__all__ = ["StoryView", "stories_view", "MAX_STORIES"]

MAX_STORIES = 100


@dataclass
class Member:
    id: str
    title: str
    outlet: str
    date: str
    language: str
    anchor: str | None  # "a-<id>" when the article has a section in the report


@dataclass
class StoryView:
    story: Story
    span: str
    members: list[Member] = field(default_factory=list)
    columns: list[OutletColumn] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "s-" + self.story.id


def _span(story: Story) -> str:
    if not story.start:
        return "undated"
    return story.start if story.end in (None, story.start) else f"{story.start} – {story.end}"


def stories_view(
    stories: list[Story],
    articles: dict[str, Article],
    shown: set[str],
    names: Callable[[str], str],
) -> list[StoryView]:
    """The first ``MAX_STORIES`` stories with their members (``articles`` by id) and outlet comparison."""
    out: list[StoryView] = []
    for story in stories[:MAX_STORIES]:
        members = [articles[i] for i in story.members if i in articles]
        view = StoryView(story, _span(story))
        for a in members:
            view.members.append(
                Member(
                    a.id,
                    a.title or (a.clean_text or a.raw_text)[:80] + "…",
                    a.outlet or "unknown outlet",
                    a.published.value if a.published else "undated",
                    a.language or "?",
                    "a-" + a.id if a.id in shown else None,
                )
            )
        view.columns = compare_outlets(story, members, names)
        out.append(view)
    return out


def member_ids(stories: list[Story]) -> list[str]:
    """The ids of every member of the stories the section shows (to load those not yet loaded)."""
    return list(dict.fromkeys(i for s in stories[:MAX_STORIES] for i in s.members))


def summary(views: list[StoryView]) -> dict[str, Any]:
    return {
        "stories": len(views),
        "multi_outlet": sum(1 for v in views if len(v.story.outlets) > 1),
        "cross_lingual": sum(1 for v in views if len(v.story.languages) > 1),
    }
