"""Reuse, provenance, translations and stories in the library API (``lagebild.api`` re-exports them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lagebild.api.types import Progress, ReuseSummary
from lagebild.config import Config, load_config
from lagebild.errors import LagebildError
from lagebild.model import Article
from lagebild.store import Store, open_store

if TYPE_CHECKING:
    from lagebild.reuse.provenance import ProvenanceResult
    from lagebild.store import Edge, Story

__all__ = ["find_reuse", "provenance", "find_translations", "find_stories", "stories", "story"]


def find_reuse(db: str, config: Config | None = None, progress: Progress | None = None) -> ReuseSummary:
    """Find near-duplicates and reposts among all stored articles and store them as edges.

    Settings come from ``[reuse]`` (threshold, num_perm, shingle_size, min_words). The edges of
    the previous run of the detector (method "minhash") are replaced, so a rerun changes nothing;
    edges of other methods (translations …) stay. ``analyze`` calls this after a run that added
    articles when ``reuse.enabled`` is true.
    """
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    config = config or load_config()
    store = open_store(db)
    try:
        return _find_reuse(store, db, config, progress or Progress())
    finally:
        store.close()


def _find_reuse(store: Store, db: str, config: Config, progress: Progress) -> ReuseSummary:
    import time

    from lagebild.reuse import METHOD, find_near_duplicates

    settings = config["reuse"]
    started = time.perf_counter()
    articles = list(store.query())
    edges = find_near_duplicates(
        articles,
        float(settings["threshold"]),
        num_perm=int(settings["num_perm"]),
        shingle_size=int(settings["shingle_size"]),
        min_words=int(settings["min_words"]),
        progress=progress.reuse,
    )
    with store.transaction():
        store.put_edges([e.to_edge() for e in edges], method=METHOD)
    return ReuseSummary(db, len(articles), edges, time.perf_counter() - started)


def provenance(db: str, article_id: str) -> ProvenanceResult:
    """The provenance of one stored article: its original-source chain and the graph around it.

    ``result.chain`` lists the article (named by its outlet), the articles it reposts or translates
    (stored edges), the outlet that first published it (provenance notes) and the source it cites;
    ``result.text`` reads "KenFM ← RT DE (first published 2021-02-10) ← RusStrat (cited source)".
    """
    from lagebild.reuse.provenance import provenance_from_store

    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        return provenance_from_store(store, article_id)
    finally:
        store.close()


def find_translations(db: str, cache_dir: str | None = "out/cache/e5-sentences") -> list[Edge]:
    """Detect translations among the stored articles and store them as "translates" edges.

    Sentence embeddings are cached per article content under ``cache_dir`` (None: no cache).
    Replaces the previous run's edges of the method ("e5-align").
    """
    from lagebild.reuse.sentembed import SentenceEmbedder
    from lagebild.reuse.translation import METHOD
    from lagebild.reuse.translation import find_translations as _find

    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        edges = _find(list(store.query()), embedder=SentenceEmbedder(Path(cache_dir) if cache_dir else None))
        with store.transaction():
            store.put_edges(edges, method=METHOD)
    finally:
        store.close()
    return edges


def find_stories(db: str, config: Config | None = None) -> list[Story]:
    """Cluster all stored articles into stories and store them (replacing the previous stories).

    Settings come from ``[stories]``; ``analyze`` calls this after a run that added articles when
    ``stories.enabled`` is true. Returns the stored stories (clusters of at least ``min_members``).
    """
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    config = config or load_config()
    store = open_store(db)
    try:
        return _find_stories(store, config)
    finally:
        store.close()


def _find_stories(store: Store, config: Config) -> list[Story]:
    from lagebild.reuse.sentembed import SentenceEmbedder
    from lagebild.reuse.stories import StoryConfig
    from lagebild.reuse.stories import find_stories as _find

    articles = list(store.query())
    cache = str(config["stories"]["cache_dir"])
    names = _actor_labels(articles, config)
    found = _find(
        articles, StoryConfig.from_config(config), SentenceEmbedder(Path(cache) if cache else None), names
    )
    with store.transaction():
        store.put_stories(found)
    return found


def _actor_labels(articles: Sequence[Article], config: Config) -> dict[str, str]:
    """Knowledge-base names of the actors the articles' mentions were linked to (empty when none)."""
    ids = {m.actor_id for a in articles for m in a.mentions if m.actor_id}
    ids = {i for i in ids if not i.startswith("doc:")}
    if not ids:
        return {}
    from lagebild.kb import load_kb

    kb = load_kb(tuple(config["kb"]["extra_dirs"]))
    return {i: kb.actors[i].name for i in ids if i in kb.actors}


def stories(db: str, article_id: str | None = None) -> list[Story]:
    """The stored stories (largest first); with ``article_id`` only the story that holds it."""
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        return store.stories(article_id)
    finally:
        store.close()


def story(db: str, story_id: str) -> tuple[Story, list[Article]]:
    """One stored story and its member articles (in the story's order)."""
    store = open_store(db) if Path(db).exists() else None
    if store is None:
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    try:
        found = next((s for s in store.stories() if s.id == story_id), None)
        if found is None:
            raise LagebildError(f"no story {story_id!r} in the database")
        members = [a for a in (store.get(i) for i in found.members) if a is not None]
    finally:
        store.close()
    return found, members
