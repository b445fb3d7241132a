"""How outlets cover one story, side by side: per outlet its articles, the actors and the quotes it features.

``compare_outlets(story, articles, names)`` returns one :class:`OutletColumn` per outlet of the
story (earliest coverage first). Actors are the knowledge-base actors the outlet's articles mention
(when the ``entities``/``link`` stages ran); without linked actors the column lists the capitalised
names it prints instead (``actors_linked`` is False). An actor or name also featured by another
outlet of the story is marked ``shared``; the rest are the outlet's own choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lagebild.model import Article
from lagebild.reuse.stories import keywords
from lagebild.store import Story

__all__ = ["Featured", "OutletColumn", "QuoteItem", "compare_outlets"]

UNKNOWN = "(unknown outlet)"


@dataclass
class Featured:
    key: str  # actor id, or "name:<stem>" for an unlinked name
    name: str
    count: int  # mentions (actors) or articles naming it (names)
    shared: bool = False  # also featured by another outlet of the story


@dataclass
class QuoteItem:
    speaker: str
    text: str
    kind: str
    article_id: str


@dataclass
class ArticleItem:
    id: str
    title: str
    date: str | None
    language: str | None


@dataclass
class OutletColumn:
    outlet: str
    articles: list[ArticleItem] = field(default_factory=list)
    actors: list[Featured] = field(default_factory=list)
    quotes: list[QuoteItem] = field(default_factory=list)
    actors_linked: bool = True

    @property
    def first(self) -> str | None:
        dates = [a.date for a in self.articles if a.date]
        return min(dates) if dates else None


def _date(article: Article) -> str | None:
    return article.published.value if article.published else None


def _actors(articles: list[Article], names: Callable[[str], str]) -> list[Featured]:
    counts = Counter(
        m.actor_id for a in articles for m in a.mentions if m.actor_id and not m.actor_id.startswith("doc:")
    )
    return [Featured(k, names(k), n) for k, n in counts.most_common()]


def _names(articles: list[Article], story_keys: set[str]) -> list[Featured]:
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for article in articles:
        for key, word in keywords(article).items():
            if key.startswith("@") or (story_keys and key not in story_keys):
                continue
            counts[key] += 1
            surface.setdefault(key, word)
    return [Featured("name:" + k, surface[k], n) for k, n in counts.most_common()]


def compare_outlets(
    story: Story,
    articles: Sequence[Article],
    names: Callable[[str], str] = lambda actor_id: actor_id,
    top: int = 10,
    quotes: int = 8,
) -> list[OutletColumn]:
    """The story's outlets side by side (see the module docstring); ``articles`` are its members."""
    members = [a for a in articles if a.id in set(story.members)]
    by_outlet: dict[str, list[Article]] = {}
    for article in members:
        by_outlet.setdefault(article.outlet or UNKNOWN, []).append(article)
    linked = any(m.actor_id and not m.actor_id.startswith("doc:") for a in members for m in a.mentions)
    # names that at least two members print: the story's shared vocabulary, not every noun
    key_counts = Counter(k for a in members for k in keywords(a))
    story_keys = {k for k, n in key_counts.items() if n >= 2}
    columns: list[OutletColumn] = []
    for outlet, items in by_outlet.items():
        items.sort(key=lambda a: (a.published.value if a.published else "9999", a.id))
        column = OutletColumn(
            outlet,
            [
                ArticleItem(
                    a.id, a.title or "(no title)", a.published.value if a.published else None, a.language
                )
                for a in items
            ],
            _actors(items, names) if linked else _names(items, story_keys),
            [
                QuoteItem(q.speaker_name or q.speaker or "unattributed", q.text, q.kind, a.id)
                for a in items
                for q in a.quotes
            ][:quotes],
            linked,
        )
        columns.append(column)
    seen = Counter(f.key for c in columns for f in c.actors)
    for column in columns:
        for featured in column.actors:
            featured.shared = seen[featured.key] > 1
        column.actors = column.actors[:top]
    columns.sort(key=lambda c: (c.first or "9999", c.outlet))
    return columns
