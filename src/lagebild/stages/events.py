"""Stage ``events``: who did what to whom, when and where — PLOVER events per sentence.

Needs the sentences and the linked mentions (run ``entities`` and ``link`` before it); uses the time
expressions of the ``time`` stage and the quotes of the ``quotes`` stage when they ran. Not part of the
default pipeline because entities and linking are opt-in; the full list is
``["language", "clean", "metadata", "sentences", "time", "entities", "link", "quotes", "events"]``.
"""

from __future__ import annotations

from lagebild.events.extract import extract_events
from lagebild.kb import KnowledgeBase, load_kb
from lagebild.model import Article
from lagebild.pipeline import Context, stage

__all__ = ["events"]


@stage("events", needs=("clean_text", "sentences", "mentions"), adds=("events",))
def events(article: Article, ctx: Context) -> Article:
    """Events (PLOVER action, actor, target, time, place, attribution) from trigger lexicons."""
    extra = tuple(ctx.config["kb"]["extra_dirs"])
    kb: KnowledgeBase = ctx.resource(f"kb:{extra}", lambda: load_kb(extra))
    article.events = extract_events(article, kb)
    return article
