"""The report's outlet profiles: per outlet its articles, top actors, quotes, reuse in and out, coverage
over time, registry facts (type, country, ownership … with their sources) and imported reliability labels.

Outlets are those that publish a reported article and those the provenance graph reaches as a first
publisher or a cited source (RT DE and RusStrat for a KenFM article that reprints RT DE and cites
RusStrat), so a source outlet has a profile even without articles of its own in the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from lagebild.model import Article
from lagebild.outlets import Outlet, OutletRegistry
from lagebild.reuse.provenance import ProvenanceGraph

__all__ = ["OutletProfile", "outlet_profiles"]

ARTICLE_KINDS = ("reposts", "translates", "quotes_from", "near_duplicate")
SOURCE_KINDS = ("first_published_by", "cites_as_source")


@dataclass
class OutletProfile:
    name: str
    anchor: str
    registry: Outlet | None = None
    articles: int = 0
    languages: list[str] = field(default_factory=list)
    months: list[tuple[str, int, int]] = field(default_factory=list)  # month, articles, events in it
    actors: list[tuple[str, int]] = field(default_factory=list)  # name, mentions
    quotes: int = 0
    speakers: list[tuple[str, int]] = field(default_factory=list)  # who it quotes, how often
    reuse_out: list[tuple[str, str, int]] = field(default_factory=list)  # relation, other outlet, n
    reuse_in: list[tuple[str, str, int]] = field(default_factory=list)


def _key(graph: ProvenanceGraph, node: str) -> str | None:
    """The outlet node an article node is published by, or the node itself when it is an outlet."""
    n = graph.nodes[node]
    if n.kind != "article":
        return node
    published = graph.out_edges(node, ("published_by",))
    return published[0].target if published else None


def outlet_profiles(
    articles: list[Article],
    graph: ProvenanceGraph,
    registry: OutletRegistry | None,
    names: Callable[[list[str]], dict[str, str]],
    limit: int = 60,
) -> list[OutletProfile]:
    """Profiles of the outlets of ``articles`` and of the sources the provenance ``graph`` names."""
    by_node: dict[str, list[Article]] = {}
    for article in articles:
        node = f"article:{article.id}"
        outlet = _key(graph, node) if node in graph.nodes else None
        if outlet is not None:
            by_node.setdefault(outlet, []).append(article)
    sources = {e.target for e in graph.edges if e.kind in SOURCE_KINDS}
    order = sorted(by_node, key=lambda n: (-len(by_node[n]), graph.nodes[n].label))
    order += sorted(sources - set(by_node), key=lambda n: graph.nodes[n].label)
    reuse_out: dict[str, Counter[tuple[str, str]]] = {}
    reuse_in: dict[str, Counter[tuple[str, str]]] = {}
    for e in graph.edges:
        if e.kind not in ARTICLE_KINDS + SOURCE_KINDS:
            continue
        src, dst = _key(graph, e.source), _key(graph, e.target)
        if src is None or dst is None:
            continue
        kind = e.kind.replace("_", " ")
        reuse_out.setdefault(src, Counter())[(kind, graph.nodes[dst].label)] += 1
        reuse_in.setdefault(dst, Counter())[(kind, graph.nodes[src].label)] += 1
    profiles = []
    for k, node in enumerate(order[:limit]):
        n = graph.nodes[node]
        items = by_node.get(node, [])
        entry = registry.by_id(n.outlet_id) if registry and n.outlet_id else None
        profile = OutletProfile(n.label, f"o-{k}", entry, len(items))
        profile.languages = sorted({a.language for a in items if a.language})
        months: Counter[str] = Counter(a.published.value[:7] if a.published else "undated" for a in items)
        events: Counter[str] = Counter(
            (ev.time or "")[:7] for a in items for ev in a.events if ev.time and len(ev.time) >= 7
        )
        profile.months = [(m, months[m], events[m]) for m in sorted(set(months) | set(events))]
        mentions = Counter(
            m.actor_id for a in items for m in a.mentions if m.actor_id and not m.actor_id.startswith("doc:")
        )
        known = names(list(mentions))
        profile.actors = [(known.get(i, i), c) for i, c in mentions.most_common(10)]
        speakers = Counter(q.speaker_name or q.speaker or "unattributed" for a in items for q in a.quotes)
        profile.quotes = sum(speakers.values())
        profile.speakers = speakers.most_common(8)
        profile.reuse_out = [(r, o, c) for (r, o), c in reuse_out.get(node, Counter()).most_common(12)]
        profile.reuse_in = [(r, o, c) for (r, o), c in reuse_in.get(node, Counter()).most_common(12)]
        profiles.append(profile)
    return profiles
