"""The cross-outlet timeline: events of many articles merged into one entry per real event.

Two event mentions are merged when their action agrees, their parties agree and their times agree:

* **parties**: actor and target, each reduced to the state it stands for (a person to their country in the
  knowledge base, a capital to its state), so "Lawrow telefonierte mit Wang Yi" and "the Russian and Chinese
  foreign ministers spoke by phone" meet; order-insensitive for symmetric actions (CONSULT, COOPERATE);
* **time**: at the coarser precision of the two ("2021-02" agrees with "2021-02-04"; the entry keeps the
  finer one);
* **undated** events merge only with undated events of identical actor, target and action within the same
  story (the same article, or articles with the same title — reposts).

Entries are ordered by event time (not publication time; undated last) and carry every report: article,
outlet, publication date, evidence sentence and attribution, and the first report date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lagebild.kb import KnowledgeBase
from lagebild.model import Article, Event

__all__ = ["Report", "TimelineEntry", "build_timeline", "party"]

_SYMMETRIC = {"CONSULT", "COOPERATE"}


@dataclass
class Report:
    """One article's mention of a timeline event."""

    article_id: str
    outlet: str | None
    published: str | None
    source: str
    title: str | None
    sentence: str  # the evidence sentence
    sentence_index: int
    reported: bool = False
    reported_by: str | None = None
    status: str = "factual"


@dataclass
class TimelineEntry:
    time: str | None
    action: str
    mode: str | None
    actor: str | None  # the most specific actor id seen (a person rather than their state)
    target: str | None
    place: str | None = None
    actors: list[str] = field(default_factory=list)  # every distinct actor id in the reports
    targets: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    key: tuple[str, ...] = ()  # the merge key (action and parties)
    story: frozenset[str] = frozenset()  # article ids and titles of the reports (for undated merging)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(r.outlet or "unknown outlet" for r in self.reports))

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(r.article_id for r in self.reports))

    @property
    def evidence(self) -> list[str]:
        return list(dict.fromkeys(r.sentence for r in self.reports))

    @property
    def first_reported(self) -> str | None:
        dates = [r.published for r in self.reports if r.published]
        return min(dates) if dates else None

    @property
    def status(self) -> str:
        return "factual" if any(r.status == "factual" for r in self.reports) else "planned"


def party(actor: str | None, kb: KnowledgeBase | None) -> str:
    """The state an actor stands for (person -> country, capital -> state), else the actor itself."""
    if actor is None:
        return ""
    found = kb.actors.get(actor) if kb else None
    if found is None:
        return actor.casefold() if not actor.startswith(("Q", "lb:", "doc:")) else actor
    if found.type == "person" and found.country:
        return found.country
    if found.metonym_for:
        return found.metonym_for
    return actor


def _key(event: Event, kb: KnowledgeBase | None) -> tuple[str, ...]:
    a, t = party(event.actor, kb), party(event.target, kb)
    if event.action in _SYMMETRIC:
        a, t = sorted((a, t))
    return (event.action, a, t)


def _agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _specific(current: str | None, new: str | None, kb: KnowledgeBase | None) -> str | None:
    """Prefer a person over a state, a linked id over plain text."""
    if current is None:
        return new
    if new is None or current == new:
        return current
    cur, nxt = (kb.actors.get(current) if kb else None), (kb.actors.get(new) if kb else None)
    if nxt is not None and nxt.type == "person" and (cur is None or cur.type != "person"):
        return new
    return current


def build_timeline(articles: Iterable[Article], kb: KnowledgeBase | None = None) -> list[TimelineEntry]:
    """One entry per real event across ``articles``, ordered by event time."""
    entries: list[TimelineEntry] = []
    by_key: dict[tuple[str, ...], list[TimelineEntry]] = {}
    for article in articles:
        sentences = article.sentence_texts()
        published = article.published.value if article.published else None
        story = {article.id} | ({article.title.strip().casefold()} if article.title else set())
        for event in article.events:
            key = _key(event, kb)
            entry = None
            for cand in by_key.get(key, []):
                dated = bool(event.time and cand.time and _agree(event.time, cand.time))
                undated = (
                    not event.time
                    and not cand.time
                    and (event.actor, event.target) == (cand.actor, cand.target)
                    and bool(cand.story & story)
                )
                if dated or undated:
                    entry = cand
                if entry is not None:
                    break
            if entry is None:
                entry = TimelineEntry(
                    event.time, event.action, event.mode, event.actor, event.target, key=key
                )
                entries.append(entry)
                by_key.setdefault(key, []).append(entry)
            elif event.time and entry.time and len(event.time) > len(entry.time):
                entry.time = event.time
            entry.actor = _specific(entry.actor, event.actor, kb)
            entry.target = _specific(entry.target, event.target, kb)
            entry.mode = entry.mode or event.mode
            entry.place = entry.place or event.place
            entry.story = entry.story | story
            for value, bucket in ((event.actor, entry.actors), (event.target, entry.targets)):
                if value and value not in bucket:
                    bucket.append(value)
            sentence = sentences[event.sentence] if 0 <= event.sentence < len(sentences) else ""
            entry.reports.append(
                Report(
                    article_id=article.id,
                    outlet=article.outlet,
                    published=published,
                    source=article.source,
                    title=article.title,
                    sentence=sentence,
                    sentence_index=event.sentence,
                    reported=event.reported,
                    reported_by=event.source,
                    status=event.status,
                )
            )
    return sorted(entries, key=lambda e: (e.time is None, e.time or "", e.first_reported or "9999", e.action))
